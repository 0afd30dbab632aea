"""Error pages: every refusal is our own page with a title, one sentence and a way back.

Unexpected exceptions become the 500 page too (``guarded``), logging only
where they happened (security.TracebackOnlyStream), never what they said.
"""

import functools
import traceback

from bottle import HTTPError, HTTPResponse, request

from store.i18n import N_

# Texts here are English message ids, put into the request's language when the page is made.
START_PAGE = ("/", N_("Go to the start page"))

DEFAULT_ERRORS = {
    400: (
        N_("We could not read that"),
        N_("Your browser sent something this site cannot read. Go back and try again."),
    ),
    403: (
        N_("This form has expired"),
        N_(
            "For your safety, forms on this site only work when sent from this site. "
            "Go back, reload the page and send it again."
        ),
    ),
    404: (
        N_("Page not found"),
        N_("There is no page at this address. Check the address, or start again from the start page."),
    ),
    405: (N_("That cannot be done here"), N_("This page cannot be used that way. Start again from the start page.")),
    413: (N_("That was too long"), N_("What you sent is too long for this site. Shorten it and send it again.")),
    429: (N_("Please wait"), N_("There have been too many attempts. Wait a few minutes and try again.")),
    500: (
        N_("Something went wrong"),
        N_("Sorry, something went wrong on our side and nothing was saved. Try again in a few minutes."),
    ),
    503: (N_("Not available"), N_("The service is not available right now. Try again in a few minutes.")),
}
# The statuses the site answers with its own error page.
PAGE_STATUSES = (400, 401, 403, 404, 405, 409, 413, 429, 500, 503)


class PageError(HTTPError):
    """An error answered with our own page: a title, a sentence and a way back (English message ids;
    ``values`` fill the sentence's places once it is translated)."""

    def __init__(self, status, title, message, back=START_PAGE, headers=None, values=None):
        super().__init__(status, message, **(headers or {}))
        self.title = title
        self.message = message
        self.back = back
        self.values = values or {}


def refused(status, back=START_PAGE, headers=None):
    """Our page for ``status`` with its usual words."""
    return PageError(status, *DEFAULT_ERRORS[status], back=back, headers=headers)


def too_many(wait, message, back=START_PAGE):
    """429 saying how long to wait: ``message`` (a message id) has a {when} for it."""
    return PageError(
        429, DEFAULT_ERRORS[429][0], message, back=back, headers={"Retry-After": str(int(wait))}, values={"when": wait}
    )


def install(app, site):
    """Answer errors with the error page, and unexpected exceptions with the 500 page."""

    def error_page(err):
        site.finish()
        if isinstance(err, PageError):
            title, message, back, values = err.title, err.message, err.back, err.values
        else:
            (title, message), back, values = DEFAULT_ERRORS.get(err.status_code, DEFAULT_ERRORS[500]), START_PAGE, {}
        lang = site.language()
        _ = lang.gettext
        if "when" in values:
            values = dict(values, when=lang.minutes(values["when"]))
        return site.page("error", title=_(title), message=_(message).format(**values), back=(back[0], _(back[1])))

    for status in PAGE_STATUSES:
        app.error(status)(error_page)
    app.install(guarded)


def guarded(callback):
    """Turn any unexpected exception into our 500 page (with headers), logging only its shape."""

    @functools.wraps(callback)
    def wrapper(*args, **kwargs):
        try:
            return callback(*args, **kwargs)
        except HTTPResponse:
            raise
        except Exception:  # noqa: BLE001 — any failure is a plain 500 page; its traceback goes to the log
            request.environ["wsgi.errors"].write(traceback.format_exc())
            raise refused(500) from None

    return wrapper
