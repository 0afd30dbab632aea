% rebase('base.tpl')
% if closure_text:
<div class="notice" role="region" aria-label="{{_("Closure notice")}}">
<h2>{{closure_text}}</h2>
% if closure_note:
<p>{{closure_note}}</p>
% end
<p>{{_("You can still send a report, but nobody will read it until then.")}} {{_("For urgent help: {contacts}").format(contacts=emergency)}}</p>
</div>
% end
<h1>{{_("Tell us what happened")}}</h1>
<p>{{_("Report harassment, misconduct or a safety concern to {org}. You do not have to give your name.").format(org=org)}}</p>
<div class="warn"><strong>{{_("In an emergency:")}}</strong> {{emergency}}</div>
<h2>{{_("Two ways to report")}}</h2>
<ul class="ways">
<li><a class="button" href="/report?way=anonymous">{{_("Report anonymously")}}</a>
<p>{{_("We will not know who you are. You can ask for a private code to keep talking with an adviser.")}}</p></li>
<li><a class="button secondary" href="/report?way=named">{{_("Report with your contact details")}}</a>
<p>{{_("Give your name, email or phone so an adviser can contact you and offer support.")}}</p></li>
</ul>
<h2>{{_("Already reported?")}}</h2>
<p>{{!_("<a href=\"/continue\">Continue a conversation</a> with the 16-character code you were given.")}}</p>
<h2>{{_("What anonymity means")}}</h2>
<p>{{_("This site does not record your IP address, browser or anything else about your device, and advisers cannot see who sent a report. If you report anonymously, advisers can act on patterns (for example several reports about the same place) but may not be able to investigate a single report fully. Be careful about details that could identify you, such as exact times only you would know.")}}</p>
