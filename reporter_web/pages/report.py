"""GET and POST /report: the report form, and the code page or thank-you page once it is sent.

A POST with ``lang`` (a language button) sends nothing: it shows the same
page in that language — the form with what was typed, or, once the form was
sent, its answer again (the code page, the thank-you page).
"""

import dataclasses

from bottle import request, response

from store import AlreadySubmitted, ValidationError, formtokens
from store.attachments import list_files
from store.codes import format_code
from store.config import ROLES
from store.deadlines import due_date
from store.i18n import N_
from store.reports import (
    LIMITS,
    Resent,
    check_form_token,
    issue_form_token,
    resent_submission,
    sent_form,
    submit_report,
    validate_report,
)
from store.throttle import GLOBAL, Refused

from ..cookies import browser_cookie, browser_for_forms
from ..errors import refused
from ..forms import echo, posted_upload
from ..uploads import cleaned_files, field_hint, shown_files, too_large

WAYS = ("anonymous", "named")
# Where each field's error links to, in the order the form shows them.
REPORT_FIELDS = [
    ("csrf_token", "send"),
    ("way", "way-anonymous"),
    ("role", "role"),
    ("category", "category"),
    ("description", "description"),
    ("occurred", "occurred"),
    ("location", "location"),
    ("people", "people"),
    ("support", "support"),
    ("two_way", "two_way"),
    ("name", "name"),
    ("email", "email"),
    ("phone", "phone"),
    ("attachments", "attachments"),
]
REPORT_TEXT_FIELDS = (
    "way",
    "role",
    "category",
    "description",
    "occurred",
    "location",
    "people",
    "name",
    "email",
    "phone",
)
TOKEN_PLACEHOLDER = "form-token-placeholder-9c1e"
BACK = ("/report", N_("Go back to the report form"))


def register(app, site):
    @app.get("/report")
    def report_form():
        return blank_form(site)

    @app.post("/report")
    def report_submit():
        return submit(site)


def chosen_way():
    """The way to report the start page's link chose (?way=), if any."""
    way = request.query.get("way", "")
    return way if way in WAYS else ""


def blank_form(site):
    """The empty form differs only in its token, language and preselected way: rendered once for each."""
    way = chosen_way()
    lang = site.language()
    halves = site.blank_forms.get((lang.code, way))
    if halves is None:
        page = form_page(site, {"way": way}, {}, token=TOKEN_PLACEHOLDER).encode("utf-8")
        # Kept as the bytes either side of the token: a page with letters beyond Latin-1 (Welsh ŵ, ŷ)
        # would otherwise be a wide string to search and encode on every request.
        halves = site.blank_forms[lang.code, way] = tuple(page.split(TOKEN_PLACEHOLDER.encode(), 1))
    response.status = 200
    response.content_type = "text/html; charset=utf-8"
    response.set_header("Content-Language", lang.code)
    return halves[0] + issue_form_token(browser_for_forms(site.https)).encode("ascii") + halves[1]


def form_page(site, values, errors, status=200, token=None):
    """The form with the reporter's answers and, for each refused field, why (summed up at the top)."""
    if "way" not in values:
        values = dict(values, way=chosen_way())
    anchors = dict(REPORT_FIELDS)
    summary = [(anchor, errors[name]) for name, anchor in REPORT_FIELDS if name in errors]
    summary += [("description", text) for name, text in errors.items() if name not in anchors]
    config = site.config
    lang = site.language()
    _ = lang.gettext
    return site.render(
        "report",
        status=status,
        title=lang.title(_("Tell us what happened"), failed=bool(errors)),
        v=values,
        errors={name: lang.words(text) for name, text in errors.items()},
        summary=[(anchor, lang.words(text)) for anchor, text in summary],
        token=token or issue_form_token(browser_for_forms(site.https)),
        roles=[(key, _(label)) for key, label in ROLES.items()],
        categories=[(key, lang.say(config.category_label(key, lang.code))) for key in config.categories],
        locations=config.locations_in(lang.code),
        limits=LIMITS,
        working_days=config.response_working_days,
        file_hint=field_hint(lang, config) if config.attachments_max_files else [],
        files_lost=bool(values.get("files_chosen")),
        switch_query=[("way", values["way"])] if values.get("way") in WAYS else [],
    )


