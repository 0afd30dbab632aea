"""The site-wide brake on reports: what a reporter sees when it trips, and what it does not cost them."""

from reporter_web.site import Throttles
from store import Config
from store.models import Report
from store.throttle import StoredThrottle

from .support import send_report, text_of, web
from .throttle_support import fresh_window, still_clock

LONG_STORY = ("Dywedodd fy narlithydd bethau amhriodol wrthyf eto ar ôl y ddarlith. 😞 " * 250)[:19_990].rstrip()


class Clock:
    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now


def test_when_the_brake_trips_the_reporter_keeps_their_words_and_sees_where_to_get_help_now(sqlite_db):
    config = Config(site_reports_per_hour=2, emergency_contacts="Campus security, day and night: 01206 872125.")
    fresh_window(3600, 60)
    for n in range(2):
        send_report(web(config, remote_addr=f"198.51.100.{n + 1}"), two_way=None)
    page = send_report(web(config, remote_addr="198.51.100.3"), status=429, description=LONG_STORY)
    said = text_of(page)
    assert "unusually large number of reports" in said and "has not been sent" in said
    assert "Campus security, day and night: 01206 872125." in said
    assert 0 < int(page.headers["Retry-After"]) <= 3600
    assert page.html.find(id="description").get_text() == LONG_STORY
    assert page.headers["Cache-Control"].startswith("no-store")
    assert Report.select().count() == 2


def test_a_report_the_brake_refused_is_not_counted_against_the_reporter(sqlite_db, config):
    site_clock = Clock(1_800_000_000.0)
    throttles = Throttles(
        reports_per_client=StoredThrottle("report", 5, 3600, clock=still_clock()),
        reports_site=StoredThrottle("report_site", 1, 60, clock=site_clock),
    )
    send_report(web(config, throttles=throttles, remote_addr="198.51.100.50"), two_way=None)
    me = web(config, throttles=throttles, remote_addr="198.51.100.51")
    for _ in range(2):
        assert "unusually large number of reports" in text_of(send_report(me, status=429))
    for _ in range(5):  # the brake eases every minute here; all five of my reports an hour are still mine
        site_clock.now += 60
        send_report(me, two_way=None)
    site_clock.now += 60
    assert "several reports in a short time" in text_of(send_report(me, status=429))  # now my own limit
    assert Report.select().count() == 6


def test_forms_refused_for_their_answers_do_not_use_up_the_limit(sqlite_db, config):
    throttles = Throttles(reports_per_client=StoredThrottle("report", 5, 3600, clock=still_clock()))
    me = web(config, throttles=throttles, remote_addr="2001:db8:40::1")
    for _ in range(6):
        send_report(me, status=400, description="")  # "Tell us what happened." – nothing stored
    for _ in range(5):
        send_report(me, two_way=None)
    send_report(me, status=429)
    assert Report.select().count() == 5
