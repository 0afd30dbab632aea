"""The site's pages, a module for each part of the reporter's journey.

Each module's ``register(app, site)`` adds its routes to the app; ``site``
(reporter_web.site.Site) is what they share. Pages ask the store and put
its answers into words; they decide nothing themselves.
"""

from . import code_login, conversation, report, service, start

PAGES = (start, report, code_login, conversation, service)