def submit(site):
    upload = posted_upload(site.config)
    fields, badly_encoded = upload.fields, upload.badly_encoded
    token, browser = fields.get("csrf_token", ""), browser_cookie()
    state = check_form_token(token, browser)
    if state == "forged":
        raise refused(403, back=BACK)
    values = kept_values(fields, site.config)
    values["files_chosen"] = upload.chosen  # a browser cannot be given files back: the page says to choose them again
    if fields.get("lang") in site.config.languages:
        site.language(picked=fields["lang"])
        return in_language(site, fields, values, token, browser, state)
    if state != "ok":
        return form_page(site, values, {"csrf_token": token_problem(state)}, 400)
    errors = {
        name: N_(
            "Part of this could not be read (your browser sent characters this site does not understand). "
            "Check it and send it again."
        )
        for name in badly_encoded
        if name in dict(REPORT_FIELDS)
    }
    if errors:
        return form_page(site, values, errors, 400)
    if upload.too_large:
        return form_page(site, values, {"attachments": too_large(site.config)}, 413, token=token)
    throttles = site.throttles
    try:
        # Sent again (a double click, a retry)? Answered before any limit: it is not a new report.
        resent_submission(fields, token, browser)
        # The texts first (cheap), then the files (opening them is the expensive part).
        validate_report(fields, site.config)
        files, refusal = cleaned_files(upload, site.config)
        if refusal:
            return form_page(site, values, {"attachments": refusal}, 400, token=token)
        # Counted before the report is stored, in one step with the check; given back if it is not
        # stored (Resent, a raced duplicate of this form, included).
        with throttles.reports_per_client.counted(site.client()), throttles.reports_site.counted(GLOBAL):
            submission = submit_report(
                fields,
                site.config,
                form_token=token,
                browser=browser,
                language=site.language().code,
                attachments=files,
            )
    except Refused as limit:
        return limit_reached(site, values, limit)
    except ValidationError as exc:
        return form_page(site, values, exc.errors, 400, token=token)
    except Resent as resent:  # also when the same form, sent in parallel, was stored first
        return submitted_page(site, resent.submission, token)
    except AlreadySubmitted:
        return already_page(site, token)
    return submitted_page(site, submission, token)


def in_language(site, fields, values, token, browser, state):
    """The page this form led to, in the language just chosen: the form again with what was typed
    (nothing is checked or sent), or, if the form was sent already, its answer again."""
    try:
        sent = sent_form(token, browser)
    except AlreadySubmitted:
        return already_page(site, token)
    if sent is None:
        return form_page(site, values, {}, token=token if state == "ok" else None)
    if fields.get("two_way"):
        try:
            resent_submission(fields, token, browser)
        except Resent as resent:
            return submitted_page(site, dataclasses.replace(resent.submission, again=False), token)
        except AlreadySubmitted:
            return already_page(site, token)
    return thanks_page(site, fields.get("way"), due_date(sent.sent_at, site.config), token)


def already_page(site, token):
    return site.render(
        "already", title=site.language().gettext("We already have this report"), switch_form=answer_switch(token, {})
    )


def answer_switch(token, fields):
    """The language buttons of a page answering a sent form: they post the form's token (and what
    decides the answer) back, so the same answer comes in the other language (see in_language)."""
    return ("/report", [("csrf_token", token), *fields.items()])


def kept_values(fields, config):
    """The answers, to show back if the form is refused: as they would be stored, without the
    controls, escapes and bidi overrides that have no place in a page either. A category sent by
    its label (a page from before keys) is chosen again by its key."""
    values = {k: echo(fields.get(k, ""), multiline=k in ("description", "people")) for k in REPORT_TEXT_FIELDS}
    values["category"] = config.category_key(values["category"]) or values["category"]
    values["support"] = fields.get("support", "")
    values["two_way"] = fields.get("two_way", "")
    return values


def token_problem(state):
    """Why a form token that is not forged cannot be used ("expired" or "elsewhere")."""
    if state == "expired":
        return N_("For your safety this form stops working after 12 hours. Check your answers and send it again.")
    return N_(
        "For your safety this form only works in the browser that opened it, and it was opened in another one "
        "(or before your browser was restarted). Check your answers and send it again."
    )


def report_files(site, report):
    """What the answer to a sent report shows of its files (opened with the key the report carries: the new
    report's own, or the one its code opened when the same form came again; without it, none)."""
    key = getattr(report, "case_key", None)
    return shown_files(site.language(), list_files(report.id, key)) if key is not None else []


def submitted_page(site, submission, token):
    lang = site.language()
    if not submission.code:
        return thanks_page(
            site, submission.report.way, submission.report.due_on, token, report_files(site, submission.report)
        )
    return site.render(
        "code",
        title=lang.gettext("Your report was sent: keep your code"),
        code=format_code(submission.code),
        again=submission.again,
        due=lang.long_date(submission.report.due_on),
        continue_token=formtokens.issue("continue", browser_for_forms(site.https)),
        files=report_files(site, submission.report),
        switch_form=answer_switch(token, {"two_way": "on"}),
    )


def thanks_page(site, way, due_on, token, files=()):
    lang = site.language()
    way = way if way in WAYS else "anonymous"
    return site.render(
        "thanks",
        title=lang.gettext("Your report was sent"),
        way=way,
        due=lang.long_date(due_on),
        files=files,
        switch_form=answer_switch(token, {"way": way}),
    )


def limit_reached(site, values, limit):
    """The form again (429), answers kept, saying when to send it; the site-wide brake also gives help now."""
    lang = site.language()
    if limit.throttle is site.throttles.reports_site:
        message = lang.gettext(
            "We are receiving an unusually large number of reports, so this one has not been sent. Your answers are "
            "kept below: wait {wait}, then send it again. If you need help now: {contacts}"
        ).format(wait=lang.minutes(limit.wait), contacts=site.text("emergency_contacts"))
    else:
        message = lang.gettext(
            "You have sent several reports in a short time. Wait {wait}, then send this one "
            "again. Your answers are kept below."
        ).format(wait=lang.minutes(limit.wait))
    page = form_page(site, values, {"csrf_token": message}, 429)
    response.set_header("Retry-After", str(int(limit.wait)))
    return page
