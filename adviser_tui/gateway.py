"""The store calls the adviser app makes, shaped for thread workers.

``store_calls.run_store_call`` runs each of them through ``attempt(fn, ...)``:
it runs ``fn`` inside its own connection (peewee connections are per thread)
and always returns an ``Outcome``, so no exception ever escapes a worker and
ends the app. Failures become one sentence
for the adviser; an unreachable or locked database is marked ``unavailable``
so the caller can say so and try again.
"""

import logging
import sqlite3
from dataclasses import dataclass

import peewee as pw

from store import (
    TellusError,
    advisers,
    audit,
    cases,
    casewatch,
    closures,
    conversation,
    export,
    keys,
    notify,
    roster,
    rotation,
    stats,
)
from store import inbox as inbox_service
from store import patterns as pattern_service
from store.models import database

log = logging.getLogger(__name__)

UNAVAILABLE = "The database is not answering (busy or unreachable); retrying."


@dataclass
class Outcome:
    value: object = None
    error: str = ""  # one sentence for the adviser, empty on success
    exception: BaseException | None = None
    unavailable: bool = False

    @property
    def ok(self):
        return not self.error


def _database_errors():
    errors = [pw.OperationalError, pw.InterfaceError, pw.DatabaseError, sqlite3.Error]
    try:
        import psycopg

        errors.append(psycopg.Error)
    except ImportError:  # pragma: no cover - psycopg is a dependency
        pass
    return tuple(errors)


DATABASE_ERRORS = _database_errors()


def attempt(fn, *args, **kwargs):
    try:
        with database.connection_context():
            return Outcome(fn(*args, **kwargs))
    except TellusError as exc:
        return Outcome(error=str(exc), exception=exc)
    except DATABASE_ERRORS as exc:
        log.warning("database unavailable: %s", exc)
        return Outcome(error=UNAVAILABLE, exception=exc, unavailable=True)
    except Exception as exc:  # a bug must not take the adviser's work with it
        log.exception("store call failed")
        return Outcome(error=f"Something went wrong ({type(exc).__name__}); nothing was changed.", exception=exc)


# The calls themselves: plain functions of plain values.


def login(username, password):
    return advisers.sign_in(username, password)


def share_keys(adviser, config):
    """An admin's app seals the cases it holds to advisers who may see them but have no key yet
    (new advisers, passwords reset, reports from before anyone had keys), then re-seals replies and notes
    written before each named its adviser (once none is left, a setting makes this a single lookup).
    Returns how many grants were added."""
    if not adviser.is_admin or getattr(adviser, "keyring", None) is None:
        return 0
    # Cases whose grants were removed without a key at hand (the command line) get their new key first.
    rotation.rotate_due(adviser.keyring, config)
    added = keys.share_all(adviser.keyring, config)
    conversation.bind_authors(adviser.keyring)
    return added


def unconfirmed_count(adviser):
    """For an admin: how many active accounts wait to be confirmed into the roster (0 for others)."""
    if not adviser.is_admin:
        return 0
    return len(roster.unconfirmed(advisers.active_advisers()))


def recovery_problem(adviser):
    """For an admin: what is wrong with the recovery key, as a sentence (None: nothing, or not an admin)."""
    if not adviser.is_admin:
        return None
    return roster.recovery_problem()


@dataclass
class InboxResult:
    page: object  # store.inbox.InboxPage
    counts: object  # store.inbox.InboxCounts
    fingerprint: tuple


def load_inbox(config, adviser, status=None, assignee=None, category=None, search=None, offset=0, limit=100, now=None):
    fingerprint = inbox_service.latest_change(config)
    page = inbox_service.inbox(
        config,
        adviser=adviser,
        status=status,
        assignee=assignee,
        category=category,
        search=search,
        offset=offset,
        limit=limit,
        now=now,
    )
    counts = inbox_service.inbox_counts(config, adviser, now=now)
    return InboxResult(page, counts, fingerprint)


def inbox_fingerprint(config):
    return inbox_service.latest_change(config)


def open_case(report_id, adviser, config):
    # Nothing is marked read here: the case screen marks what it has shown, once it is on view (mark_seen).
    return cases.open_case(report_id, adviser, config, mark_read=False)


