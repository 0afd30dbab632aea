"""Small builders shared by tests (real store calls, no fakes)."""

import datetime as dt

from store.conversation import post_reporter_message
from store.reports import submit_report


def report_form(**overrides):
    form = {
        "way": "anonymous",
        "role": "student",
        "category": "Harassment",
        "description": "Someone keeps following me after the evening seminar.",
        "occurred": "Last Tuesday evening",
        "location": "Library, second floor",
        "people": "A man in a grey coat",
        "support": "on",
        "two_way": "on",
    }
    form.update(overrides)
    return {k: v for k, v in form.items() if v is not None}


def submit(config, now=None, **overrides):
    return remember_key(submit_report(report_form(**overrides), config, now=now))


def utc(*args):
    return dt.datetime(*args)


# Case keys of the reports this test run submitted through ``submit`` (what the reporter's
# session would hold): tests that play the reporter writing again use them.
_CASE_KEYS: dict[tuple[str, int], bytes] = {}


def _db_key(report_id):
    from store.models import database

    return (str(getattr(database.obj, "database", "")), report_id)


def remember_key(submission):
    if submission.case_key is not None:
        _CASE_KEYS[_db_key(submission.report.id)] = submission.case_key
    return submission


def reporter_key(report_id):
    """The case key a reporter's session holds for ``report_id`` (submitted by ``submit`` in this test)."""
    return _CASE_KEYS[_db_key(report_id)]


def reporter_message(report_id, body, now=None):
    """The reporter writes again, as through their session (store.conversation.post_reporter_message)."""
    return post_reporter_message(report_id, body, now=now, case_key=reporter_key(report_id))
