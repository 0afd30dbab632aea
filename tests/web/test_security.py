"""Headers on every response, limits, methods, errors and what is (not) kept."""

import io
import re

import pytest

from reporter_web.pages import conversation as conversation_pages
from reporter_web.security import CSP, MAX_BODY, TracebackOnlyStream
from store.models import Report, database

from .support import code_on, log_in, new_conversation, report_fields, text_of, token_of, web

DESIGN_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


def assert_hardened(res):
    h = res.headers
    assert h["Content-Security-Policy"] == DESIGN_CSP
    assert h["Referrer-Policy"] == "no-referrer"
    assert h["X-Content-Type-Options"] == "nosniff"
    assert h["X-Frame-Options"] == "DENY"
    assert h["Cross-Origin-Opener-Policy"] == "same-origin"
    assert h["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "camera=()" in h["Permissions-Policy"]


def test_the_csp_is_exactly_the_designed_one():
    assert CSP == DESIGN_CSP


@pytest.mark.parametrize(
    "method, path, status",
    [
        ("GET", "/", 200),
        ("GET", "/report", 200),
        ("GET", "/continue", 200),
        ("GET", "/static/tellus.css", 200),
        ("GET", "/healthz", 200),
        ("GET", "/nowhere", 404),
        ("GET", "/conversation", 303),
        ("POST", "/healthz", 405),
        ("PUT", "/report", 405),
        ("DELETE", "/", 405),
        ("OPTIONS", "/", 405),
        ("PATCH", "/nowhere", 405),
        ("POST", "/report", 403),
        ("HEAD", "/", 200),
    ],
)
def test_every_response_is_hardened(app, method, path, status):
    res = app.request(path, method=method, status=status)
    assert_hardened(res)
    if status == 405:
        assert (res.headers["Allow"] and "POST" in res.headers["Allow"]) or path == "/healthz"


def test_head_gets_headers_without_a_body(app):
    res = app.head("/report")
    assert res.body == b"" and res.headers["Content-Type"].startswith("text/html")


def test_unknown_pages_get_a_styled_404_with_a_way_home(app):
    page = app.get("/admin/../etc/passwd", status=404)
    assert page.html.find("link", rel="stylesheet")["href"] == "/static/tellus.css"
    assert page.html.find("a", href="/") is not None
    assert "Page not found" in text_of(page)


def test_other_methods_get_405(app):
    res = app.request("/conversation", method="PUT", status=405)
    assert res.headers["Allow"] == "GET, HEAD, POST"
    assert "cannot be used that way" in text_of(res)


def test_bodies_over_the_limit_get_413_and_change_nothing(app):
    token = token_of(app.get("/report"))
    fields = report_fields(csrf_token=token, description="a" * (MAX_BODY + 10))
    res = app.post("/report", fields, status=413)
    assert_hardened(res)
    assert "too long" in text_of(res)
    assert Report.select().count() == 0


def test_a_body_longer_than_it_claims_is_still_capped(app):
    from reporter_web.forms import TooLarge, read_form

    env = {"CONTENT_LENGTH": str(MAX_BODY), "wsgi.input": io.BytesIO(b"a=" + b"b" * (MAX_BODY * 2))}
    fields, _ = read_form(env)
    assert len(fields["a"]) == MAX_BODY - 2
    with pytest.raises(TooLarge):
        read_form({"CONTENT_LENGTH": str(MAX_BODY + 1), "wsgi.input": io.BytesIO(b"")})


def test_too_many_fields_is_a_clear_400(app):
    token = token_of(app.get("/report"))
    body = f"csrf_token={token}&" + "&".join(f"f{i}=1" for i in range(60))
    res = app.post("/report", body.encode(), content_type="application/x-www-form-urlencoded", status=400)
    assert_hardened(res)


def test_an_unexpected_error_is_a_hardened_500_that_logs_no_details(app, monkeypatch):
    new_conversation(app)

    def broken(report_id, config, now=None, key=None):
        raise RuntimeError("secret reporter text 203.0.113.9")

    monkeypatch.setattr(conversation_pages, "conversation_view", broken)
    res = app.get("/conversation", status=500, expect_errors=True)
    assert_hardened(res)
    assert "Something went wrong" in text_of(res)
    logged = res.errors
    assert "RuntimeError" in logged and "conversation_page" in logged
    assert "secret reporter text" not in logged and "203.0.113.9" not in logged


def test_the_traceback_filter_keeps_frames_and_types_only():
    out = io.StringIO()
    TracebackOnlyStream(out).write(
        'Traceback (most recent call last):\n  File "/x/app.py", line 3, in f\n    g(body)\n'
        "ValueError: could not parse 'my secret' from 10.1.2.3\n"
    )
    assert out.getvalue() == '  File "/x/app.py", line 3, in f\nValueError\n'


def test_healthz_says_ok_after_touching_the_database(app):
    res = app.get("/healthz")
    assert res.text == "ok" and res.content_type == "text/plain"


def test_healthz_says_unavailable_when_the_database_is(app, monkeypatch):
    def down(*a, **k):
        raise OSError("disk gone")

    monkeypatch.setattr(database.obj, "execute_sql", down)
    assert_hardened(app.get("/healthz", status=503))


@pytest.mark.parametrize("path", ["/", "/report", "/continue", "/conversation"])
def test_pages_need_no_script_and_load_nothing_external(app, path):
    new_conversation(app)
    page = app.get(path)
    assert page.html.find("script") is None
    assert not re.search(r"""(src|href|action)=["']?(https?:)?//""", page.text)
    assert not any(a.has_attr("on" + e) for a in page.html.find_all(True) for e in ("click", "load", "submit"))


def test_the_stylesheet_is_small_cacheable_and_self_contained(app):
    css = app.get("/static/tellus.css")
    assert css.content_type == "text/css"
    assert "max-age" in css.headers["Cache-Control"]
    assert "url(" not in css.text and "@import" not in css.text
    assert len(css.body) < 8 * 1024
    assert ":focus" in css.text  # visible focus


def test_nothing_identifying_reaches_the_database_or_the_throttle(sqlite_db, sqlite_url, config):
    address, agent, referer = (
        "198.51.100.231",
        "ProbeAgent/7.3 distinctive-ua-90210",
        "https://leak.example/distinctive-ref",
    )
    app = web(config, remote_addr=address)
    headers = {"User-Agent": agent, "Referer": referer, "X-Forwarded-For": "203.0.113.177"}
    token = token_of(app.get("/report", headers=headers))
    page = app.post("/report", {"csrf_token": token, **report_fields()}, headers=headers)
    log_in(app, code_on(page)).follow(headers=headers)
    app.post("/conversation", {"csrf_token": token_of(app.get("/conversation")), "body": "hello"}, headers=headers)
    sqlite_db.close()
    import pathlib

    stored = b"".join(p.read_bytes() for p in pathlib.Path(sqlite_url).parent.glob("tellus.db*"))
    for needle in (address, agent, referer, "203.0.113.177", "distinctive"):
        assert needle.encode() not in stored
        assert needle.encode("utf-16-le") not in stored
    for throttle in (app.app.throttles.code_per_client, app.app.throttles.reports_per_client):
        assert all(address not in repr(k) for k in throttle.held_keys())
