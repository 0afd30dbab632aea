"""Small builders shared by tests (real store calls, no fakes)."""

import datetime as dt

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


def submit(config, now=None, attachments=None, **overrides):
    return submit_report(report_form(**overrides), config, now=now, attachments=attachments)


def utc(*args):
    return dt.datetime(*args)
