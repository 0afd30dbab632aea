"""GET and POST /conversation (the thread, and sending a message), and POST /logout.

What the page says comes from store.reporter_view: this module only puts
it into words (see ARCHITECTURE.md: front ends translate, the store decides).
"""

from bottle import request

from store import CaseClosed, NotFound, ValidationError, formtokens, sessions
from store.attachments import list_files
from store.config import ROLES
from store.conversation import post_reporter_message
from store.i18n import N_
from store.reporter_view import conversation_view, mark_seen
from store.reports import MESSAGE_LIMIT

from ..cookies import session_token, set_session_cookie
from ..errors import refused
from ..forms import echo, posted, posted_upload
from ..rendering import see_other
from ..uploads import cleaned_files, field_hint, shown_files, too_large
from .code_login import continue_page

BACK = ("/conversation", N_("Go back to your conversation"))


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
    return continue_page(
        site,
        401,
        kept_message=kept_message,
        notice=N_("Your session has ended (sessions end after a while without use). Enter your code to continue."),
    )


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
    upload = posted_upload(site.config)
    fields, badly_encoded = upload.fields, upload.badly_encoded
    token, report_id = current_session(site)
    if report_id is None:
        return session_ended(site, kept_message=echo(fields.get("body", "")[: MESSAGE_LIMIT * 2])[: MESSAGE_LIMIT + 1])
    if not formtokens.check_for_session(fields.get("csrf_token", ""), token):
        raise refused(403, back=BACK)
    raw_body = fields.get("body", "")
    body = echo(raw_body[: MESSAGE_LIMIT * 4])
    lost = upload.chosen > 0  # a browser cannot be given files back: the page says to choose them again
    if fields.get("lang") in site.config.languages:  # a language button: the same page, the message kept, not sent
        site.language(picked=fields["lang"])
        return not_sent(site, token, report_id, 200, None, body, files_lost=lost)
    if upload.too_large:
        return not_sent(site, token, report_id, 413, too_large(site.config), body, "attachments", lost)
    if "body" in badly_encoded:
        return not_sent(
            site,
            token,
            report_id,
            400,
            N_(
                "Part of your message could not be read (your browser sent "
                "characters this site does not understand). Check it and send it again."
            ),
            body,
            files_lost=lost,
        )
    files, refusal = cleaned_files(upload, site.config)
    if refusal:
        return not_sent(site, token, report_id, 400, refusal, body, "attachments", lost)
    try:
        post_reporter_message(report_id, raw_body, case_key=sessions.case_key(token), attachments=files)
    except ValidationError as exc:
        return not_sent(site, token, report_id, 400, exc.errors.get("body") or exc.args[0], body, files_lost=lost)
    except CaseClosed as exc:
        return not_sent(site, token, report_id, 409, exc.args[0], body, files_lost=lost)
    except NotFound:
        return session_ended(site)
    return see_other("/conversation?sent=1")


def not_sent(site, token, report_id, status, error, body, error_field="body", files_lost=False):
    """The conversation again, saying why the message was not sent, with the message kept to correct.
    ``error_field``: where the sentence belongs (the message, or its files)."""
    try:
        return conversation_page(
            site, token, report_id, status, error, body, error_field=error_field, files_lost=files_lost
        )
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


def conversation_page(
    site, token, report_id, status=200, error=None, body="", sent=False, error_field="body", files_lost=False
):
    """The thread as the store sees it; the adviser replies shown here count as read. NotFound if the report is gone.
    ``error``: a store sentence or a message id, put into the page's language here."""
    # The session's case key opens the thread; a session whose key is gone ends (NotFound).
    key = sessions.case_key(token)
    view = conversation_view(report_id, site.config, key=key)
    report = view.report
    lang = site.language()
    _ = lang.gettext
    by_message = {}
    for info in list_files(report.id, key):
        by_message.setdefault(info.message_id, []).append(info)
    messages = [
        {
            "mine": m.mine,
            "body": m.body,
            "when": lang.date_and_time(m.written_at),
            "new": m.new,
            "files": shown_files(lang, by_message.get(m.id, [])),
        }
        for m in view.messages
    ]
    page = site.render(
        "conversation",
        status=status,
        title=lang.title(_("Your conversation"), failed=bool(error)),
        report=report,
        written=view.text,  # what they wrote, opened with their session's key
        role=_(ROLES.get(report.role, report.role)),
        category=lang.say(site.config.category_label(report.category, lang.code)),
        submitted=lang.date_and_time(view.sent_at),
        items=messages,
        read_note=read_note(lang, view.read),
        expected=reply_note(lang, view.reply_due, view.today),
        closed=view.closed,
        csrf=formtokens.for_session(token),
        error=error and lang.words(error),
        error_field=error_field,
        files_lost=files_lost,
        report_files=shown_files(lang, by_message.get(None, [])),
        file_hint=field_hint(lang, site.config) if site.config.attachments_max_files else [],
        body=body,
        sent=sent,
        limit=MESSAGE_LIMIT,
        emergency=site.text("emergency_contacts"),
    )
    mark_seen(view)
    return page


def read_note(lang, read):
    _ = lang.gettext
    if read.what == "message":
        return (
            _("An adviser read your latest message on {date}.").format(date=lang.date_and_time(read.at))
            if read.at
            else _("An adviser has not read your latest message yet.")
        )
    return (
        _("An adviser read your report on {date}.").format(date=lang.date_and_time(read.at))
        if read.at
        else _("An adviser has not read your report yet.")
    )


def reply_note(lang, due, today):
    if due is None:
        return None
    _ = lang.gettext
    if not due.late:
        return _("An adviser will reply by {date}.").format(date=lang.long_date(due.by, today))
    return _("An adviser's reply is late (it was due by {date}). They will reply as soon as they can.").format(
        date=lang.long_date(due.by, today)
    )
