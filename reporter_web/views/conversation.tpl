% rebase('base.tpl', title=title, org=org)
% if error:
<div class="error-summary" role="alert" tabindex="-1" aria-labelledby="error-summary-title">
<h2 id="error-summary-title">There is a problem</h2>
<ul><li><a href="#body">{{error}}</a></li></ul>
</div>
% end
% if sent:
<div class="panel" role="status"><p>Your message was sent.</p></div>
% end
<h1>Your conversation</h1>
% if closed:
<div class="notice"><p>This conversation has been closed, so it cannot take new messages. If something new has happened, you can <a href="/report">send a new report</a>.</p></div>
% end
<details><summary>Your report ({{report.category}}, sent {{submitted}})</summary>
<dl>
<dt>Who you are</dt><dd>{{role}}</dd>
<dt>What happened</dt><dd class="text">{{report.description}}</dd>
% if report.occurred:
<dt>When</dt><dd>{{report.occurred}}</dd>
% end
% if report.location:
<dt>Where</dt><dd>{{report.location}}</dd>
% end
% if report.people:
<dt>Who was involved</dt><dd class="text">{{report.people}}</dd>
% end
<dt>Support</dt><dd>{{'You asked for support' if report.wants_support else 'You did not ask for support'}}</dd>
</dl></details>
<h2>Messages</h2>
% if not items:
<p>No messages yet.</p>
% end
<ol class="thread">
% for item in items:
<li class="{{'mine' if item['mine'] else 'theirs'}}{{' new' if item['new'] else ''}}">
<p class="meta">{{'You' if item['mine'] else 'Adviser'}}, {{item['when']}}
% if item['new']:
<strong class="tag">New</strong>
% end
</p>
<div class="text">{{item['body']}}</div>
</li>
% end
</ol>
<p class="status">{{read_note}}</p>
% if expected:
<p class="status"><strong>{{expected}}</strong></p>
% end
% if not closed:
<form method="post" action="/conversation" novalidate>
<input type="hidden" name="csrf_token" value="{{csrf}}">
<div class="field{{' error' if error else ''}}"><label for="body">Your message</label>
% if error:
<p class="error-message" id="body-error"><span class="vh">Error:</span> {{error}}</p>
% end
<textarea id="body" name="body" rows="6"{{!' aria-describedby="body-error"' if error else ''}}>{{body}}</textarea></div>
<button type="submit">Send message</button>
</form>
% end
<form method="post" action="/logout">
<input type="hidden" name="csrf_token" value="{{csrf}}">
<button type="submit" class="secondary">Log out</button>
</form>
<p class="hint"><strong>Urgent help:</strong> {{emergency}}</p>
