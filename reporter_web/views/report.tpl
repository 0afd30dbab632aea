% rebase('base.tpl')
% def err(name):
%   if name in errors:
<p class="error-message" id="{{name}}-error"><span class="vh">{{_("Error:")}}</span> {{errors[name]}}</p>
%   end
% end
% def cls(name):
%   return ' class="field error"' if name in errors else ' class="field"'
% end
% def err_ref(name):
%   return ' aria-describedby="%s-error"' % name if name in errors else ''
% end
% def described(name):
%   return name + '-hint' + (' ' + name + '-error' if name in errors else '')
% end
% if summary:
<div class="error-summary" role="alert" tabindex="-1" aria-labelledby="error-summary-title">
<h2 id="error-summary-title">{{_("There is a problem")}}</h2>
<ul>
% for anchor, text in summary:
<li><a href="#{{anchor}}">{{text}}</a></li>
% end
</ul>
</div>
% end
<h1>{{_("Tell us what happened")}}</h1>
<p>{{_("Choose how to report and what it is about, and tell us what happened. Everything else is optional: leave out anything you do not want to share.")}}</p>
<form method="post" action="/report" id="report-form" enctype="multipart/form-data" novalidate>
<input type="hidden" name="csrf_token" value="{{token}}">
<div{{!cls('way')}}><fieldset{{!' aria-describedby="way-error"' if 'way' in errors else ''}}>
<legend>{{_("How do you want to report?")}}</legend>
% err('way')
<div class="choice"><input type="radio" id="way-anonymous" name="way" value="anonymous"{{!' checked' if v.get('way') == 'anonymous' else ''}}><label for="way-anonymous">{{_("Anonymously")}}</label></div>
<div class="choice"><input type="radio" id="way-named" name="way" value="named"{{!' checked' if v.get('way') == 'named' else ''}}><label for="way-named">{{_("With my contact details")}}</label></div>
</fieldset></div>
<div{{!cls('role')}}><label for="role">{{_("Who are you?")}}</label>
% err('role')
<select id="role" name="role"{{!err_ref('role')}}>
% for key, label in roles:
<option value="{{key}}"{{!' selected' if (v.get('role') or 'prefer_not_to_say') == key else ''}}>{{label}}</option>
% end
</select></div>
<div{{!cls('category')}}><label for="category">{{_("What is it about?")}}</label>
% err('category')
<select id="category" name="category"{{!err_ref('category')}}>
<option value="">{{_("Choose one")}}</option>
% for key, label in categories:
<option value="{{key}}"{{!' selected' if v.get('category') == key else ''}}>{{label}}</option>
% end
</select></div>
<div{{!cls('description')}}><label for="description">{{_("What happened?")}}</label>
<p class="hint" id="description-hint">{{_("In your own words. Up to {limit} characters.").format(limit=lang.number(limits['description']))}}</p>
% err('description')
<textarea id="description" name="description" rows="8" aria-describedby="{{described('description')}}">{{v.get('description', '')}}</textarea></div>
<div{{!cls('occurred')}}><label for="occurred">{{_("When did it happen? (optional)")}}</label>
<p class="hint" id="occurred-hint">{{_("For example, “last Tuesday evening” or “since September”.")}}</p>
% err('occurred')
<input id="occurred" name="occurred" value="{{v.get('occurred', '')}}" aria-describedby="{{described('occurred')}}"></div>
<div{{!cls('location')}}><label for="location">{{_("Where did it happen? (optional)")}}</label>
<p class="hint" id="location-hint">{{_("Type a place, or choose one your browser suggests.")}}</p>
% err('location')
<input id="location" name="location" list="locations" value="{{v.get('location', '')}}" aria-describedby="{{described('location')}}">
<datalist id="locations">
% for place in locations:
<option value="{{place}}">
% end
</datalist></div>
<div{{!cls('people')}}><label for="people">{{_("Who was involved? (optional)")}}</label>
<p class="hint" id="people-hint">{{_("Names or descriptions, if you want to share them.")}}</p>
% err('people')
<textarea id="people" name="people" rows="3" aria-describedby="{{described('people')}}">{{v.get('people', '')}}</textarea></div>
<div class="field"><div class="choice"><input type="checkbox" id="support" name="support" value="on"{{!' checked' if v.get('support') else ''}}><label for="support">{{_("I would like support (for example, wellbeing or practical help)")}}</label></div></div>
<div{{!cls('two_way')}}><div class="choice"><input type="checkbox" id="two_way" name="two_way" value="on" aria-describedby="two_way-hint"{{!' checked' if v.get('two_way') else ''}}><label for="two_way">{{_("I want to keep talking with an adviser")}}</label></div>
<p class="hint" id="two_way-hint">{{!_("We will show you a 16-character code <strong>once</strong>. With it you can read replies and answer, without giving your name. Nobody can recover a lost code, not even us.")}}</p></div>
<fieldset class="contact"><legend>{{_("Your contact details (only if you chose to report with them)")}}</legend>
<p class="hint">{{_("Give an email address or a phone number. They are not kept for anonymous reports.")}}</p>
<div{{!cls('name')}}><label for="name">{{_("Name (optional)")}}</label>
% err('name')
<input id="name" name="name"{{!err_ref('name')}} autocomplete="name" value="{{v.get('name', '')}}"></div>
<div{{!cls('email')}}><label for="email">{{_("Email")}}</label>
% err('email')
<input id="email" name="email"{{!err_ref('email')}} type="email" autocomplete="email" spellcheck="false" value="{{v.get('email', '')}}"></div>
<div{{!cls('phone')}}><label for="phone">{{_("Phone")}}</label>
% err('phone')
<input id="phone" name="phone"{{!err_ref('phone')}} type="tel" autocomplete="tel" value="{{v.get('phone', '')}}"></div>
</fieldset>
% if file_hint:
% # Last in the form: the text fields reach the server first, so they are kept even when the files are too large.
<div{{!cls('attachments')}}><label for="attachments">{{_("Files (optional)")}}</label>
<div class="hint" id="attachments-hint">
% for line in file_hint:
<p>{{line}}</p>
% end
</div>
% err('attachments')
% if files_lost:
<p class="notice" id="attachments-again">{{_("Your browser cannot keep the files you chose when the form is shown again: choose them again before sending.")}}</p>
% end
<input type="file" id="attachments" name="attachments" multiple aria-describedby="{{described('attachments')}}"></div>
% end
% err('csrf_token')
<button type="submit" id="send">{{_("Send report")}}</button>
% include('switch.tpl')
</form>
<p>{{ngettext("An adviser aims to read reports within {count} working day.", "An adviser aims to read reports within {count} working days.", working_days).format(count=lang.number(working_days))}}</p>
