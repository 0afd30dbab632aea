"""Hostile input catalogue: generated junk posted to every route and field.

Hypothesis generates the junk (random bytes, invalid UTF-8, huge values,
control and bidi characters, markup, HTML/JS, SQL-looking strings, header
injection attempts) and every answer is checked for the same things:

* never a 5xx, and a clear answer: 4xx with our error page, or 200 with an
  error summary where the input was refused;
* nothing half-written: row counts before and after agree with the answer
  (a refused report leaves no Report row, a refused message no Message);
* whatever was stored renders inert: in the web pages no tag or attribute
  from the input (only tags our templates use, no ``on*`` attributes), and
  in the adviser app no ESC/C0/C1/bidi character on the painted screen.

Deterministic (``derandomize=True``, no example database) and bounded: the
number of generated cases is written to hostile-cases.json in the test
artifacts folder (tests/conftest.py, ``artifacts``).
"""

import io
import json
import pathlib
import re
import urllib.parse
import wsgiref.util
from collections import Counter
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from webtest import TestApp
from webtest.app import TestRequest

from adviser_tui import inert
from reporter_web import make_app
from reporter_web.cookies import BROWSER_COOKIE, SESSION_COOKIE
from reporter_web.security import MAX_BODY
from reporter_web.site import Throttles
from store import Config, formtokens, open_database, sessions
from store.advisers import create_adviser
from store.config import ROLES
from store.models import FormToken, Message, Report, ReporterSession, database
from store.reports import issue_form_token, submit_report

from ..helpers import case_text, latest_message_text, opened, remember_key, reporter_key, reporter_message
from ..tui.support import PASSWORD, case_ready, screen_text, wait_for, wait_inbox

ROOT = pathlib.Path(__file__).resolve().parents[2]
VIEWS = ROOT / "reporter_web" / "views"

# One worker runs the whole catalogue (pytest-xdist, pyproject addopts): its tests share the module's database
# and site, and hostile-cases.json counts every test's examples, which one process must add up.
pytestmark = pytest.mark.xdist_group("web-hostile")

CASES = Counter()  # test name → generated examples run


def hostile_settings(n):
    return settings(
        max_examples=n,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )


# ---- the junk ------------------------------------------------------------------

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "</textarea><b>broke out</b>",
    "</title><iframe src=//evil.example>",
    "<x-tellus-canary>",
    "<!--",
    "-->",
    "<![CDATA[",
    "javascript:alert(1)",
    "&lt;script&gt;",
    "&#x3C;b&#x3E;",
    "&amp;",
    "{{7*7}}",
    "{{!base}}",
    "\n% import os\n",
    "<% x %>",
    "${7*7}",
    "#{7*7}",
    "'; DROP TABLE report; --",
    "1' OR '1'='1",
    '" OR 1=1 --',
    "Robert'); DELETE FROM message;--",
    "\x00",
    "%00",
    "%0d%0a",
    "\r\nSet-Cookie: evil=1",
    "\r\nLocation: https://evil.example/",
    "\n\r\n",
    "\x1b[2J",
    "\x1b]8;;https://evil.example\x07link\x1b]8;;\x07",
    "\x9b31m",
    "\x85",
    "\x07",
    "\x7f",
    "\u202e",
    "\u2066",
    "\u200f",
    "\ufeff",
    "\u2028",
    "\u2029",
    "\x0b\x0c",
    "[bold]x[/bold]",
    "[@click=app.quit]q[/]",
    "[link=https://evil.example]l[/link]",
    "[/]",
    "\U0001f4a9",
    "e\u0301",
    "\ufdd0",
    "\uffff",
    "ß" * 3,
    "\u0000\u0001\u001f",
]
CONTROLS = "".join(map(chr, [*range(0x20), 0x7F, *range(0x80, 0xA0)]))
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u200b\u2060\ufeff"

any_text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=80)
junk_piece = st.one_of(
    st.sampled_from(PAYLOADS),
    st.text(alphabet=CONTROLS + BIDI + "<>&\"'[]{}%\\", max_size=20),
    any_text,
)
junk = st.lists(junk_piece, max_size=8).map("".join)
huge = st.builds(
    lambda ch, n: ch * n,
    st.sampled_from(["A", "<", "\u202e", "é", "\U0001f4a9"]),
    st.sampled_from([201, 1001, 20001, 30000]),
)


