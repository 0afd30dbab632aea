"""GET /: the two ways to report, continuing a conversation, emergency contacts, and a closure notice."""

from store.reporter_view import closure_notice

from ..rendering import long_date


def register(app, site):
    @app.get("/")
    def start():
        notice = closure_notice(site.config)
        return site.render("start", title="Tell us what happened", closure=notice, closure_text=closure_text(notice),
                           emergency=site.config.emergency_contacts)


def closure_text(notice):
    if notice is None:
        return None
    verb = "are not" if notice.in_force else "will not be"
    return (f"Reports {verb} monitored between {long_date(notice.start, notice.today)} and "
            f"{long_date(notice.end, notice.today)}.")
