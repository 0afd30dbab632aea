"""Templates and redirects. (The words for dates, times and waits are each language's: i18n.Language.)"""

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


def see_other(location):
    """A 303 that keeps cookies set on ``response`` (a raised HTTPResponse would drop them)."""
    bottle.response.status = 303
    bottle.response.set_header("Location", location)
    return ""
