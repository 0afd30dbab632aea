"""`tellus web` as a real process, walked over real HTTP like a browser would."""

import re

import pytest

from store import advisers, open_database
from store.conversation import post_adviser_reply
from store.models import Report

from .support import ADDRESS, AGENT, REFERER, Site


def field(page, name):
    return re.search(rf'name="{name}" value="([^"]*)"', page).group(1)


@pytest.fixture
def site(tmp_path):
    database = tmp_path / "site.db"
    s = Site(database)
    s.database = database
    yield s
    s.stop()


def test_report_code_continue_reply_and_see_the_adviser_answer(site):
    assert site.request("/healthz")[::2] == (200, "ok")
    status, _, form = site.request("/report")
    assert status == 200
    sent = {
        "csrf_token": field(form, "csrf_token"),
        "way": "anonymous",
        "role": "student",
        "category": "Harassment",
        "description": "It happened in the library.",
        "two_way": "on",
    }
    status, _, page = site.request("/report", sent)
    assert status == 200
    code = re.search(r'id="reporter-code">([^<]+)<', page).group(1)
    # Sent again (the browser's "resend", a double click): the same code, stored once.
    _, _, again = site.request("/report", sent)
    assert re.search(r'id="reporter-code">([^<]+)<', again).group(1) == code and "already received this report" in again

    status, _, cont = site.request("/continue")
    status, url, convo = site.request("/continue", {"csrf_token": field(cont, "csrf_token"), "code": code.lower()})
    assert status == 200 and url.endswith("/conversation") and "Your conversation" in convo
    cookie = next(c for c in site.jar if c.name == "tellus_session")
    assert cookie.has_nonstandard_attr("HttpOnly")

    status, url, convo = site.request(
        "/conversation", {"csrf_token": field(convo, "csrf_token"), "body": "Are you there?"}
    )
    assert status == 200 and "Your message was sent." in convo and "Are you there?" in convo

    db = open_database(str(site.database))
    try:
        assert Report.select().count() == 1
        report = Report.get()
        adviser = advisers.create_adviser("robin", "a long enough passphrase 2")
        post_adviser_reply(report.id, adviser, "Yes, we are here to help.")
    finally:
        db.close()

    _, _, convo = site.request("/conversation")
    reply = convo[convo.index("Yes, we are here to help.") - 400 : convo.index("Yes, we are here to help.")]
    assert ">New<" in reply
    assert "An adviser read your latest message" in convo
    _, _, convo = site.request("/conversation")
    assert ">New<" not in convo

    status, url, home = site.request("/logout", {"csrf_token": field(convo, "csrf_token")})
    assert status == 200 and url.rstrip("/") == site.base and "Tell us what happened" in home
    status, url, _ = site.request("/conversation")
    assert url.endswith("/continue")

    # Nothing identifying was kept or printed, not even the loopback address.
    output = site.stop()
    stored = b"".join(p.read_bytes() for p in site.database.parent.glob("site.db*"))
    for needle in (ADDRESS, AGENT, REFERER, "distinctive"):
        assert needle.encode() not in stored, needle
        assert needle.encode() not in output.replace(f"http://127.0.0.1:{site.port}/".encode(), b""), needle
    assert output.count(b"127.0.0.1") == 1  # only the line saying where it serves
    assert code.encode() not in stored and code.replace("-", "").encode() not in stored and code.encode() not in output
