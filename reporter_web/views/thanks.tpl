% rebase('base.tpl', title=title, org=org)
<h1>Thank you, your report was sent</h1>
<div class="panel"><p>Your report is with {{org}}.</p></div>
<h2>What happens next</h2>
% if report.way == 'named':
<p>An adviser will contact you using the details you gave, by {{due}}.</p>
% else:
<p>An adviser will read your report by {{due}}. Because you did not ask to keep talking, <strong>we cannot contact you back</strong>, and you cannot add to this report later. Reports help {{org}} see patterns and act on them.</p>
<p>If you want to talk with an adviser, you can <a href="/report?way=anonymous">send another report</a> and choose "I want to keep talking with an adviser".</p>
% end
<p><a href="/">Go to the start page</a></p>
