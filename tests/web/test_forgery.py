"""Forged requests: other sites' forms, login CSRF, and form tokens carried to another browser.

Older browsers send no Sec-Fetch-Site, so the site cannot rely on it alone: a
POST naming another Origin is refused, and the tokens of the code and report
forms only work in the browser they were shown to (``Origin: null``, which
browsers send with our own forms under Referrer-Policy no-referrer, proves
nothing either way).
"""

import pytest

from reporter_web.cookies import BROWSER_COOKIE, SESSION_COOKIE
from store.models import Message, Report, ReporterSession

from .support import code_on, log_in, new_conversation, report_fields, send_report, text_of, token_of, web

FOREIGN = [
    "https://attacker.example",
    "http://localhost:8080",
    "https://localhost",
    "http://localhost.attacker.example",
    "http://attacker.example/localhost",
]


def assert_refused_as_forged(res):
    assert res.status_int == 403
    assert "only work when sent from this site" in text_of(res)
    assert res.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert SESSION_COOKIE + "=" not in "".join(v for k, v in res.headerlist if k == "Set-Cookie").replace(
        SESSION_COOKIE + "=;", ""
    )


@pytest.mark.parametrize("origin", FOREIGN)
def test_a_report_posted_from_another_origin_is_refused(app, origin):
    token = token_of(app.get("/report"))
    res = app.post("/report", {"csrf_token": token, **report_fields()}, headers={"Origin": origin}, status=403)
    assert_refused_as_forged(res)
    assert Report.select().count() == 0


@pytest.mark.parametrize("origin", FOREIGN)
def test_a_code_posted_from_another_origin_is_refused(app, origin):
    code = code_on(send_report(app))
    token = token_of(app.get("/continue"))
    res = app.post("/continue", {"csrf_token": token, "code": code}, headers={"Origin": origin}, status=403)
    assert_refused_as_forged(res)
    assert ReporterSession.select().count() == 0


@pytest.mark.parametrize("origin", FOREIGN)
def test_a_message_or_logout_from_another_origin_is_refused(app, origin):
    new_conversation(app)
    token = token_of(app.get("/conversation"))
    app.post("/conversation", {"csrf_token": token, "body": "forged"}, headers={"Origin": origin}, status=403)
    app.post("/logout", {"csrf_token": token}, headers={"Origin": origin}, status=403)
    assert Message.select().count() == 0 and ReporterSession.select().count() == 1


@pytest.mark.parametrize("origin", ["http://localhost", "http://localhost:80", "HTTP://LOCALHOST"])
def test_our_own_origin_is_welcome(app, origin):
    token = token_of(app.get("/report"))
    page = app.post("/report", {"csrf_token": token, **report_fields()}, headers={"Origin": origin})
    assert code_on(page)


def test_behind_the_trusted_proxy_the_forwarded_scheme_and_host_are_ours(sqlite_db, config):
    """waitress turns the proxy's X-Forwarded-Proto into wsgi.url_scheme; nginx passes the Host."""
    app = web(config, https=True)
    public = {"wsgi.url_scheme": "https", "HTTP_HOST": "report.example.ac.uk"}
    token = token_of(app.get("/report", extra_environ=public))
    page = app.post(
        "/report",
        {"csrf_token": token, **report_fields()},
        extra_environ=public,
        headers={"Origin": "https://report.example.ac.uk"},
    )
    assert code_on(page)
    token = token_of(app.get("/report", extra_environ=public))
    app.post(
        "/report",
        {"csrf_token": token, **report_fields()},
        extra_environ=public,
        headers={"Origin": "http://report.example.ac.uk"},
        status=403,
    )  # a downgraded page is not us
    assert Report.select().count() == 1


def attackers_code_and_token(config):
    """What an attacker prepares on their own: a conversation of theirs and a code-form token."""
    attacker = web(config, remote_addr="203.0.113.50")
    code = code_on(send_report(attacker, description="Attacker's bait conversation"))
    return code, token_of(attacker.get("/continue"))


