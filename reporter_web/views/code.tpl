% rebase('base.tpl', title=title, org=org)
<h1>Your report was sent</h1>
% if again:
<div class="notice"><p>We had already received this report, so it was not sent twice. This is its code again.</p></div>
% end
<div class="panel">
<h2>Your code</h2>
<p class="code" id="reporter-code">{{code}}</p>
<p>This code is shown <strong>only now</strong>: we do not keep it, so nobody can show it to you later.</p>
</div>
<h2>Keep your code safe</h2>
<ul>
<li>Write it down or store it somewhere only you can reach, such as a password manager.</li>
<li>Do not send it to anyone. Anyone with the code can read your conversation.</li>
<li>Nobody can recover a lost code, not even us, because we do not keep it.</li>
</ul>
<h2>What happens next</h2>
<p>An adviser will read your report and reply by {{due}}. Come back to this site and choose "Continue a conversation" to read replies and answer.</p>
<form method="post" action="/continue">
<input type="hidden" name="csrf_token" value="{{continue_token}}">
<input type="hidden" name="code" value="{{code}}">
<button type="submit">I have kept my code: continue to my conversation</button>
</form>