def field_value(valid):
    """A valid choice, junk, or a huge value, for one form field."""
    return st.one_of(st.sampled_from(valid), junk, huge) if valid else st.one_of(junk, junk, huge)


# ---- what "inert" means --------------------------------------------------------


def template_tags():
    tags = set()
    for tpl in VIEWS.glob("*.tpl"):
        tags |= {m.lower() for m in re.findall(r"</?([a-zA-Z][a-zA-Z0-9]*)", tpl.read_text())}
    return tags


ALLOWED_TAGS = template_tags()
assert "script" not in ALLOWED_TAGS and "b" not in ALLOWED_TAGS and "img" not in ALLOWED_TAGS


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.found.append((tag, attrs))

    def handle_endtag(self, tag):
        self.found.append((tag, []))

    def handle_comment(self, data):
        self.found.append(("<!--", []))


def assert_page_inert(res):
    """Only our templates' tags, no event handlers, no script URLs, no raw controls."""
    assert res.content_type in ("text/html", "text/plain", "text/css"), res.content_type
    for name, value in res.headerlist:
        assert "\r" not in value and "\n" not in value, (name, value)
    if res.content_type != "text/html":
        return
    text = res.body.decode("utf-8")  # our pages are always valid UTF-8
    parser = _Tags()
    parser.feed(text)
    parser.close()
    for tag, attrs in parser.found:
        assert tag in ALLOWED_TAGS, f"<{tag}> from input reached the page"
        for attr, value in attrs:
            assert not attr.startswith("on"), f"{attr}= on <{tag}>"
            assert not (value or "").strip().lower().startswith("javascript:"), (tag, attr, value)
    assert text.count("<textarea") == text.count("</textarea>")
    assert "\x1b" not in text and "\x00" not in text and "\u202e" not in text


def assert_clean_for_terminal(value):
    """What the adviser app would paint for this stored value: no ESC/C0/C1/bidi."""
    for render in (inert.content(value).plain, inert.line_content(value, 60).plain, inert.cell(value).plain):
        for ch in render:
            cp = ord(ch)
            assert ch == "\n" or not (cp < 0x20 or cp == 0x7F or 0x80 <= cp <= 0x9F), repr(render)
            assert ch not in BIDI, repr(render)


def counts():
    return (
        Report.select().count(),
        Message.select().count(),
        FormToken.select().count(),
        ReporterSession.select().count(),
    )


def assert_clear_refusal(res, head=False):
    status = res.status_int
    assert status < 500, f"{status} for this input"
    if status >= 400 and not head:  # HEAD answers carry no body
        text = res.text
        assert "There is a problem" in text or "<h1>" in text, "a refusal without an explanation"


# ---- fixtures: one real SQLite file for the module ----------------------------------


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory, artifacts):
    path = tmp_path_factory.mktemp("hostile") / "tellus.db"
    db = open_database(str(path))
    db.url = str(path)
    yield db
    if not database.is_closed():
        database.close()
    db.close()
    total = sum(v for k, v in CASES.items() if ":" not in k)
    counts_file = artifacts / "hostile-cases.json"
    counts_file.write_text(json.dumps({"total": total, **CASES}, indent=2) + "\n")
    print(f"\nhostile input catalogue: {total} generated cases {dict(CASES)}, in {counts_file}")


@pytest.fixture(scope="module")
def hconfig():
    return Config()


@pytest.fixture(scope="module")
def site(hostile_db, hconfig):
    """The reporter site with throttles off (they are tested elsewhere), no session.

    ``site.browser`` is its browser cookie, which the report and code forms' tokens are bound to.
    """
    app = TestApp(make_app(hconfig, throttles=Throttles.unlimited()), extra_environ={"REMOTE_ADDR": "192.0.2.66"})
    app.get("/continue")
    app.browser = app.cookies[BROWSER_COOKIE]
    database.close()
    return app


