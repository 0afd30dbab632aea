"""Reporter sessions: a random token in a cookie, its hash in the store.

Sessions expire after ``idle`` minutes without a request and ``absolute``
minutes after login, whichever comes first. Expired rows are deleted when met.
Their times are kept to the minute only (clock.to_minute): a last-seen time
is the end of that minute for the idle rule, so a session never ends sooner
than ``idle`` minutes after the reporter's last request.
"""

import datetime as dt
import hashlib
import secrets

from . import sealing
from .clock import to_minute, utcnow
from .errors import NotFound
from .models import Report, ReporterSession, database

IDLE_MINUTES = 20
ABSOLUTE_MINUTES = 120


def _hash(token: str) -> bytes:
    return hashlib.sha256(str(token).encode("utf-8", "surrogatepass")).digest()


def create_session(
    report: Report | int,
    now: dt.datetime | None = None,
    absolute_minutes: int = ABSOLUTE_MINUTES,
    case_key: bytes | None = None,
) -> str:
    """Start a session for ``report``; returns the token for the cookie.

    ``case_key`` (opened with the reporter's code) is kept sealed under a key derived from the
    token, of which the database holds only a SHA-256: any web instance given the cookie opens
    it, and the database alone does not.
    """
    now = to_minute(now or utcnow())
    token = secrets.token_urlsafe(32)
    if case_key is None:
        case_key = getattr(report, "case_key", None)
    report_id = report.id if isinstance(report, Report) else int(report)
    with database.atomic():
        ReporterSession.create(
            token_hash=_hash(token),
            report=report_id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + dt.timedelta(minutes=absolute_minutes),
            sealed_key=sealing.seal(sealing.session_key(token), case_key, _context(report_id))
            if case_key is not None
            else None,
        )
    return token


def _context(report_id: int) -> str:
    """The session's case key is bound to its case: a row edited to point the session at another case
    then gives no key, instead of one that seals the reporter's words into that case unreadably."""
    return f"reporter session|{report_id}"


# Not shown as such: the site answers any NotFound from a session by ending it, with its own
# (translated) "Your session has ended … Enter your code to continue."
SESSION_KEY_LOST = "This session can no longer open its conversation."


def case_key(token: str) -> bytes:
    """The case key of a live session (check_session first); NotFound, with a message for the reporter, if it is gone."""
    row = ReporterSession.get_or_none(ReporterSession.token_hash == _hash(token))
    try:
        if row is None:
            raise sealing.Unreadable("session key")
        key = sealing.open_bytes(sealing.session_key(token), row.sealed_key, _context(row.report_id), "session key")
    except sealing.Unreadable:
        raise NotFound(SESSION_KEY_LOST) from None
    if not sealing.is_case_key(key):
        raise NotFound(SESSION_KEY_LOST)
    return key


def check_session(token: object, now: dt.datetime | None = None, idle_minutes: int = IDLE_MINUTES) -> int | None:
    """The report id of a live session, or None. Refreshes the idle timer."""
    if not token or not isinstance(token, str) or len(token) > 200:
        return None
    now = now or utcnow()
    row = ReporterSession.get_or_none(ReporterSession.token_hash == _hash(token))
    if row is None:
        return None
    if row.expires_at <= now or row.last_seen_at <= _idle_since(now, idle_minutes):
        with database.atomic():
            ReporterSession.delete().where(ReporterSession.id == row.id).execute()
        return None
    # At most one write a minute: the minute is all that is stored.
    seen = to_minute(now)
    if seen > row.last_seen_at:
        with database.atomic():
            ReporterSession.update(last_seen_at=seen).where(ReporterSession.id == row.id).execute()
    return row.report_id


def _idle_since(now: dt.datetime, idle_minutes: int) -> dt.datetime:
    """Sessions last seen in this minute or before have been idle for ``idle_minutes`` (or more)."""
    return now - dt.timedelta(minutes=idle_minutes + 1)


def end_session(token: object) -> None:
    if not token or not isinstance(token, str):
        return
    with database.atomic():
        ReporterSession.delete().where(ReporterSession.token_hash == _hash(token)).execute()


def end_sessions_for(report_id: int) -> None:
    with database.atomic():
        ReporterSession.delete().where(ReporterSession.report == report_id).execute()


def purge_expired_sessions(now: dt.datetime | None = None, idle_minutes: int = IDLE_MINUTES) -> int:
    now = now or utcnow()
    with database.atomic():
        return (
            ReporterSession.delete()
            .where(
                (ReporterSession.expires_at <= now) | (ReporterSession.last_seen_at <= _idle_since(now, idle_minutes))
            )
            .execute()
        )


def session_report(token: object, now: dt.datetime | None = None) -> Report | None:
    report_id = check_session(token, now)
    return Report.get_or_none(Report.id == report_id) if report_id else None
