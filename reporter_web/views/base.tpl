<!DOCTYPE html>
<html lang="{{lang.code}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{{title}} – {{org}}</title>
<link rel="stylesheet" href="/static/tellus.css">
</head>
<body>
<a class="skip" href="#main">{{_("Skip to main content")}}</a>
<header><a class="home" href="/">{{_("Report a concern to {org}").format(org=org)}}</a>
% if switch_form:
<form class="languages" method="post" action="{{switch_form[0]}}">
% for name, value in switch_form[1]:
<input type="hidden" name="{{name}}" value="{{value}}">
% end
% for code, name, _href in switch:
<button type="submit" name="lang" value="{{code}}" lang="{{code}}">{{name}}</button>
% end
</form>
% else:
<p class="languages">
% for code, name, href in switch:
<a href="{{href}}" hreflang="{{code}}" lang="{{code}}">{{name}}</a>
% end
</p>
% end
</header>
<main id="main" tabindex="-1">
{{!base}}
</main>
<footer><p>{{_("This site sets no tracking cookies, runs no scripts and does not record your IP address or browser.")}}</p></footer>
</body>
</html>
