"""Coming back with a code, the conversation, sessions and logging out."""

import datetime as dt
import threading

import pytest

from reporter_web.cookies import SESSION_COOKIE
from reporter_web.i18n import language
from reporter_web.site import Throttles
from store import advisers, cases
from store.conversation import post_adviser_reply
from store.deadlines import due_date
from store.models import Message, Report, ReporterSession, database
from store.throttle import StoredThrottle

from .support import code_on, log_in, new_conversation, send_report, text_of, token_of, web
from .throttle_support import fresh_window, still_clock


@pytest.fixture
def adviser(sqlite_db):
    return advisers.create_adviser("alex", "a long enough passphrase 1")


def session_cookie(app):
    return app.cookies.get(SESSION_COOKIE)


def test_a_code_typed_loosely_still_opens_the_conversation(app):
    code = code_on(send_report(app))
    loose = " " + code.replace("-", " ").lower().replace("0", "o").replace("1", "l") + " "
    reply = log_in(app, loose)
    assert reply.headers["Location"].endswith("/conversation")
    cookie = reply.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Secure" not in cookie
    assert code.replace("-", "") not in cookie and "Max-Age" not in cookie
    assert "Your conversation" in text_of(app.get("/conversation"))


def test_behind_https_the_cookie_is_secure(sqlite_db, config):
    app = web(config, https=True)
    code = code_on(send_report(app))
    reply = log_in(app, code)
    assert "Secure" in reply.headers["Set-Cookie"]
    assert reply.headers["Strict-Transport-Security"].startswith("max-age=")


def test_a_wrong_code_gets_one_generic_message(app):
    send_report(app)
    page = log_in(app, "0000-0000-0000-0000", status=400)
    assert "does not match a conversation" in text_of(page)
    assert page.html.find(class_="error-summary").find("a")["href"] == "#code"
    assert session_cookie(app) is None


@pytest.mark.parametrize(
    "typed, says",
    [
        ("", "Enter your 16-character code"),
        ("ABCD-EFGH", "check you typed all of it"),
        ("ABCD-EFGH-JKMN-PQRSX", "check you typed all of it"),
        ("UUUU-UUUU-UUUU-UUUU", "except I, L, O and U"),
        ("ABCD\x00EFG-JKMN-PQRS", "only the numbers"),
    ],
)
def test_malformed_codes_are_explained(app, typed, says):
    page = log_in(app, typed, status=400)
    assert says in text_of(page)
    assert session_cookie(app) is None


def test_continue_needs_its_form_token(app):
    code = code_on(send_report(app))
    app.post("/continue", {"code": code}, status=403)
    app.post("/continue", {"code": code, "csrf_token": "forged"}, status=403)
    assert ReporterSession.select().count() == 0


def test_every_login_gets_a_new_session_token_and_ends_the_old_one(app):
    code = code_on(send_report(app))
    log_in(app, code)
    first = session_cookie(app)
    log_in(app, code)
    second = session_cookie(app)
    assert first and second and first != second
    assert ReporterSession.select().count() == 1
    app.set_cookie(SESSION_COOKIE, first)
    assert app.get("/conversation", status=303).headers["Location"].endswith("/continue?ended=1")


def test_the_conversation_shows_the_report_and_when_to_expect_a_reply(app, config):
    new_conversation(app, description="The lift <b>again</b>", location="Main hall")
    page = app.get("/conversation")
    text = text_of(page)
    report = Report.get()
    assert page.headers["Cache-Control"] == "no-store"
    assert "The lift <b>again</b>" in text and "Main hall" in text
    assert f"An adviser will reply by {language('en').long_date(report.due_on, report.due_on)}." in text
    assert "An adviser has not read your report yet." in text
    assert "No messages yet." in text


def test_replies_show_oldest_first_and_new_adviser_replies_are_marked_once(app, adviser, config):
    new_conversation(app)
    report = Report.get()
    app.post("/conversation", {"csrf_token": token_of(app.get("/conversation")), "body": "First from me"}, status=303)
    post_adviser_reply(report.id, adviser, "Thank you for telling us.")
    page = app.get("/conversation")
    items = page.html.find("ol", class_="thread").find_all("li")
    assert [i.find(class_="text").get_text() for i in items] == ["First from me", "Thank you for telling us."]
    assert [bool(i.find(class_="tag")) for i in items] == [False, True]
    assert "An adviser read your latest message" in text_of(page)
    assert "An adviser will reply by" not in text_of(page)  # they have answered; it is the reporter's turn
    again = app.get("/conversation")
    assert not again.html.find(class_="tag")
    assert Message.get(Message.author == "adviser").read_at is not None


