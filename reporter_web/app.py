"""The reporter site: one explicit Bottle application built by ``make_app``.

Routes only translate between people and store services (DESIGN.md). What
the site learns about a client — its address — is used for throttling only,
through store.throttle, which counts a keyed hash of it in the store for the
length of a window, under a key that is never in the database.

Before any session the site sets one cookie, BROWSER_COOKIE: a random value
that the report and code forms' tokens are bound to, so that another site
cannot post them from a victim's browser and a report form sent twice from
its browser gets its code again. It is never stored or logged.
"""

import functools
import pathlib
import re
import secrets
import traceback
from dataclasses import dataclass, field

import bottle
from bottle import HTTPError, HTTPResponse, request, response

from store import AlreadySubmitted, CaseClosed, NotFound, ValidationError, formtokens, sessions
from store.clock import local_time
from store.closures import current_closure
from store.codes import format_code, normalise_code
from store.config import ROLES, Config
from store.conversation import mark_read_by_reporter, post_reporter_message, thread
from store.deadlines import due_date, today
from store.models import Report, database
from store.sanitize import clean_text
from store.reports import (
    LIMITS,
    MESSAGE_LIMIT,
    check_form_token,
    issue_form_token,
    open_conversation_by_code,
    Resent,
    resent_submission,
    submit_report,
)
from store.throttle import GLOBAL, Refused, StoredThrottle, Unlimited, client_of

from .forms import BadForm, TooLarge, read_form
from .security import ALLOWED_METHODS, MAX_BODY, TracebackOnlyStream, apply_security_headers, same_origin

HERE = pathlib.Path(__file__).resolve().parent
VIEWS = str(HERE / "views")
STYLESHEET = HERE / "static" / "tellus.css"
SESSION_COOKIE = "tellus_session"
# A random value per browser that the report and code forms' tokens are bound
# to (store.formtokens), so a token only works in the browser it was shown to.
# Never stored or logged. SameSite=Lax, not Strict: a browser arriving from a
# link on another site must still send it, or the site would set a new one and
# break the forms open in its other tabs; no other site's POST carries it.
BROWSER_COOKIE = "tellus_browser"
# Read straight from the Cookie header (Bottle's full cookie parsing would cost
# more than the rest of a form page); any other shape counts as no cookie.
_BROWSER_VALUE = re.compile(r"(?:^|;)\s*" + BROWSER_COOKIE + r"=([A-Za-z0-9_-]{43})\s*(?:;|$)")

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
REPORT_TEXT_FIELDS = ("way", "role", "category", "description", "occurred", "location", "people", "name", "email", "phone")


@dataclass
class Throttles:
    """How often a client (and everyone together) may do the expensive things.

    Counted in the store, shared by every instance (see store.throttle).
    ``reports_site`` is the site-wide brake on reports (README, "Limits").
    """

    code_per_client: object = field(default_factory=lambda: StoredThrottle("code", 10, 15 * 60))
    code_global: object = field(default_factory=lambda: StoredThrottle("code_global", 600, 60))
    reports_per_client: object = field(default_factory=lambda: StoredThrottle("report", 5, 60 * 60))
    reports_site: object = field(
        default_factory=lambda: StoredThrottle("report_site", Config.site_reports_per_hour, 60 * 60))

    @classmethod
    def for_config(cls, config):
        return cls(reports_site=StoredThrottle("report_site", config.site_reports_per_hour, 60 * 60))

    @classmethod
    def unlimited(cls):
        return cls(Unlimited(), Unlimited(), Unlimited(), Unlimited())


class PageError(HTTPError):
    """An error answered with our own page: a title, a sentence and a way back."""

    def __init__(self, status, title, message, back=("/", "Go to the start page"), headers=None):
        super().__init__(status, message, **(headers or {}))
        self.title = title
        self.message = message
        self.back = back


DEFAULT_ERRORS = {
    400: ("We could not read that", "Your browser sent something this site cannot read. Go back and try again."),
    403: ("This form has expired", "For your safety, forms on this site only work when sent from this site. Go back, reload the page and send it again."),
    404: ("Page not found", "There is no page at this address. Check the address, or start again from the start page."),
    405: ("That cannot be done here", "This page cannot be used that way. Start again from the start page."),
    413: ("That was too long", "What you sent is too long for this site. Shorten it and send it again."),
    429: ("Please wait", "There have been too many attempts. Wait a few minutes and try again."),
    500: ("Something went wrong", "Sorry, something went wrong on our side and nothing was saved. Try again in a few minutes."),
    503: ("Not available", "The service is not available right now. Try again in a few minutes."),
}


