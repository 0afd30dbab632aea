"""Error pages: every refusal is our own page with a title, one sentence and a way back.

Unexpected exceptions become the 500 page too (``guarded``), logging only
where they happened (security.TracebackOnlyStream), never what they said.
"""

import functools
import traceback

from bottle import HTTPError, HTTPResponse, request, response

from .rendering import minutes

START_PAGE = ("/", "Go to the start page")

DEFAULT_ERRORS = {
    400: ("We could not read that", "Your browser sent something this site cannot read. Go back and try again."),
    403: ("This form has expired", "For your safety, forms on this site only work when sent from this site. "
                                   "Go back, reload the page and send it again."),
    404: ("Page not found", "There is no page at this address. Check the address, or start again from the start page."),
    405: ("That cannot be done here", "This page cannot be used that way. Start again from the start page."),
    413: ("That was too long", "What you sent is too long for this site. Shorten it and send it again."),
    429: ("Please wait", "There have been too many attempts. Wait a few minutes and try again."),
    500: ("Something went wrong", "Sorry, something went wrong on our side and nothing was saved. "
                                  "Try again in a few minutes."),
    503: ("Not available", "The service is not available right now. Try again in a few minutes."),
}
# The statuses the site answers with its own error page.
PAGE_STATUSES = (400, 401, 403, 404, 405, 409, 413, 429, 500, 503)


class PageError(HTTPError):
    """An error answered with our own page: a title, a sentence and a way back."""

    def __init__(self, status, title, message, back=START_PAGE, headers=None):
        super().__init__(status, message, **(headers or {}))
        self.title = title
        self.message = message
        self.back = back


def refused(status, back=START_PAGE, headers=None):
    """Our page for ``status`` with its usual words."""
    return PageError(status, *DEFAULT_ERRORS[status], back=back, headers=headers)


def too_many(wait, message, back=START_PAGE):
    """429 saying how long to wait: ``message`` has a {when} for it."""
    return PageError(429, "Please wait", message.format(when=minutes(wait)), back=back,
                     headers={"Retry-After": str(int(wait))})


def install(app, site):
    """Answer errors with the error page, and unexpected exceptions with the 500 page."""

    def error_page(err):
        site.finish()
        if isinstance(err, PageError):
            title, message, back = err.title, err.message, err.back
        else:
            title, message = DEFAULT_ERRORS.get(err.status_code, DEFAULT_ERRORS[500])
            back = START_PAGE
        response.content_type = "text/html; charset=utf-8"
        return site.templates.render("error", title=title, message=message, back=back, org=site.config.organisation)

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
        except Exception:
            request.environ["wsgi.errors"].write(traceback.format_exc())
            raise refused(500) from None

    return wrapper