@pytest.fixture(scope="module")
def member(hostile_db, hconfig):
    """A second client, logged in to a two-way report's conversation."""
    report = remember_key(
        submit_report(
            {"way": "anonymous", "category": hconfig.categories[0], "description": "base case", "two_way": "on"},
            hconfig,
        )
    ).report
    token = sessions.create_session(report)
    app = TestApp(make_app(hconfig, throttles=Throttles.unlimited()), extra_environ={"REMOTE_ADDR": "192.0.2.67"})
    app.set_cookie(SESSION_COOKIE, token)
    database.close()
    app.report_id, app.session_token = report.id, token
    return app


# ---- the report form ------------------------------------------------------------


def mostly(valid):
    """Mostly a valid choice (so that junk elsewhere gets stored and shown), sometimes junk."""
    return st.one_of(st.sampled_from(valid), st.sampled_from(valid), st.sampled_from(valid), junk)


report_form = st.fixed_dictionaries(
    {
        "way": mostly(["anonymous", "anonymous", "named"]),
        "category": mostly(["Harassment", "Other"]),
        "description": st.one_of(junk, junk, junk, huge).map(lambda s: "x" + s if len(s) < 2 else s),
        "email": mostly(["a@example.org", "a@example.org", ""]),
    },
    optional={
        "role": mostly(list(ROLES)),
        "occurred": field_value([""]),
        "location": field_value(["Library"]),
        "people": field_value([""]),
        "support": field_value(["on", ""]),
        "two_way": mostly(["on", ""]),
        "name": field_value([""]),
        "phone": field_value(["+44 20 7946 0000", ""]),
        junk: junk,  # fields the form does not have
    },
)


@hostile_settings(150)
@given(form=report_form, token=st.sampled_from(["fresh", "fresh", "fresh", "missing", "junk"]))
def test_report_form_takes_any_junk_and_stores_only_inert_text(site, member, hconfig, form, token):
    CASES["report form"] += 1
    fields = dict(form)
    if token == "fresh":
        fields["csrf_token"] = issue_form_token(site.browser)
    elif token == "junk":
        fields["csrf_token"] = "report." + fields.get("description", "")[:40]
    before = counts()
    res = site.post("/report", fields, expect_errors=True)
    after = counts()
    assert_clear_refusal(res)
    assert_page_inert(res)
    if res.status_int == 200 and ("reporter-code" in res.text or "Thank you" in res.text or "was sent" in res.text):
        CASES["report form: stored"] += 1
        assert token == "fresh"
        assert after[0] == before[0] + 1 and after[2] == before[2] + 1, "a report needs its row and its spent token"
        report = opened(Report.select().order_by(Report.id.desc()).get())
        stored = [
            report.description,
            report.occurred,
            report.location,
            report.people,
            report.category,
            report.contact_name,
            report.contact_email,
            report.contact_phone,
            report.preview,
        ]
        for value in stored:
            assert_clean_for_terminal(value)
            assert value == inert.clean(value), "stored text was not cleaned on the way in"
        if report.way == "anonymous":
            assert not (report.contact_name or report.contact_email or report.contact_phone)
        # The stored report as the reporter sees it in the conversation page.
        if report.two_way:
            member.set_cookie(SESSION_COOKIE, sessions.create_session(report, case_key=reporter_key(report.id)))
            page = member.get("/conversation")
            assert page.status_int == 200
            assert_page_inert(page)
            member.set_cookie(SESSION_COOKIE, member.session_token)
    else:
        assert res.status_int in (400, 403, 413), res.status_int
        assert after[:3] == before[:3], "a refused report changed the database"
        if res.status_int == 400:
            assert "There is a problem" in res.text
    database.close()


@hostile_settings(30)
@given(
    size=st.integers(min_value=MAX_BODY - 200, max_value=MAX_BODY + 200 * 1024),
    char=st.sampled_from(["a", "%3C", "\u202e", "&"]),
)
def test_huge_bodies_are_refused_whole(site, size, char):
    CASES["huge body"] += 1
    body = ("csrf_token=" + issue_form_token(site.browser) + "&way=anonymous&category=Harassment&description=").encode()
    body += (char.encode() * size)[: max(0, size - len(body))]
    before = counts()
    res = site.post("/report", params=body, content_type="application/x-www-form-urlencoded", expect_errors=True)
    assert_clear_refusal(res)
    assert_page_inert(res)
    if len(body) > MAX_BODY:
        assert res.status_int == 413
    else:
        assert res.status_int in (200, 400)
    if res.status_int != 200:
        assert counts()[:3] == before[:3]
    database.close()