@pytest.mark.parametrize("victim_has_visited", [True, False])
def test_login_csrf_with_the_attackers_code_does_not_log_the_victim_in(sqlite_db, config, victim_has_visited):
    """The attacker's page auto-posts their code into the victim's browser (an old browser: no
    Origin, no Sec-Fetch-Site). The victim must not end up in the attacker's conversation, where
    whatever they write would be the attacker's to read."""
    code, token = attackers_code_and_token(config)
    victim = web(config, remote_addr="198.51.100.7")
    if victim_has_visited:
        victim.get("/continue")
        assert victim.cookies.get(BROWSER_COOKIE)
    res = victim.post("/continue", {"csrf_token": token, "code": code}, status=403)
    assert_refused_as_forged(res)
    assert victim.cookies.get(SESSION_COOKIE) is None
    assert victim.get("/conversation").status_int == 303
    assert ReporterSession.select().count() == 0


def test_a_code_form_token_is_bound_to_its_browser(sqlite_db, config):
    me, other = web(config), web(config, remote_addr="192.0.2.99")
    code = code_on(send_report(me))
    token = token_of(me.get("/continue"))
    other.get("/continue")
    other.post("/continue", {"csrf_token": token, "code": code}, status=403)
    assert ReporterSession.select().count() == 0
    # In its own browser it works (and the page's "continue" button is such a form).
    assert log_in(me, code).headers["Location"].endswith("/conversation")


def test_the_browser_cookie_is_random_httponly_and_not_for_other_sites(sqlite_db, config):
    app = web(config)
    first = app.get("/report")
    cookie = first.headers["Set-Cookie"]
    assert cookie.startswith(BROWSER_COOKIE + "=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert "Max-Age" not in cookie and "Expires" not in cookie  # gone when the browser closes
    value = app.cookies[BROWSER_COOKIE]
    assert len(value) >= 43 and value not in first.text
    # Set once: the same browser keeps its value; another browser gets its own.
    assert "Set-Cookie" not in app.get("/continue").headers
    other = web(config)
    other.get("/report")
    assert other.cookies[BROWSER_COOKIE] != value


def test_the_browser_cookie_is_secure_behind_https(sqlite_db, config):
    assert "Secure" in web(config, https=True).get("/continue").headers["Set-Cookie"]


def test_a_null_origin_is_judged_by_sec_fetch_site_and_then_by_the_browser_binding(sqlite_db, config):
    """Chromium under no-referrer sends our own forms with 'Origin: null' and 'Sec-Fetch-Site:
    same-origin'; another site's page (a sandboxed frame, say) cannot make either go away."""
    app = web(config)
    page = app.get("/report")
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert page.html.find("meta", attrs={"name": "referrer"})["content"] == "no-referrer"
    own = {"Origin": "null", "Sec-Fetch-Site": "same-origin"}
    assert code_on(app.post("/report", {"csrf_token": token_of(page), **report_fields()}, headers=own))
    refused = app.post(
        "/report",
        {"csrf_token": token_of(app.get("/report")), **report_fields()},
        headers={"Origin": "null", "Sec-Fetch-Site": "cross-site"},
        status=403,
    )
    assert_refused_as_forged(refused)
    # An older browser (no Sec-Fetch-Site) on an attacker's page: the page can carry a token it
    # fetched for itself, but not the victim's browser cookie, so the token is refused.
    attacker = web(config)
    stolen = token_of(attacker.get("/continue"))
    victim = web(config)
    victim.get("/")
    res = victim.post(
        "/continue",
        {"csrf_token": stolen, "code": "0000-0000-0000-0000"},
        headers={"Origin": "null"},
        expect_errors=True,
    )
    assert res.status_int in (400, 403) and ReporterSession.select().count() == 0


@pytest.mark.parametrize("value", ["short", "a" * 44, "a" * 42 + "!", ""])
def test_a_malformed_browser_cookie_counts_as_none_and_is_replaced(sqlite_db, config, value):
    app = web(config)
    app.set_cookie(BROWSER_COOKIE, value)
    page = app.get("/report")
    assert page.headers["Set-Cookie"].startswith(BROWSER_COOKIE + "=")
    assert app.cookies[BROWSER_COOKIE] != value
    assert code_on(app.post("/report", {"csrf_token": token_of(page), **report_fields()}))