def refresh_case(report_id, adviser, config):
    return casewatch.refresh_case(report_id, adviser, config)


def mark_seen(report_id, adviser, config, up_to, now):
    return casewatch.mark_seen(report_id, adviser, config, up_to, now=now)


def case_fingerprint(report_id, adviser, config):
    return casewatch.case_fingerprint(report_id, adviser, config)


def reply(report_id, adviser, body, config):
    return conversation.post_adviser_reply(report_id, adviser, body, config=config)


def note(report_id, adviser, body, config):
    return conversation.add_note(report_id, adviser, body, config=config)


def evidence_bytes(report_id, attachment_id, adviser, config):
    return cases.evidence_bytes(report_id, attachment_id, adviser, config)


def export_folder_problem(config):
    """Why the configured export folder cannot take a bundle now (one sentence), or None."""
    return export.export_folder_problem(config)


def export_case(report_id, adviser, config, now):
    """An admin's case bundle in a new folder inside ``config.export_folder`` (audited); a store.export.Bundle."""
    return export.export_to_folder(report_id, adviser, config, now=now)


def set_status(report_id, adviser, status, config):
    return cases.set_status(report_id, adviser, status, config)


def assign(report_id, adviser, username, config):
    return cases.assign(report_id, adviser, username, config)


def active_advisers():
    return advisers.active_advisers()


def error_text(outcome):
    """The sentence to show for a failed outcome (validation errors name the field's problem)."""
    exc = outcome.exception
    errors = getattr(exc, "errors", None)
    if errors:
        return " ".join(errors.values())
    return outcome.error


# Oversight: patterns for everyone (their visible cases), the rest for admins.
# The store checks the rights; these only shape the calls.


def patterns(config, adviser, window, now=None):
    return pattern_service.find_patterns(config, window=window, adviser=adviser, now=now)


def pattern_count(config, adviser, now=None):
    return pattern_service.active_pattern_count(config, adviser=adviser, now=now)


def delivery_problem(adviser):
    """The SMTP trouble sentence for admins' header; None when mail is fine."""
    return notify.delivery_problem(by=adviser)


@dataclass
class AuditPage:
    events: list
    offset: int
    more: bool  # another page follows


def audit_page(adviser, config, filters, offset, limit):
    """``filters``: adviser_name, reference, action, since, until (local dates as typed; the store checks them)."""
    found = audit.events(by=adviser, config=config, offset=offset, limit=limit + 1, **filters)
    return AuditPage(found[:limit], offset, len(found) > limit)


def list_accounts(adviser):
    """Every account, each with ``.confirmed`` (whether the roster vouches for it as it stands) and
    ``.fingerprint`` (of the public key confirming would sign)."""
    accounts = advisers.list_advisers(by=adviser)
    waiting = {a.id for a in roster.unconfirmed(accounts)}
    for account in accounts:
        account.confirmed = account.id not in waiting
        account.fingerprint = roster.fingerprint(account.public_key)
    return accounts


def confirm_account(adviser, account, config):
    """Sign ``account`` as the screen listed it: if its row changed since, nothing is signed (TellusError)."""
    return advisers.confirm([account.username], adviser, config, as_listed=[account])


def create_account(adviser, username, display_name, password, is_admin):
    return advisers.create_adviser(username, password, display_name or None, is_admin=is_admin, by=adviser)


def set_account_active(adviser, username, active, config=None):
    return advisers.set_active(username, active, by=adviser, config=config)


def set_account_admin(adviser, username, is_admin, config=None):
    return advisers.set_admin(username, is_admin, by=adviser, config=config)


def reset_password(adviser, username, password, config=None):
    return advisers.change_password(username, password, by=adviser, config=config)


def list_closures(adviser):
    return closures.list_closures(by=adviser)


def add_closure(config, adviser, start, end, note):
    return closures.add_closure(start, end, note, config=config, by=adviser)


def remove_closure(config, adviser, closure_id):
    return closures.remove_closure(closure_id, config=config, by=adviser)


def statistics(config, adviser, now=None):
    return stats.compute_statistics(config, adviser=adviser, now=now)
