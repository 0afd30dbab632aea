% rebase('base.tpl', title=title, org=org)
<h1>We already have this report</h1>
<p>This report was already received, so it was not sent a second time. You do not need to send it again.</p>
<p>If you asked to keep talking with an adviser, your code was shown when the report was sent. Sending the same form again shows it again only in the same browser and only for 30 minutes; after that nobody can show it, because we do not keep codes. You can <a href="/report">send a new report</a> to get a new code.</p>
<p><a href="/">Go to the start page</a></p>
