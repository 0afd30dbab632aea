"""What browsers and load balancers fetch besides pages: the stylesheet and GET /healthz."""

import pathlib

from bottle import response

from store.models import database

from ..errors import refused

STYLESHEET = pathlib.Path(__file__).resolve().parent.parent / "static" / "tellus.css"


def register(app, site):
    stylesheet = STYLESHEET.read_bytes()

    @app.get("/static/tellus.css")
    def css():
        response.content_type = "text/css; charset=utf-8"
        response.set_header("Cache-Control", "public, max-age=86400")
        return stylesheet

    @app.get("/healthz")
    def healthz():
        try:
            database.execute_sql("SELECT 1").fetchone()
        except Exception:  # noqa: BLE001 — whatever went wrong, the answer is "not healthy"
            raise refused(503) from None
        response.content_type = "text/plain; charset=utf-8"
        return "ok"