# ---- raw bodies: random bytes and invalid UTF-8 -------------------------------------

CONTENT_TYPES = [
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=latin-1",
    "multipart/form-data; boundary=xyz",
    "text/plain",
    "application/json",
    "\r\nX-Evil: 1",
    "",
]
invalid_utf8 = st.one_of(
    st.binary(max_size=300),
    st.sampled_from(
        [
            b"\xff\xfe",
            b"\xc3\x28",
            b"\xa0\xa1",
            b"\xe2\x82",
            b"\xf0\x28\x8c\x28",
            b"\xed\xa0\x80",
            b"\xc0\xaf",
            b"%ff%fe",
            b"%C3%28",
            b"%ED%A0%80",
            b"%",
            b"%%",
            b"=&=&",
            b"&&&&",
        ]
    ),
)
raw_body = st.lists(invalid_utf8, min_size=1, max_size=6).map(b"".join)


def raw_post(client, route, body, content_type):
    """A POST with exactly these bytes and this Content-Type (WebTest would parse multipart itself)."""
    req = TestRequest.blank(route, method="POST")
    req.body = body
    req.environ["CONTENT_TYPE"] = content_type
    return client.do_request(req, status=None, expect_errors=True)


@hostile_settings(80)
@given(
    route=st.sampled_from(["/report", "/continue", "/conversation", "/logout"]),
    body=raw_body,
    content_type=st.sampled_from(CONTENT_TYPES),
    with_token=st.booleans(),
)
def test_raw_bodies_of_random_bytes_and_invalid_utf8(site, member, route, body, content_type, with_token):
    CASES["raw body"] += 1
    client = member if route in ("/conversation", "/logout") else site
    if with_token:
        purpose = {"/report": None, "/continue": "continue"}.get(route)
        token = (
            issue_form_token(site.browser)
            if route == "/report"
            else formtokens.issue(purpose, site.browser)
            if purpose
            else formtokens.for_session(member.session_token)
        )
        prefix = f"csrf_token={token}&way=anonymous&category=Harassment&code=".encode()
        body = prefix + b"&description=" + body + b"&body=" + body
    before = counts()
    res = raw_post(client, route, body, content_type)
    after = counts()
    assert_clear_refusal(res)
    assert_page_inert(res)
    if route == "/logout":
        assert res.status_int in (303, 400, 403)
        # Junk never ends the session (no valid token), but a valid token with junk may log out: log back in.
        if res.status_int == 303:
            member.set_cookie(SESSION_COOKIE, member.session_token)
            if sessions.check_session(member.session_token) is None:
                report = Report.get_by_id(member.report_id)
                member.session_token = sessions.create_session(report, case_key=reporter_key(report.id))
                member.set_cookie(SESSION_COOKIE, member.session_token)
    elif res.status_int in (200, 303) and after != before:
        # Stored: only when the bytes happened to be a readable form with a valid token.
        assert with_token and content_type.split(";")[0] in ("application/x-www-form-urlencoded", "")
        latest = (
            opened(Report.select().order_by(Report.id.desc()).get()).description
            if route == "/report"
            else latest_message_text()
        )
        assert "\ufffd" not in latest, "undecodable bytes were stored instead of refused"
        assert_clean_for_terminal(latest)
    else:
        assert after[:3] == before[:3], "a refused request changed the database"
    database.close()


# ---- continue with a code ------------------------------------------------------


