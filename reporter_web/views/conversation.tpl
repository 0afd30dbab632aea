% rebase('base.tpl')
% if error:
<div class="error-summary" role="alert" tabindex="-1" aria-labelledby="error-summary-title">
<h2 id="error-summary-title">{{_("There is a problem")}}</h2>
<ul><li><a href="#{{error_field}}">{{error}}</a></li></ul>
</div>
% end
% if sent:
<div class="panel" role="status"><p>{{_("Your message was sent.")}}</p></div>
% end
<h1>{{_("Your conversation")}}</h1>
% if closed:
<div class="notice"><p>{{_("This conversation has been closed, so it cannot take new messages. If something new has happened, you can send a new report.")}} <a href="/report">{{_("Send a new report")}}</a></p></div>
% end
<details><summary>{{_("Your report ({category}, sent {date})").format(category=category, date=submitted)}}</summary>
<dl>
<dt>{{_("Who you are")}}</dt><dd>{{role}}</dd>
<dt>{{_("What happened")}}</dt><dd class="text">{{written.description}}</dd>
% if written.occurred:
<dt>{{_("When")}}</dt><dd>{{written.occurred}}</dd>
% end
% if written.location:
<dt>{{_("Where")}}</dt><dd>{{written.location}}</dd>
% end
% if written.people:
<dt>{{_("Who was involved")}}</dt><dd class="text">{{written.people}}</dd>
% end
<dt>{{_("Support")}}</dt><dd>{{_("You asked for support") if report.wants_support else _("You did not ask for support")}}</dd>
% if report_files:
<dt>{{_("Your files")}}</dt><dd>
% include('files.tpl', files=report_files)
</dd>
% end
</dl></details>
<h2>{{_("Messages")}}</h2>
% if not items:
<p>{{_("No messages yet.")}}</p>
% end
<ol class="thread">
% for item in items:
<li class="{{'mine' if item['mine'] else 'theirs'}}{{' new' if item['new'] else ''}}">
<p class="meta">{{_("You, {date}").format(date=item['when']) if item['mine'] else _("Adviser, {date}").format(date=item['when'])}}
% if item['new']:
<strong class="tag">{{_("New")}}</strong>
% end
</p>
% if item['body']:
<div class="text">{{item['body']}}</div>
% end
% include('files.tpl', files=item['files'])
</li>
% end
</ol>
<p class="status">{{read_note}}</p>
% if expected:
<p class="status"><strong>{{expected}}</strong></p>
% end
% if not closed:
<form method="post" action="/conversation" enctype="multipart/form-data" novalidate>
<input type="hidden" name="csrf_token" value="{{csrf}}">
<div class="field{{' error' if error and error_field == 'body' else ''}}"><label for="body">{{_("Your message")}}</label>
% if error and error_field == 'body':
<p class="error-message" id="body-error"><span class="vh">{{_("Error:")}}</span> {{error}}</p>
% end
<textarea id="body" name="body" rows="6"{{!' aria-describedby="body-error"' if error and error_field == 'body' else ''}}>{{body}}</textarea></div>
% if file_hint:
<div class="field{{' error' if error and error_field == 'attachments' else ''}}"><label for="attachments">{{_("Files (optional)")}}</label>
<div class="hint" id="attachments-hint">
% for line in file_hint:
<p>{{line}}</p>
% end
</div>
% if error and error_field == 'attachments':
<p class="error-message" id="attachments-error"><span class="vh">{{_("Error:")}}</span> {{error}}</p>
% end
% if files_lost:
<p class="notice" id="attachments-again">{{_("Your browser cannot keep the files you chose when the form is shown again: choose them again before sending.")}}</p>
% end
<input type="file" id="attachments" name="attachments" multiple aria-describedby="attachments-hint{{' attachments-error' if error and error_field == 'attachments' else ''}}"></div>
% end
<button type="submit">{{_("Send message")}}</button>
% include('switch.tpl')
</form>
% end
<form method="post" action="/logout">
<input type="hidden" name="csrf_token" value="{{csrf}}">
<button type="submit" class="secondary">{{_("Log out")}}</button>
</form>
<p class="hint"><strong>{{_("Urgent help:")}}</strong> {{emergency}}</p>
