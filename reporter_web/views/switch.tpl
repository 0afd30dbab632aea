% # Inside a form the reporter types into: shows the same form in another language, keeping what is typed.
% for code, name, _href in switch:
<button type="submit" name="lang" value="{{code}}" class="secondary" lang="{{code}}" formnovalidate>{{language_button[code]}}</button>
% end
