"""GET and POST /continue: coming back with the code; success starts a session (303 /conversation)."""

from bottle import request

from store import NotFound, ValidationError, formtokens, sessions
from store.codes import normalise_code
from store.i18n import N_
from store.reports import open_conversation_by_code
from store.throttle import GLOBAL

from ..cookies import browser_cookie, browser_for_forms, session_token, set_session_cookie
from ..errors import refused, too_many
from ..forms import echo, posted
from ..rendering import see_other

BACK = ("/continue", N_("Go back to enter your code"))
SESSION_ENDED = N_("Your session has ended. Enter your code to continue.")


def register(app, site):
    @app.get("/continue")
    def continue_form():
        return continue_page(site, notice=SESSION_ENDED if request.query.get("ended") else None)

    @app.post("/continue")
    def continue_submit():
        return log_in(site)


def continue_page(site, status=200, error=None, code="", notice=None, kept_message=None):
    """The code form; ``kept_message`` is a message that could not be sent, shown to copy.
    ``error`` and ``notice`` are message ids or store sentences, put into the page's language here."""
    lang = site.language()
    _ = lang.gettext
    return site.render(
        "continue",
        status=status,
        title=lang.title(_("Continue a conversation"), failed=bool(error)),
        error=error and lang.words(error),
        code=code,
        notice=notice and lang.words(notice),
        kept_message=kept_message,
        token=formtokens.issue("continue", browser_for_forms(site.https)),
    )


def log_in(site):
    fields, _bad = posted()
    # Bound to this browser: another site cannot post its own code in (login CSRF).
    if formtokens.check(fields.get("csrf_token", ""), "continue", browser_cookie()) in ("forged", "elsewhere"):
        raise refused(403, back=BACK)
    typed = fields.get("code", "")
    if fields.get("lang") in site.config.languages:  # a language button: the same form, nothing tried
        site.language(picked=fields["lang"])
        return continue_page(site, code=echo(typed, multiline=False)[:60])
    try:
        code = normalise_code(typed)
    except ValidationError as exc:
        return continue_page(site, 400, exc.errors.get("code"), code=echo(typed, multiline=False)[:60])
    count_guess(site)
    try:
        report = open_conversation_by_code(code, site.config)
    except NotFound as exc:
        return continue_page(site, 400, exc.args[0])
    # A new token on every login; an older session in this browser ends.
    old = session_token()
    if old:
        sessions.end_session(old)
    set_session_cookie(
        sessions.create_session(report, absolute_minutes=site.config.session_absolute_minutes), site.https
    )
    return see_other("/conversation")


def count_guess(site):
    """A well-formed code is a guess, counted for this client and for everyone: 429 past either limit."""
    throttles = site.throttles
    for limiter, who, message in (
        (
            throttles.code_per_client,
            site.client(),
            N_("You have tried too many codes. For your safety, wait {when} and try again."),
        ),
        (throttles.code_global, GLOBAL, N_("Too many people are entering codes right now. Wait {when} and try again.")),
    ):
        wait = limiter.hit(who)
        if wait:
            raise too_many(wait, message, back=BACK)
