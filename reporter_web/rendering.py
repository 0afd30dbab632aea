"""Templates, redirects, and the words for dates, times and waits that pages put into sentences.

Every date or time a reporter reads is written by one of the functions
here, from the local dates and times the store gives (store.reporter_view).
"""

import pathlib

import bottle

VIEWS = str(pathlib.Path(__file__).resolve().parent / "views")


class Templates:
    """The views in views/, each compiled once.

    bottle.template() keys its cache on id(lookup list), so a fresh list per
    call would recompile every time and leak; these are kept per app instead.
    """

    def __init__(self, folder=VIEWS):
        self.folder = folder
        self.compiled = {}

    def render(self, name, **values):
        template = self.compiled.get(name)
        if template is None:
            template = self.compiled[name] = bottle.SimpleTemplate(name=name, lookup=[self.folder])
        return template.render(**values)


def long_date(day, ref=None):
    """A date as in "Monday 30 November", with the year when it is not ``ref``'s year."""
    text = f"{day:%A} {day.day} {day:%B}"
    if ref is not None and day.year != ref.year:
        text += f" {day.year}"
    return text


def date_and_time(moment):
    """A local time as in "30 November 2026, 14:05"."""
    return f"{moment.day} {moment:%B %Y}, {moment:%H:%M}"


def minutes(seconds):
    """A wait in whole minutes, rounded up: "1 minute", "12 minutes"."""
    count = max(1, -(-int(seconds) // 60))
    return f"{count} minute{'s' if count != 1 else ''}"


def see_other(location):
    """A 303 that keeps cookies set on ``response`` (a raised HTTPResponse would drop them)."""
    bottle.response.status = 303
    bottle.response.set_header("Location", location)
    return ""
