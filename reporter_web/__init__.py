"""The reporter web site (Bottle app served by waitress).

``make_app(config)`` builds the WSGI application; ``serve.serve`` runs it.
"""


def make_app(config, **options):
    from .app import make_app as _make_app

    return _make_app(config, **options)


__all__ = ["make_app"]
