<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{{title}} – {{org}}</title>
<link rel="stylesheet" href="/static/tellus.css">
</head>
<body>
<a class="skip" href="#main">Skip to main content</a>
<header><a href="/">Report a concern to {{org}}</a></header>
<main id="main" tabindex="-1">
{{!base}}
</main>
<footer><p>This site sets no tracking cookies, runs no scripts and does not record your IP address or browser.</p></footer>
</body>
</html>
