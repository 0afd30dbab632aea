"""The report form sent again — a double click, two requests at once, a retry after a
network error — shows the same code, stores one report, and still keeps no code.

Only the browser that was shown the form, and only for a while after sending,
gets the code again; anyone else (another browser, no cookie, later) is told
the report was already received.
"""

import datetime as dt
import re
import threading

import pytest
import webob

from reporter_web.cookies import BROWSER_COOKIE
from reporter_web.site import Throttles
from store.models import FormToken, Report, database

from ..helpers import opened
from .support import code_on, log_in, report_fields, token_of, web

PARALLEL = 4


def post_report(app, fields, browser, remote="192.0.2.10"):
    """One POST /report as a browser sends it, straight to the WSGI app (safe to do from threads)."""
    req = webob.Request.blank("/report", method="POST", POST=fields, environ={"REMOTE_ADDR": remote})
    if browser:
        req.headers["Cookie"] = f"{BROWSER_COOKIE}={browser}"
    return req.get_response(app.app)


def code_in(res):
    found = re.search(r'id="reporter-code">([^<]+)<', res.text)
    return found.group(1) if found else None


def form_of(app, **overrides):
    token = token_of(app.get("/report"))
    return {"csrf_token": token, **report_fields(**overrides)}, app.cookies[BROWSER_COOKIE]


@pytest.mark.parametrize("round_", range(3))
def test_identical_posts_at_once_store_one_report_and_all_show_the_same_code(db, config, round_):
    app = web(config, throttles=Throttles.unlimited())
    fields, browser = form_of(app, description=f"Sent {PARALLEL} times at once, round {round_}.")
    start = threading.Barrier(PARALLEL)
    answers = [None] * PARALLEL

    def send(i):
        start.wait(timeout=30)
        try:
            answers[i] = post_report(app, fields, browser)
        finally:
            if not database.is_closed():
                database.close()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(PARALLEL)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert [a.status_int for a in answers] == [200] * PARALLEL, [a.text[:300] for a in answers if a.status_int != 200]
    codes = {code_in(a) for a in answers}
    assert len(codes) == 1 and None not in codes, codes
    assert Report.select().count() == 1 and opened(Report.get()).description == fields["description"]
    assert FormToken.select().count() == 1
    (code,) = codes
    log_in(app, code)
    assert fields["description"] in app.get("/conversation").text


def test_a_double_click_shows_the_same_code_which_logs_in(sqlite_db, config):
    app = web(config)
    fields, browser = form_of(app)
    first = post_report(app, fields, browser)
    second = post_report(app, fields, browser)
    assert code_in(first) and code_in(second) == code_in(first)
    assert "We had already received this report" in second.text
    assert second.headers["Cache-Control"] == "no-store"
    assert Report.select().count() == 1
    assert log_in(app, code_in(second)).headers["Location"].endswith("/conversation")


def test_each_form_gets_its_own_code(sqlite_db, config):
    app = web(config)
    a = code_on(app.post("/report", form_of(app)[0]))
    b = code_on(app.post("/report", form_of(app)[0]))
    assert a != b and Report.select().count() == 2


def test_a_resend_after_the_window_says_already_received(sqlite_db, config):
    app = web(config)
    fields, browser = form_of(app)
    assert code_in(post_report(app, fields, browser))
    # Thirty-one minutes pass (the spent token's time is all that dates the sending).
    spent = FormToken.get()
    FormToken.update(used_at=spent.used_at - dt.timedelta(minutes=31)).where(FormToken.id == spent.id).execute()
    late = post_report(app, fields, browser)
    assert late.status_int == 200 and "already received" in late.text
    assert code_in(late) is None and Report.select().count() == 1


def test_a_resend_from_another_browser_gets_no_code(sqlite_db, config):
    app, thief = web(config), web(config, remote_addr="203.0.113.9")
    fields, browser = form_of(app)
    assert code_in(post_report(app, fields, browser))
    other_browser = form_of(thief)[1]
    stolen = post_report(thief, fields, other_browser, remote="203.0.113.9")
    assert code_in(stolen) is None and stolen.status_int == 400
    assert "only works in the browser that opened it" in stolen.text
    no_cookie = post_report(thief, fields, None, remote="203.0.113.9")
    assert code_in(no_cookie) is None and "already received" in no_cookie.text
    assert Report.select().count() == 1


def test_a_resend_is_not_counted_as_another_report(sqlite_db, config):
    """The fifth report of the hour, double-clicked, still shows its code rather than 'please wait'."""
    app = web(config)
    for n in range(5):
        fields, browser = form_of(app, description=f"Report {n}")
        assert code_in(post_report(app, fields, browser))
    again = post_report(app, fields, browser)
    assert again.status_int == 200 and code_in(again)
    sixth = post_report(app, *form_of(app, description="Report 6"))
    assert sixth.status_int == 429


def test_without_cookies_a_report_is_still_received_once(sqlite_db, config):
    """A browser that blocks cookies can report (its code just cannot be shown twice)."""
    app = web(config)
    fields, _ = form_of(app)
    first = post_report(app, fields, None)
    assert code_in(first)
    again = post_report(app, fields, None)
    assert "already received" in again.text and code_in(again) is None
    assert Report.select().count() == 1