@hostile_settings(50)
@given(
    code=st.one_of(junk, huge, st.text(alphabet="0123456789ABCDEFGHJKMNPQRSTVWXYZ-OIL ol", min_size=14, max_size=24)),
    token=st.sampled_from(["fresh", "missing", "junk"]),
)
def test_continue_takes_any_junk_code(site, code, token):
    CASES["continue"] += 1
    fields = {"code": code}
    if token == "fresh":
        fields["csrf_token"] = formtokens.issue("continue", site.browser)
    elif token == "junk":
        fields["csrf_token"] = code[:64]
    before = counts()
    res = site.post("/continue", fields, expect_errors=True)
    assert_clear_refusal(res)
    assert_page_inert(res)
    assert res.status_int in (400, 403, 413)  # no code here matches a conversation
    assert counts() == before
    assert SESSION_COOKIE + "=" not in (res.headers.get("Set-Cookie") or "").replace(SESSION_COOKIE + "=;", "")
    database.close()


# ---- the conversation ------------------------------------------------------------


@hostile_settings(60)
@given(body=st.one_of(junk, junk, huge), token=st.sampled_from(["valid", "valid", "valid", "missing", "junk"]))
def test_conversation_takes_any_junk_message(member, body, token):
    CASES["conversation"] += 1
    fields = {"body": body}
    if token == "valid":
        fields["csrf_token"] = formtokens.for_session(member.session_token)
    elif token == "junk":
        fields["csrf_token"] = body[:80]
    before = counts()
    res = member.post("/conversation", fields, expect_errors=True)
    after = counts()
    assert_clear_refusal(res)
    assert_page_inert(res)
    if res.status_int == 303:
        CASES["conversation: stored"] += 1
        assert token == "valid" and after[1] == before[1] + 1
        stored = latest_message_text()
        assert stored and stored == inert.clean(stored)
        assert_clean_for_terminal(stored)
        page = member.get(res.headers["Location"])
        assert page.status_int == 200
        assert_page_inert(page)
    else:
        assert res.status_int in (400, 403, 413), res.status_int
        assert after[:3] == before[:3]
    database.close()


# ---- paths, methods, query strings and headers -----------------------------------------

ROUTES = [
    "/",
    "/report",
    "/continue",
    "/conversation",
    "/logout",
    "/healthz",
    "/static/tellus.css",
    "/static/../../etc/passwd",
    "/report/",
    "//report",
    "/%2e%2e/",
    "/favicon.ico",
]
path_strategy = st.one_of(
    st.sampled_from(ROUTES),
    junk.map(lambda s: "/" + urllib.parse.quote(s, safe="/")),
    st.binary(max_size=40).map(lambda b: "/" + urllib.parse.quote_from_bytes(b, safe="/")),
)
header_value = st.one_of(
    junk,
    st.sampled_from(
        [
            "x\r\nSet-Cookie: evil=1",
            "x\nLocation: https://evil.example",
            "\r\n\r\n<script>",
            "a" * 9000,
            "",
        ]
    ),
)
header_name = st.sampled_from(
    [
        "Cookie",
        "Host",
        "X-Forwarded-For",
        "Forwarded",
        "Referer",
        "User-Agent",
        "Sec-Fetch-Site",
        "Origin",
        "Accept-Language",
        "X-Evil",
        "If-None-Match",
        "Content-Length",
        "Transfer-Encoding",
        "Range",
        "Accept-Encoding",
    ]
)
LENGTHS = ["abc", "-1", "99999999999999999999", "", " 12", "1e3", "0x10", "65537"]


class RawResponse:
    """Enough of a WebTest response for the checks above, from a bare WSGI call."""

    def __init__(self, status, headerlist, body):
        self.status_int = int(status.split()[0])
        self.headerlist = headerlist
        self.headers = dict(headerlist)
        self.body = body
        self.content_type = self.headers.get("Content-Type", "text/html").split(";")[0].strip()
        self.text = body.decode("utf-8", "replace")


def call_wsgi(app, environ):
    """Call the app with exactly this environ (WebTest/WebOb would refuse some of these paths themselves)."""
    wsgiref.util.setup_testing_defaults(environ)
    started = {}

    def start_response(status, headerlist, exc_info=None):
        started["status"], started["headers"] = status, headerlist

    chunks = app(environ, start_response)
    try:
        body = b"".join(chunks)
    finally:
        getattr(chunks, "close", lambda: None)()
    return RawResponse(started["status"], started["headers"], body)