def test_a_reply_written_while_the_page_is_made_is_new_on_the_next_page(db, config):
    """An adviser replying again and again while the reporter reloads: every reply is shown as New
    exactly once, including one that arrives between reading the thread and marking it seen."""
    app = web(config)
    new_conversation(app)
    report_id = Report.get().id
    adviser = advisers.create_adviser("alex", "a long enough passphrase 1")
    database.close()
    written, stop = [], threading.Event()

    def adviser_replies():
        try:
            while not stop.is_set() and len(written) < 150:
                body = f"Reply {len(written)}"
                post_adviser_reply(report_id, adviser, body)
                written.append(body)
        finally:
            database.close()

    def new_on(page):
        return [li.find(class_="text").get_text() for li in page.html.select("ol.thread li.new")]

    writer = threading.Thread(target=adviser_replies)
    writer.start()
    shown_new = []
    try:
        for _ in range(50):
            shown_new += new_on(app.get("/conversation"))
    finally:
        stop.set()
        writer.join(60)
    shown_new += new_on(app.get("/conversation"))
    assert not writer.is_alive() and len(written) > 20
    assert sorted(shown_new) == sorted(written), sorted(set(written) - set(shown_new))


def test_a_reply_is_sent_and_the_expected_date_follows_it(app, adviser, config):
    new_conversation(app)
    report = Report.get()
    post_adviser_reply(report.id, adviser, "How can we help?")
    app.get("/conversation")
    reply = app.post(
        "/conversation", {"csrf_token": token_of(app.get("/conversation")), "body": "I need help"}, status=303
    )
    assert reply.headers["Location"].endswith("/conversation?sent=1")
    page = reply.follow()
    text = text_of(page)
    assert "Your message was sent." in text
    assert "An adviser has not read your latest message yet." in text
    mine = Message.get(Message.author == "reporter")
    due = due_date(mine.created_at, config)
    assert f"An adviser will reply by {language('en').long_date(due, due)}." in text


def test_an_empty_or_too_long_reply_is_refused_with_the_text_kept(app):
    new_conversation(app)
    token = token_of(app.get("/conversation"))
    page = app.post("/conversation", {"csrf_token": token, "body": " \x00 "}, status=400)
    assert "Write a message before sending." in text_of(page)
    page = app.post("/conversation", {"csrf_token": token, "body": "w" * 20001}, status=400)
    assert "20,000 characters or fewer" in text_of(page)
    assert page.html.find(id="body").get_text() == "w" * 20001
    assert Message.select().count() == 0


def test_a_reply_with_invalid_utf8_is_refused_not_crashed(app):
    new_conversation(app)
    token = token_of(app.get("/conversation"))
    page = app.post(
        "/conversation",
        f"csrf_token={token}&body=ok".encode() + b"\xc3\x28",
        content_type="application/x-www-form-urlencoded",
        status=400,
    )
    assert "could not be read" in text_of(page)
    assert Message.select().count() == 0


def test_a_reply_needs_the_session_form_token(app):
    new_conversation(app)
    app.post("/conversation", {"body": "hi"}, status=403)
    page = app.post("/conversation", {"body": "hi", "csrf_token": "forged"}, status=403)
    assert page.html.find("a", href="/conversation") is not None
    assert Message.select().count() == 0


def test_a_closed_case_says_so_and_takes_no_messages(app, adviser, config):
    new_conversation(app)
    token = token_of(app.get("/conversation"))
    cases.set_status(Report.get().id, adviser, "closed", config=config)
    page = app.get("/conversation")
    assert "has been closed" in text_of(page)
    assert page.html.find("textarea", id="body") is None
    page = app.post("/conversation", {"csrf_token": token, "body": "Are you there?"}, status=409)
    assert "closed" in text_of(page)
    assert Message.select().count() == 0


def test_without_a_session_the_conversation_asks_for_the_code(app):
    assert app.get("/conversation", status=303).headers["Location"].endswith("/continue")
    app.set_cookie(SESSION_COOKIE, "forged-token")
    reply = app.get("/conversation", status=303)
    assert reply.headers["Location"].endswith("/continue?ended=1")
    assert "Your session has ended" in text_of(reply.follow())


def test_an_expired_session_ends_and_a_post_keeps_the_message_to_copy(app, config):
    new_conversation(app)
    token = token_of(app.get("/conversation"))
    past = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(minutes=config.session_idle_minutes + 1)
    ReporterSession.update(last_seen_at=past).execute()
    page = app.post("/conversation", {"csrf_token": token, "body": "my long message"}, status=401)
    assert "Your session has ended" in text_of(page)
    assert page.html.find(id="kept").get_text() == "my long message"
    assert Message.select().count() == 0
    assert ReporterSession.select().count() == 0