def utf8_path(raw):
    """Whether a WSGI path (bytes as latin-1) is UTF-8. Bottle drops the bytes that are not,
    which would make ``/report%ff`` the report form."""
    try:
        raw.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return False
    return True


def see_other(location):
    """A 303 that keeps cookies set on ``response`` (a raised HTTPResponse would drop them)."""
    response.status = 303
    response.set_header("Location", location)
    return ""


def echo(value, multiline=True):
    """Reporter input shown back to them (a refused form, a kept message): cleaned like stored text."""
    return clean_text(value, multiline=multiline)


def long_date(day, ref=None):
    text = f"{day:%A} {day.day} {day:%B}"
    if ref is not None and day.year != ref.year:
        text += f" {day.year}"
    return text


def make_app(config, *, https=False, throttles=None):
    """Build the reporter site for ``config``. The database must be opened (store.open_database)."""
    app = bottle.Bottle()
    app.config["catchall"] = True
    throttles = throttles or Throttles.for_config(config)
    stylesheet = STYLESHEET.read_bytes()

    # Compiled once per app. (bottle.template() keys its cache on id(lookup
    # list), so a fresh list per call recompiles every time and leaks.)
    templates = {}

    def template(name, **values):
        tpl = templates.get(name)
        if tpl is None:
            tpl = templates[name] = bottle.SimpleTemplate(name=name, lookup=[VIEWS])
        return tpl.render(**values)

    def render(name, status=200, **values):
        response.status = status
        response.content_type = "text/html; charset=utf-8"
        values.setdefault("title", "")
        values.setdefault("org", config.organisation)
        return template(name, **values)

    def client():
        """Whom the throttles count: the address waitress gives (its network, for IPv6). Never stored."""
        address, port = request.environ.get("REMOTE_ADDR") or "", request.environ.get("REMOTE_PORT") or ""
        if ":" in address and "." in port:
            # waitress splits an X-Forwarded-For of "::ffff:a.b.c.d" at its last colon, as if a port followed.
            address = f"{address}:{port}"
        return client_of(address, config.ipv6_prefix)

    # ---- hooks and plumbing -------------------------------------------------

    @app.hook("before_request")
    def before():
        env = request.environ
        env["wsgi.errors"] = TracebackOnlyStream(env["wsgi.errors"])
        method = env.get("REQUEST_METHOD", "GET").upper()
        if method not in ALLOWED_METHODS:
            raise PageError(405, *DEFAULT_ERRORS[405], headers={"Allow": ", ".join(ALLOWED_METHODS)})
        if not utf8_path(env.get("bottle.raw_path", "")):
            raise PageError(404, *DEFAULT_ERRORS[404])
        if method == "POST":
            try:
                length = int(env.get("CONTENT_LENGTH") or 0)
            except ValueError:
                raise PageError(400, *DEFAULT_ERRORS[400]) from None
            if length > MAX_BODY:
                raise PageError(413, *DEFAULT_ERRORS[413])
            # Browsers say where a form came from even when they send no Referer: newer
            # ones in Sec-Fetch-Site, most in Origin (older ones in neither; for them the
            # form tokens are bound to the browser).
            if not same_origin(env):
                raise PageError(403, *DEFAULT_ERRORS[403])

    @app.hook("after_request")
    def after():
        apply_security_headers(response, https)
        # One connection per request, opened lazily by the first query.
        if not database.is_closed():
            database.close()

    def error_page(err):
        apply_security_headers(response, https)
        if not database.is_closed():
            database.close()
        if isinstance(err, PageError):
            title, message, back = err.title, err.message, err.back
        else:
            title, message = DEFAULT_ERRORS.get(err.status_code, DEFAULT_ERRORS[500])
            back = ("/", "Go to the start page")
        response.content_type = "text/html; charset=utf-8"
        return template("error", title=title, message=message, back=back, org=config.organisation)

    for status in (400, 401, 403, 404, 405, 409, 413, 429, 500, 503):
        app.error(status)(error_page)

    def guarded(callback):
        """Turn any unexpected exception into our 500 page (with headers), logging only its shape."""

        @functools.wraps(callback)
        def wrapper(*args, **kwargs):
            try:
                return callback(*args, **kwargs)
            except HTTPResponse:
                raise
            except Exception:
                request.environ["wsgi.errors"].write(traceback.format_exc())
                raise PageError(500, *DEFAULT_ERRORS[500]) from None

        return wrapper

    app.install(guarded)

    def posted():
        try:
            return read_form(request.environ)
        except TooLarge:
            raise PageError(413, *DEFAULT_ERRORS[413]) from None
        except BadForm:
            raise PageError(400, *DEFAULT_ERRORS[400]) from None

    def browser_cookie():
        """This browser's BROWSER_COOKIE value, or None if it sent none (or a malformed one)."""
        found = _BROWSER_VALUE.search(request.environ.get("HTTP_COOKIE", ""))
        return found.group(1) if found else None

    def browser_for_forms():
        """The value this page's form tokens are bound to: the browser's own, or a new one
        set in a cookie now (once per response)."""
        value = browser_cookie() or request.environ.get("tellus.new_browser")
        if value is None:
            value = request.environ["tellus.new_browser"] = secrets.token_urlsafe(32)
            cookie = f"{BROWSER_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax"
            response.add_header("Set-Cookie", cookie + ("; Secure" if https else ""))
        return value

    def minutes(wait):
        count = max(1, -(-int(wait) // 60))
        return f"{count} minute{'s' if count != 1 else ''}"

    def too_many(wait, message, back=("/", "Go to the start page")):
        text = message.format(when=minutes(wait))
        return PageError(429, "Please wait", text, back=back, headers={"Retry-After": str(int(wait))})

    # ---- pages --------------------------------------------------------------

    @app.get("/")
    def start():
        closure = current_closure(config)
        closure_text = None
        if closure is not None:
            now_day = today(config)
            verb = "are not" if closure.start <= now_day else "will not be"
            closure_text = f"Reports {verb} monitored between {long_date(closure.start, now_day)} and {long_date(closure.end, now_day)}."
        return render("start", title="Tell us what happened", closure=closure, closure_text=closure_text,
                      emergency=config.emergency_contacts)

    @app.get("/static/tellus.css")
    def css():
        response.content_type = "text/css; charset=utf-8"
        response.set_header("Cache-Control", "public, max-age=86400")
        return stylesheet

    @app.get("/healthz")
    def healthz():
        try:
            database.execute_sql("SELECT 1").fetchone()
        except Exception:
            raise PageError(503, *DEFAULT_ERRORS[503]) from None
        response.content_type = "text/plain; charset=utf-8"
        return "ok"

    # ---- the report form ------------------------------------------------------

    blank_forms = {}  # way → the empty form, rendered once, with a token placeholder
    placeholder = "form-token-placeholder-9c1e"

    def report_page(values=None, errors=None, status=200, token=None):
        if not values and not errors and token is None:
            # The empty form differs only in its token and preselected way: render it once.
            way = request.query.get("way", "")
            way = way if way in ("anonymous", "named") else ""
            page = blank_forms.get(way)
            if page is None:
                page = blank_forms[way] = report_page({"way": way}, {}, 200, placeholder)
            response.status = 200
            response.content_type = "text/html; charset=utf-8"
            return page.replace(placeholder, issue_form_token(browser_for_forms()), 1)
        values = values or {}
        if "way" not in values:
            way = request.query.get("way", "")
            values = dict(values, way=way if way in ("anonymous", "named") else "")
        errors = errors or {}
        ordered = [(anchor, errors[name]) for name, anchor in REPORT_FIELDS if name in errors]
        ordered += [("description", text) for name, text in errors.items() if name not in dict(REPORT_FIELDS)]
        return render("report", status=status, title=("Error: " if errors else "") + "Tell us what happened",
                      v=values, errors=errors, summary=ordered, token=token or issue_form_token(browser_for_forms()),
                      roles=ROLES, categories=config.categories, locations=config.locations, limits=LIMITS,
                      working_days=config.response_working_days)

    @app.get("/report")
    def report_form():
        return report_page()

    @app.post("/report")
    def report_submit():
        fields, badly_encoded = posted()
        token = fields.get("csrf_token", "")
        browser = browser_cookie()
        state = check_form_token(token, browser)
        if state == "forged":
            raise PageError(403, DEFAULT_ERRORS[403][0], DEFAULT_ERRORS[403][1], back=("/report", "Go back to the report form"))
        # Shown back in the form if it is refused: as it would be stored, without the
        # controls, escapes and bidi overrides that have no place in a page either.
        values = {k: echo(fields.get(k, ""), multiline=k in ("description", "people")) for k in REPORT_TEXT_FIELDS}
        values["support"] = fields.get("support", "")
        values["two_way"] = fields.get("two_way", "")
        if state == "expired":
            return report_page(values, {"csrf_token": "For your safety this form stops working after 12 hours. Check your answers and send it again."}, 400)
        if state == "elsewhere":
            return report_page(values, {"csrf_token": "For your safety this form only works in the browser that opened it, and it was opened in another one (or before your browser was restarted). Check your answers and send it again."}, 400)
        errors = {
            name: "Part of this could not be read (your browser sent characters this site does not understand). Check it and send it again."
            for name in badly_encoded if name in dict(REPORT_FIELDS)
        }
        if errors:
            return report_page(values, errors, 400)
        try:
            # Sent again (a double click, a retry)? Answered before any limit: it is not a new report.
            resent_submission(fields, token, browser)
            # Counted before the report is stored, in one step with the check; given back if it is not
            # stored (Resent, a raced duplicate of this form, included).
            with throttles.reports_per_client.counted(client()), throttles.reports_site.counted(GLOBAL):
                submission = submit_report(fields, config, form_token=token, browser=browser)
        except Refused as refused:
            return reports_refused(values, refused)
        except ValidationError as exc:
            return report_page(values, exc.errors, 400, token=token)
        except Resent as resent:  # also when the same form, sent in parallel, was stored first
            return submitted_page(resent.submission)
        except AlreadySubmitted:
            return render("already", title="We already have this report")
        return submitted_page(submission)

    def submitted_page(submission):
        if submission.code:
            return render("code", title="Your report was sent: keep your code", code=format_code(submission.code),
                          again=submission.again, continue_token=formtokens.issue("continue", browser_for_forms()),
                          due=long_date(submission.report.due_on))
        return render("thanks", title="Your report was sent", report=submission.report,
                      due=long_date(submission.report.due_on))

    def reports_refused(values, refused):
        """The form again (429), answers kept, saying when to send it; the site-wide brake also gives help now."""
        if refused.throttle is throttles.reports_site:
            message = (f"We are receiving an unusually large number of reports, so this one has not been sent. Your "
                       f"answers are kept below: wait {minutes(refused.wait)}, then send it again. If you need help "
                       f"now: {config.emergency_contacts}")
        else:
            message = (f"You have sent several reports in a short time. Wait {minutes(refused.wait)}, then send this "
                       f"one again. Your answers are kept below.")
        page = report_page(values, {"csrf_token": message}, 429)
        response.set_header("Retry-After", str(int(refused.wait)))
        return page

    # ---- coming back with a code ------------------------------------------------

    def continue_page(status=200, error=None, code="", notice=None, kept_message=None):
        return render("continue", status=status, title=("Error: " if error else "") + "Continue a conversation",
                      error=error, code=code, notice=notice, token=formtokens.issue("continue", browser_for_forms()),
                      kept_message=kept_message)

    @app.get("/continue")
    def continue_form():
        notice = "Your session has ended. Enter your code to continue." if request.query.get("ended") else None
        return continue_page(notice=notice)

    @app.post("/continue")
    def continue_submit():
        fields, _bad = posted()
        # Bound to this browser: another site cannot post its own code in (login CSRF).
        if formtokens.check(fields.get("csrf_token", ""), "continue", browser_cookie()) in ("forged", "elsewhere"):
            raise PageError(403, DEFAULT_ERRORS[403][0], DEFAULT_ERRORS[403][1], back=("/continue", "Go back to enter your code"))
        typed = fields.get("code", "")
        try:
            code = normalise_code(typed)
        except ValidationError as exc:
            return continue_page(400, exc.errors.get("code"), code=clean_text(typed, multiline=False)[:60])
        who = client()
        for limiter, message in (
            (throttles.code_per_client, "You have tried too many codes. For your safety, wait {when} and try again."),
            (throttles.code_global, "Too many people are entering codes right now. Wait {when} and try again."),
        ):
            wait = limiter.hit(GLOBAL if limiter is throttles.code_global else who)
            if wait:
                raise too_many(wait, message, back=("/continue", "Go back to enter your code"))
        try:
            report = open_conversation_by_code(code)
        except NotFound as exc:
            return continue_page(400, str(exc))
        # A new token on every login; an older session in this browser ends.
        old = request.get_cookie(SESSION_COOKIE)
        if old:
            sessions.end_session(old)
        token = sessions.create_session(report, absolute_minutes=config.session_absolute_minutes)
        set_session_cookie(token)
        return see_other("/conversation")

    # ---- the conversation -----------------------------------------------------

    def set_session_cookie(token):
        """Only a random token; its hash is the session in the store. Empty = forget it."""
        # Written by hand: Bottle lower-cases SameSite's value.
        cookie = f"{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict"
        if not token:
            cookie += "; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT"
        if https:
            cookie += "; Secure"
        response.add_header("Set-Cookie", cookie)

    def current_session():
        token = request.get_cookie(SESSION_COOKIE)
        if not token:
            return None, None
        report_id = sessions.check_session(token, idle_minutes=config.session_idle_minutes)
        if report_id is None:
            return token, None
        report = Report.get_or_none(Report.id == report_id)
        return token, report

    def session_ended(kept_message=None):
        set_session_cookie("")
        return continue_page(401, notice="Your session has ended (sessions end after a while without use). Enter your code to continue.",
                             kept_message=kept_message)

    def conversation_page(token, report, status=200, error=None, body="", sent=False):
        items = thread(report.id)
        now_day = today(config)
        tz = config.timezone

        def when(moment):
            local = local_time(moment, tz)
            return f"{local.day} {local:%B %Y}, {local:%H:%M}"

        shown = [
            {"mine": i.author == "reporter", "body": i.body, "when": when(i.created_at),
             "new": i.author == "adviser" and i.read_at is None}
            for i in items
        ]
        mine = [i for i in items if i.author == "reporter"]
        if mine:
            last = mine[-1]
            read_note = (f"An adviser read your latest message on {when(last.read_at)}." if last.read_at
                         else "An adviser has not read your latest message yet.")
        else:
            read_note = (f"An adviser read your report on {when(report.adviser_read_at)}." if report.adviser_read_at
                         else "An adviser has not read your report yet.")
        expected = None
        if report.status != "closed":
            if report.first_response_at is None:
                due = report.due_on
            elif items and items[-1].author == "reporter":
                due = due_date(items[-1].created_at, config)
            else:
                due = None
            if due is not None:
                expected = (f"An adviser will reply by {long_date(due, now_day)}." if due >= now_day
                            else f"An adviser's reply is late (it was due by {long_date(due, now_day)}). They will reply as soon as they can.")
        page = render("conversation", status=status, title=("Error: " if error else "") + "Your conversation",
                      report=report, role=ROLES.get(report.role, report.role), submitted=when(report.created_at),
                      items=shown, read_note=read_note, expected=expected, closed=report.status == "closed",
                      csrf=formtokens.for_session(token), error=error, body=body, sent=sent, limit=MESSAGE_LIMIT,
                      emergency=config.emergency_contacts)
        if any(s["new"] for s in shown):
            mark_read_by_reporter(report.id)
        return page

    @app.get("/conversation")
    def conversation():
        token, report = current_session()
        if report is None:
            set_session_cookie("")
            return see_other("/continue?ended=1" if token else "/continue")
        return conversation_page(token, report, sent=bool(request.query.get("sent")))

    @app.post("/conversation")
    def conversation_reply():
        fields, badly_encoded = posted()
        token, report = current_session()
        if report is None:
            return session_ended(kept_message=echo(fields.get("body", "")[: MESSAGE_LIMIT * 2])[: MESSAGE_LIMIT + 1])
        if not formtokens.check_for_session(fields.get("csrf_token", ""), token):
            raise PageError(403, DEFAULT_ERRORS[403][0], DEFAULT_ERRORS[403][1], back=("/conversation", "Go back to your conversation"))
        raw_body = fields.get("body", "")
        body = echo(raw_body[: MESSAGE_LIMIT * 4])
        if "body" in badly_encoded:
            return conversation_page(token, report, 400, "Part of your message could not be read (your browser sent characters this site does not understand). Check it and send it again.", body)
        try:
            post_reporter_message(report.id, raw_body)
        except ValidationError as exc:
            return conversation_page(token, report, 400, exc.errors.get("body") or str(exc), body)
        except CaseClosed as exc:
            return conversation_page(token, report, 409, str(exc), body)
        except NotFound:
            return session_ended()
        return see_other("/conversation?sent=1")

    @app.post("/logout")
    def logout():
        fields, _bad = posted()
        token = request.get_cookie(SESSION_COOKIE)
        if token and sessions.check_session(token, idle_minutes=config.session_idle_minutes) is not None:
            if not formtokens.check_for_session(fields.get("csrf_token", ""), token):
                raise PageError(403, DEFAULT_ERRORS[403][0], DEFAULT_ERRORS[403][1], back=("/conversation", "Go back to your conversation"))
            sessions.end_session(token)
        set_session_cookie("")
        return see_other("/")

    app.throttles = throttles
    return app
