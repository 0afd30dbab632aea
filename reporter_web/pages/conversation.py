"""GET and POST /conversation (the thread, and sending a message), and POST /logout.

What the page says comes from store.reporter_view: this module only puts
it into words (see ARCHITECTURE.md: front ends translate, the store decides).
"""

from bottle import request

from store import CaseClosed, NotFound, ValidationError, formtokens, sessions
from store.config import ROLES
from store.conversation import post_reporter_message
from store.reporter_view import conversation_view, mark_seen
from store.reports import MESSAGE_LIMIT

from ..cookies import session_token, set_session_cookie
from ..errors import refused
from ..forms import echo, posted
from ..rendering import date_and_time, long_date, see_other
from .code_login import continue_page

BACK = ("/conversation", "Go back to your conversation")


def register(app, site):
    @app.get("/conversation")
    def conversation():
        return show(site)

    @app.post("/conversation")
    def conversation_reply():
        return send(site)

    @app.post("/logout")
    def logout():
        return log_out(site)


def current_session(site):
    """(token, report id) of this browser's live session; without one the id is None."""
    token = session_token()
    if not token:
        return None, None
    return token, sessions.check_session(token, idle_minutes=site.config.session_idle_minutes)


def session_ended(site, kept_message=None):
    set_session_cookie("", site.https)
    return continue_page(site, 401, kept_message=kept_message,
                         notice="Your session has ended (sessions end after a while without use). "
                                "Enter your code to continue.")


def show(site):
    token, report_id = current_session(site)
    if report_id is not None:
        try:
            return conversation_page(site, token, report_id, sent=bool(request.query.get("sent")))
        except NotFound:  # the report went (a purge) after the session was checked
            pass
    set_session_cookie("", site.https)
    return see_other("/continue?ended=1" if token else "/continue")


def send(site):
    fields, badly_encoded = posted()
    token, report_id = current_session(site)
    if report_id is None:
        return session_ended(site, kept_message=echo(fields.get("body", "")[: MESSAGE_LIMIT * 2])[: MESSAGE_LIMIT + 1])
    if not formtokens.check_for_session(fields.get("csrf_token", ""), token):
        raise refused(403, back=BACK)
    raw_body = fields.get("body", "")
    body = echo(raw_body[: MESSAGE_LIMIT * 4])
    if "body" in badly_encoded:
        return not_sent(site, token, report_id, 400, "Part of your message could not be read (your browser sent "
                        "characters this site does not understand). Check it and send it again.", body)
    try:
        post_reporter_message(report_id, raw_body)
    except ValidationError as exc:
        return not_sent(site, token, report_id, 400, exc.errors.get("body") or str(exc), body)
    except CaseClosed as exc:
        return not_sent(site, token, report_id, 409, str(exc), body)
    except NotFound:
        return session_ended(site)
    return see_other("/conversation?sent=1")


def not_sent(site, token, report_id, status, error, body):
    """The conversation again, saying why the message was not sent, with the message kept to correct."""
    try:
        return conversation_page(site, token, report_id, status, error, body)
    except NotFound:  # the report went (a purge) meanwhile
        return session_ended(site)


def log_out(site):
    fields, _bad = posted()
    token = session_token()
    if token and sessions.check_session(token, idle_minutes=site.config.session_idle_minutes) is not None:
        if not formtokens.check_for_session(fields.get("csrf_token", ""), token):
            raise refused(403, back=BACK)
        sessions.end_session(token)
    set_session_cookie("", site.https)
    return see_other("/")


def conversation_page(site, token, report_id, status=200, error=None, body="", sent=False):
    """The thread as the store sees it; the adviser replies shown here count as read. NotFound if the report is gone."""
    view = conversation_view(report_id, site.config)
    report = view.report
    messages = [{"mine": m.mine, "body": m.body, "when": date_and_time(m.written_at), "new": m.new}
                for m in view.messages]
    page = site.render("conversation", status=status, title=("Error: " if error else "") + "Your conversation",
                       report=report, role=ROLES.get(report.role, report.role), submitted=date_and_time(view.sent_at),
                       items=messages, read_note=read_note(view.read), expected=reply_note(view.reply_due, view.today),
                       closed=view.closed, csrf=formtokens.for_session(token), error=error, body=body, sent=sent,
                       limit=MESSAGE_LIMIT, emergency=site.config.emergency_contacts)
    mark_seen(view)
    return page


def read_note(read):
    if read.what == "message":
        return (f"An adviser read your latest message on {date_and_time(read.at)}." if read.at
                else "An adviser has not read your latest message yet.")
    return (f"An adviser read your report on {date_and_time(read.at)}." if read.at
            else "An adviser has not read your report yet.")


def reply_note(due, today):
    if due is None:
        return None
    if not due.late:
        return f"An adviser will reply by {long_date(due.by, today)}."
    return (f"An adviser's reply is late (it was due by {long_date(due.by, today)}). "
            "They will reply as soon as they can.")
