% rebase('base.tpl')
% if error:
<div class="error-summary" role="alert" tabindex="-1" aria-labelledby="error-summary-title">
<h2 id="error-summary-title">{{_("There is a problem")}}</h2>
<ul><li><a href="#code">{{error}}</a></li></ul>
</div>
% end
% if notice:
<div class="notice"><p>{{notice}}</p></div>
% end
% if kept_message:
<div class="field"><label for="kept">{{_("Your message was not sent. Copy it before you continue:")}}</label>
<textarea id="kept" rows="5" readonly>{{kept_message}}</textarea></div>
% end
<h1>{{_("Continue a conversation")}}</h1>
<form method="post" action="/continue" novalidate>
<input type="hidden" name="csrf_token" value="{{token}}">
<div class="field{{' error' if error else ''}}"><label for="code">{{_("Your 16-character code")}}</label>
<p class="hint" id="code-hint">{{_("For example, 7K3M-Q9TZ-4HRW-X2BC. Spaces, dashes and capitals do not matter.")}}</p>
% if error:
<p class="error-message" id="code-error"><span class="vh">{{_("Error:")}}</span> {{error}}</p>
% end
<input id="code" name="code" class="code-input" value="{{code}}" autocomplete="off" autocapitalize="characters" spellcheck="false" aria-describedby="code-hint{{' code-error' if error else ''}}"></div>
<button type="submit">{{_("Continue")}}</button>
% include('switch.tpl')
</form>
<p>{{_("Lost your code? It cannot be recovered.")}} <a href="/report">{{_("You can send a new report.")}}</a></p>
