"""GET and POST /report: the report form, and the code page or thank-you page once it is sent."""

from bottle import request, response

from store import AlreadySubmitted, ValidationError, formtokens
from store.codes import format_code
from store.config import ROLES
from store.reports import (
    LIMITS,
    Resent,
    check_form_token,
    issue_form_token,
    resent_submission,
    submit_report,
)
from store.throttle import GLOBAL, Refused

from ..cookies import browser_cookie, browser_for_forms
from ..errors import refused
from ..forms import echo, posted
from ..rendering import long_date, minutes

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
]
REPORT_TEXT_FIELDS = ("way", "role", "category", "description", "occurred", "location", "people", "name", "email",
                      "phone")
TOKEN_PLACEHOLDER = "form-token-placeholder-9c1e"
BACK = ("/report", "Go back to the report form")


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
    """The empty form differs only in its token and preselected way: rendered once for each way."""
    way = chosen_way()
    page = site.blank_forms.get(way)
    if page is None:
        page = site.blank_forms[way] = form_page(site, {"way": way}, {}, token=TOKEN_PLACEHOLDER)
    response.status = 200
    response.content_type = "text/html; charset=utf-8"
    return page.replace(TOKEN_PLACEHOLDER, issue_form_token(browser_for_forms(site.https)), 1)


def form_page(site, values, errors, status=200, token=None):
    """The form with the reporter's answers and, for each refused field, why (summed up at the top)."""
    if "way" not in values:
        values = dict(values, way=chosen_way())
    anchors = dict(REPORT_FIELDS)
    summary = [(anchor, errors[name]) for name, anchor in REPORT_FIELDS if name in errors]
    summary += [("description", text) for name, text in errors.items() if name not in anchors]
    config = site.config
    return site.render("report", status=status, title=("Error: " if errors else "") + "Tell us what happened",
                       v=values, errors=errors, summary=summary,
                       token=token or issue_form_token(browser_for_forms(site.https)), roles=ROLES,
                       categories=config.categories, locations=config.locations, limits=LIMITS,
                       working_days=config.response_working_days)


def submit(site):
    fields, badly_encoded = posted()
    token, browser = fields.get("csrf_token", ""), browser_cookie()
    state = check_form_token(token, browser)
    if state == "forged":
        raise refused(403, back=BACK)
    values = kept_values(fields)
    if state != "ok":
        return form_page(site, values, {"csrf_token": token_problem(state)}, 400)
    errors = {name: "Part of this could not be read (your browser sent characters this site does not understand). "
                    "Check it and send it again."
              for name in badly_encoded if name in dict(REPORT_FIELDS)}
    if errors:
        return form_page(site, values, errors, 400)
    throttles = site.throttles
    try:
        # Sent again (a double click, a retry)? Answered before any limit: it is not a new report.
        resent_submission(fields, token, browser)
        # Counted before the report is stored, in one step with the check; given back if it is not
        # stored (Resent, a raced duplicate of this form, included).
        with throttles.reports_per_client.counted(site.client()), throttles.reports_site.counted(GLOBAL):
            submission = submit_report(fields, site.config, form_token=token, browser=browser)
    except Refused as limit:
        return limit_reached(site, values, limit)
    except ValidationError as exc:
        return form_page(site, values, exc.errors, 400, token=token)
    except Resent as resent:  # also when the same form, sent in parallel, was stored first
        return submitted_page(site, resent.submission)
    except AlreadySubmitted:
        return site.render("already", title="We already have this report")
    return submitted_page(site, submission)


def kept_values(fields):
    """The answers, to show back if the form is refused: as they would be stored, without the
    controls, escapes and bidi overrides that have no place in a page either."""
    values = {k: echo(fields.get(k, ""), multiline=k in ("description", "people")) for k in REPORT_TEXT_FIELDS}
    values["support"] = fields.get("support", "")
    values["two_way"] = fields.get("two_way", "")
    return values


def token_problem(state):
    """Why a form token that is not forged cannot be used ("expired" or "elsewhere")."""
    if state == "expired":
        return "For your safety this form stops working after 12 hours. Check your answers and send it again."
    return ("For your safety this form only works in the browser that opened it, and it was opened in another one "
            "(or before your browser was restarted). Check your answers and send it again.")


def submitted_page(site, submission):
    due = long_date(submission.report.due_on)
    if submission.code:
        return site.render("code", title="Your report was sent: keep your code", code=format_code(submission.code),
                           again=submission.again, due=due,
                           continue_token=formtokens.issue("continue", browser_for_forms(site.https)))
    return site.render("thanks", title="Your report was sent", report=submission.report, due=due)


def limit_reached(site, values, limit):
    """The form again (429), answers kept, saying when to send it; the site-wide brake also gives help now."""
    if limit.throttle is site.throttles.reports_site:
        message = (f"We are receiving an unusually large number of reports, so this one has not been sent. Your "
                   f"answers are kept below: wait {minutes(limit.wait)}, then send it again. If you need help "
                   f"now: {site.config.emergency_contacts}")
    else:
        message = (f"You have sent several reports in a short time. Wait {minutes(limit.wait)}, then send this "
                   f"one again. Your answers are kept below.")
    page = form_page(site, values, {"csrf_token": message}, 429)
    response.set_header("Retry-After", str(int(limit.wait)))
    return page