@hostile_settings(100)
@given(
    method=st.sampled_from(["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT", "G\x00T"]),
    path=path_strategy,
    query=st.one_of(st.just(""), junk.map(lambda s: urllib.parse.urlencode({"way": s, "ended": s}))),
    headers=st.dictionaries(header_name, header_value, max_size=4),
)
def test_any_path_method_query_and_header(member, method, path, query, headers):
    CASES["paths and headers"] += 1
    # PATH_INFO as a WSGI server hands it over: the raw bytes, percent-decoded, as latin-1.
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": urllib.parse.unquote_to_bytes(path).decode("latin-1"),
        "QUERY_STRING": query,
        "REMOTE_ADDR": "192.0.2.68",
        "wsgi.input": io.BytesIO(b""),
        "CONTENT_LENGTH": "0",
        "HTTP_COOKIE": f"{SESSION_COOKIE}={member.session_token}",
    }
    for name, value in headers.items():
        key = "HTTP_" + name.upper().replace("-", "_")
        if name == "Content-Length":
            key, value = "CONTENT_LENGTH", LENGTHS[len(value) % len(LENGTHS)]
        environ[key] = value.encode("utf-8", "replace").decode("latin-1")
    before = counts()
    res = call_wsgi(member.app, environ)
    assert_clear_refusal(res, head=method == "HEAD")
    assert_page_inert(res)
    if method not in ("GET", "HEAD", "POST"):
        assert res.status_int == 405
    if method != "POST":
        assert counts()[:3] == before[:3]
    for name, value in res.headerlist:
        assert "evil" not in value.lower(), (name, value)
    if res.status_int == 303:
        assert res.headers["Location"].split("?")[0].rsplit("/", 1)[-1] in ("", "conversation", "continue")
    database.close()


# ---- what was stored, opened in the adviser app ---------------------------------------

TUI_FORBIDDEN = set(CONTROLS.replace("\n", "")) | set(BIDI)


async def test_stored_junk_opens_inert_in_the_adviser_app(hostile_db, hconfig):
    """Every payload, stored through the store's own services, then the most hostile stored
    reports from the cases above, opened one after another in the adviser app."""
    all_junk = " ".join(PAYLOADS)
    fixed = submit_report(
        {
            "way": "named",
            "category": hconfig.categories[0],
            "description": all_junk,
            "location": all_junk[:150],
            "people": all_junk,
            "name": all_junk[:150],
            "email": "x@example.org",
            "two_way": "on",
        },
        hconfig,
    ).report
    reporter_message(fixed.id, all_junk)
    ann = create_adviser("hostile-ann", PASSWORD, "Ann")

    def hostility(report):
        return sum(not (ch.isalnum() or ch == " ") for ch in case_text(report.id).description)

    reports = sorted(Report.select().where(Report.id != fixed.id), key=hostility, reverse=True)[:3]
    opened = [fixed.id, *[r.id for r in reports]]
    database.close()
    from adviser_tui.app import AdviserApp
    from adviser_tui.screens.case import CaseScreen

    app = AdviserApp(hconfig, hostile_db.url, signed_in=ann, page_size=500)
    async with app.run_test(size=(160, 60)) as pilot:
        await wait_inbox(pilot)
        for report_id in opened:
            inbox = app.screen
            CASES["opened in adviser app"] += 1
            text = screen_text(app)
            assert not (set(text) & TUI_FORBIDDEN), set(text) & TUI_FORBIDDEN
            index = next(i for i, row in enumerate(inbox.rows) if row.id == report_id)
            inbox.query_one("#inbox-table").move_cursor(row=index)
            await pilot.press("enter")
            await wait_for(pilot, lambda: case_ready(app), what=f"case {report_id}")
            assert isinstance(app.screen, CaseScreen)
            await pilot.pause(0.1)
            text = screen_text(app)
            assert not (set(text) & TUI_FORBIDDEN), set(text) & TUI_FORBIDDEN
            if report_id == fixed.id:
                assert "[@click=app.quit]q[/]" in text and "<script>alert(1)</script>" in text
            await pilot.press("escape")
            await wait_for(pilot, lambda: not isinstance(app.screen, CaseScreen), what="back to the inbox")
        assert app.is_running
