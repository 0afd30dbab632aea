% rebase('base.tpl')
<h1>{{_("We already have this report")}}</h1>
<p>{{_("This report was already received, so it was not sent a second time. You do not need to send it again.")}}</p>
<p>{{_("If you asked to keep talking with an adviser, your code was shown when the report was sent. Sending the same form again shows it again only in the same browser and only for 30 minutes; after that nobody can show it, because we do not keep codes.")}} <a href="/report">{{_("Send a new report to get a new code.")}}</a></p>
<p><a href="/">{{_("Go to the start page")}}</a></p>
