% rebase('base.tpl', title=title, org=org)
% if closure_text:
<div class="notice" role="region" aria-label="Closure notice">
<h2>{{closure_text}}</h2>
% if closure.note:
<p>{{closure.note}}</p>
% end
<p>You can still send a report, but nobody will read it until then. For urgent help: {{emergency}}</p>
</div>
% end
<h1>Tell us what happened</h1>
<p>Report harassment, misconduct or a safety concern to {{org}}. You do not have to give your name.</p>
<div class="warn"><strong>In an emergency:</strong> {{emergency}}</div>
<h2>Two ways to report</h2>
<ul class="ways">
<li><a class="button" href="/report?way=anonymous">Report anonymously</a>
<p>We will not know who you are. You can ask for a private code to keep talking with an adviser.</p></li>
<li><a class="button secondary" href="/report?way=named">Report with your contact details</a>
<p>Give your name, email or phone so an adviser can contact you and offer support.</p></li>
</ul>
<h2>Already reported?</h2>
<p><a href="/continue">Continue a conversation</a> with the 16-character code you were given.</p>
<h2>What anonymity means</h2>
<p>This site does not record your IP address, browser or anything else about your device, and advisers cannot see who sent a report. If you report anonymously, advisers can act on patterns (for example several reports about the same place) but may not be able to investigate a single report fully. Be careful about details that could identify you, such as exact times only you would know.</p>
