% rebase('base.tpl')
<h1>{{_("Thank you, your report was sent")}}</h1>
<div class="panel"><p>{{_("{org} has your report.").format(org=org)}}</p></div>
% if files:
<h2>{{_("Your files")}}</h2>
% include('files.tpl', files=files)
% end
<h2>{{_("What happens next")}}</h2>
% if way == 'named':
<p>{{_("An adviser will contact you using the details you gave, by {date}.").format(date=due)}}</p>
% else:
<p>{{_("An adviser will read your report by {date}.").format(date=due)}} {{!_("Because you did not ask to keep talking, <strong>we cannot contact you back</strong>, and you cannot add to this report later.")}} {{_("Reports help {org} see patterns and act on them.").format(org=org)}}</p>
<p>{{_("If you want to talk with an adviser, you can send another report and choose “I want to keep talking with an adviser”.")}} <a href="/report?way=anonymous">{{_("Send another report")}}</a></p>
% end
<p><a href="/">{{_("Go to the start page")}}</a></p>