def test_logging_out_ends_the_session(app):
    new_conversation(app)
    token = token_of(app.get("/conversation"))
    reply = app.post("/logout", {"csrf_token": token}, status=303)
    assert reply.headers["Location"].endswith("/")
    assert ReporterSession.select().count() == 0
    assert app.get("/conversation", status=303)


def test_logging_out_needs_the_form_token(app):
    new_conversation(app)
    app.post("/logout", {"csrf_token": "forged"}, status=403)
    assert ReporterSession.select().count() == 1


def test_code_guesses_are_throttled_per_client(sqlite_db, config):
    throttles = Throttles(
        code_per_client=StoredThrottle("code", 3, 600, clock=still_clock()),
        code_global=StoredThrottle("code_global", 100, 60, clock=still_clock()),
    )
    app = web(config, throttles=throttles)
    for _ in range(3):
        log_in(app, "0000-0000-0000-0000", status=400)
    page = log_in(app, "0000-0000-0000-0000", status=429)
    assert int(page.headers["Retry-After"]) > 0
    assert "tried too many codes" in text_of(page)
    assert page.headers["X-Frame-Options"] == "DENY"
    # Another client is not affected, and malformed codes do not count.
    other = web(config, throttles=throttles, remote_addr="192.0.2.99")
    log_in(other, "0000-0000-0000-0000", status=400)
    log_in(app, "too-short", status=400)


def test_code_guesses_are_throttled_globally(sqlite_db, config):
    throttles = Throttles(
        code_per_client=StoredThrottle("code", 100, 600, clock=still_clock()),
        code_global=StoredThrottle("code_global", 2, 60, clock=still_clock()),
    )
    for n, status in ((1, 400), (2, 400), (3, 429)):
        page = log_in(
            web(config, throttles=throttles, remote_addr=f"192.0.2.{n}"), "0000-0000-0000-0000", status=status
        )
    assert "Too many people" in text_of(page) and page.headers["Retry-After"]


def test_reports_are_throttled_per_client_with_the_answers_kept(sqlite_db, config):
    fresh_window(3600, 60)  # the limit is per hour, counted in windows fixed to the clock
    app = web(config)
    for _ in range(5):
        send_report(app, two_way=None)
    page = send_report(app, status=429, description="Sixth report")
    assert page.headers["Retry-After"]
    assert "several reports in a short time" in text_of(page)
    assert page.html.find(id="description").get_text() == "Sixth report"
    assert Report.select().count() == 5
    send_report(web(config, throttles=app.app.throttles, remote_addr="192.0.2.200"), two_way=None)
    assert Report.select().count() == 6


def test_a_session_from_before_the_case_key_rotated_ends_and_signing_in_again_carries_on(app):
    """An admin takes the case from an adviser while the reporter is writing: the case key rotates, the
    session (holding the old key) ends with the reporter's text kept to copy, and their code opens the new key."""
    from store import casetext
    from store.config import Config
    from store.conversation import thread

    config = Config(advisers_see_unassigned=False)
    ada = advisers.create_adviser("ada", "a long enough passphrase 1", is_admin=True)
    advisers.create_adviser("bryn", "a long enough passphrase 2", keyring=ada.keyring, config=config)
    code = new_conversation(app)
    report = Report.get()
    cases.assign(report.id, ada, "bryn", config)
    bryn_kept = advisers.sign_in("bryn", "a long enough passphrase 2").keyring.case_key(report.id)
    log_in(app, code)  # a session holding the key as it is now
    token = token_of(app.get("/conversation"))
    cases.assign(report.id, ada, None, config)  # bryn loses it: rotated
    page = app.post("/conversation", {"csrf_token": token, "body": "written as bryn lost the case"}, status=401)
    assert "Your session has ended" in text_of(page)
    assert page.html.find(id="kept").get_text() == "written as bryn lost the case"
    assert Message.select().count() == 0
    log_in(app, code)
    sent = app.post(
        "/conversation",
        {"csrf_token": token_of(app.get("/conversation")), "body": "written after signing in again"},
        status=303,
    )
    assert "Your message was sent." in text_of(sent.follow())
    assert [i.body for i in thread(report.id, key=bryn_kept)] == [casetext.UNREADABLE]
    assert [i.body for i in thread(report.id, key=ada.keyring.current_key(Report.get()))] == [
        "written after signing in again"
    ]
