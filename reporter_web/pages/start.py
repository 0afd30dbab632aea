"""GET /: the two ways to report, continuing a conversation, emergency contacts, and a closure notice."""

from store.reporter_view import closure_notice


def register(app, site):
    @app.get("/")
    def start():
        notice = closure_notice(site.config)
        lang = site.language()
        return site.render(
            "start",
            title=lang.gettext("Tell us what happened"),
            closure_text=closure_text(lang, notice),
            closure_note=notice and notice.note_in(lang.code),
            emergency=site.text("emergency_contacts"),
        )


def closure_text(lang, notice):
    if notice is None:
        return None
    # A sentence each: in other languages the two differ in more than their verb.
    sentence = (
        lang.gettext("Reports are not monitored between {start} and {end}.")
        if notice.in_force
        else lang.gettext("Reports will not be monitored between {start} and {end}.")
    )
    return sentence.format(
        start=lang.long_date(notice.start, notice.today), end=lang.long_date(notice.end, notice.today)
    )
