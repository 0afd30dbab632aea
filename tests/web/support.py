"""Builders for the reporter-site tests: a real app over a real SQLite file."""

import re

from webtest import TestApp

from reporter_web import make_app
from reporter_web.cookies import BROWSER_COOKIE

from ..helpers import report_form

CODE_SHAPE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$")


def web(config, https=False, throttles=None, remote_addr="192.0.2.10"):
    """A browser (it keeps cookies) on the site; with ``https`` it talks HTTPS, so Secure cookies go back."""
    app = make_app(config, https=https, throttles=throttles)  # None: the limits config sets
    environ = {"REMOTE_ADDR": remote_addr}
    if https:
        environ.update({"wsgi.url_scheme": "https", "HTTP_HOST": "localhost"})
    return TestApp(app, extra_environ=environ)


def browser_of(app):
    """The browser's BROWSER_COOKIE value (the site sets one with its first form)."""
    if BROWSER_COOKIE not in app.cookies:
        app.get("/continue")
    return app.cookies[BROWSER_COOKIE]


def token_of(page):
    return page.html.find("input", attrs={"name": "csrf_token"})["value"]


def report_fields(**overrides):
    """The report form's fields as a browser posts them (see tests.helpers.report_form)."""
    return report_form(**overrides)


def send_report(app, status=200, **overrides):
    """GET the form, POST it with its token; returns the response."""
    token = token_of(app.get("/report"))
    return app.post("/report", {"csrf_token": token, **report_fields(**overrides)}, status=status)


def code_on(page):
    return page.html.find(id="reporter-code").get_text(strip=True)


def log_in(app, code, status=303):
    token = token_of(app.get("/continue"))
    return app.post("/continue", {"csrf_token": token, "code": code}, status=status)


def new_conversation(app, **overrides):
    """Report with two-way messaging and log in; returns the code."""
    code = code_on(send_report(app, **overrides))
    log_in(app, code)
    return code


def text_of(page):
    return " ".join(page.html.get_text(" ").split())
