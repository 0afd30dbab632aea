% rebase('base.tpl')
<h1>{{_("Your report was sent")}}</h1>
% if again:
<div class="notice"><p>{{_("We had already received this report, so it was not sent twice. This is its code again.")}}</p></div>
% end
<div class="panel">
<h2>{{_("Your code")}}</h2>
<p class="code" id="reporter-code">{{code}}</p>
<p>{{!_("This code is shown <strong>only now</strong>: we do not keep it, so nobody can show it to you later.")}}</p>
</div>
% if files:
<h2>{{_("Your files")}}</h2>
% include('files.tpl', files=files)
% end
<h2>{{_("Keep your code safe")}}</h2>
<ul>
<li>{{_("Write it down or store it somewhere only you can reach, such as a password manager.")}}</li>
<li>{{_("Do not send it to anyone. Anyone with the code can read your conversation.")}}</li>
<li>{{_("Nobody can recover a lost code, not even us, because we do not keep it.")}}</li>
</ul>
<h2>{{_("What happens next")}}</h2>
<p>{{_("An adviser will read your report and reply by {date}.").format(date=due)}} {{_("Come back to this site and choose “Continue a conversation” to read replies and answer.")}}</p>
<form method="post" action="/continue" id="continue-form">
<input type="hidden" name="csrf_token" value="{{continue_token}}">
<input type="hidden" name="code" value="{{code}}">
<button type="submit">{{_("I have kept my code: continue to my conversation")}}</button>
</form>
