"""Content-free e-mail notifications to advisers (never to reporters).

Two events are worth an e-mail: a new report nobody has opened yet, and a
case past its due date without a first response. The mail says only how
many ("A new report is waiting in Tellus.") — no reference, category or
text, because e-mail leaves the institution's control.

The worker (``tellus notify``, or :func:`start_thread` beside the web
server) runs :func:`run_once` every interval:

1. record events: one ``Notification`` row per event, keyed "new:<id>" or
   "overdue:<id>" and inserted with ON CONFLICT DO NOTHING — so however often
   the worker runs, and however many run, an event exists once;
2. claim the due, unsent rows with a random token (an UPDATE that only wins
   rows nobody else holds), drop those no longer relevant (read or answered
   meanwhile), send one e-mail for the rest, mark them sent;
3. on failure, keep them with ``attempts`` + 1 and the next attempt after an
   exponential backoff (1 min, 2, 4 … up to an hour). The error is recorded
   as one sentence without content; :func:`delivery_problem` gives it to the
   admin's TUI header.

A crash between the SMTP server accepting a mail and the "sent" mark being
written could repeat that one mail after the claim expires (10 minutes): at
least once delivery is the price of retrying.

With ``digest = "daily"`` the events wait and go in one e-mail a day, at or
after ``digest_hour`` (local time). The web request path never sends mail.

Settings, in the ``[smtp]`` table of the config file: ``host``, ``port``,
``from``, ``to`` (list), ``starttls`` / ``ssl`` (booleans), ``username`` and
``password`` (optional), ``digest`` ("off" | "daily"), ``digest_hour``,
``timeout`` (seconds).
"""

import datetime as dt
import logging
import secrets
import smtplib
import socket
import ssl
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from .access import require_admin
from .clock import local_date, local_time, utcnow
from .config import Config, ConfigError
from .db import get_setting, set_setting_if_absent
from .deadlines import is_overdue, overdue_clause, today
from .models import Adviser, Notification, Report, Setting, database

log = logging.getLogger("tellus.notify")

MIN_INTERVAL, MAX_INTERVAL = 10, 3600
CLAIM_MINUTES = 10
MAX_BACKOFF_SECONDS = 3600

_SMTP_KEYS = {
    "host",
    "port",
    "from",
    "to",
    "starttls",
    "ssl",
    "username",
    "password",
    "digest",
    "digest_hour",
    "timeout",
}


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    recipients: tuple[str, ...]
    starttls: bool = False
    ssl: bool = False
    username: str = ""
    password: str = ""
    digest: str = "off"
    digest_hour: int = 8
    timeout: float = 30


@dataclass
class RunResult:
    recorded: int = 0  # new events found this run
    sent: int = 0  # events covered by the e-mail sent this run
    skipped: int = 0  # events dropped: no longer waiting
    emails: int = 0
    error: str = ""  # one sentence, when sending failed
    waiting_for_digest: bool = False


def smtp_settings(config: Config) -> SmtpSettings | None:
    """The validated ``[smtp]`` settings, or None when notifications are off (no table)."""
    raw = dict(config.smtp or {})
    if not raw:
        return None
    unknown = set(raw) - _SMTP_KEYS
    if unknown:
        raise ConfigError(f"Unknown setting {sorted(unknown)[0]!r} in [smtp].")

    def text(key: str, required: bool = False) -> str:
        value = raw.get(key, "")
        if not isinstance(value, str) or (required and not value.strip()):
            raise ConfigError(f"[smtp] {key} must be {'given as ' if required else ''}text.")
        return value.strip()

    def flag(key: str) -> bool:
        value = raw.get(key, False)
        if not isinstance(value, bool):
            raise ConfigError(f"[smtp] {key} must be true or false.")
        return value

    host, sender = text("host", True), text("from", True)
    recipients = raw.get("to")
    if isinstance(recipients, str):
        recipients = [recipients]
    if (
        not isinstance(recipients, (list, tuple))
        or not recipients
        or not all(isinstance(r, str) and "@" in r for r in recipients)
    ):
        raise ConfigError("[smtp] to must be a list of adviser e-mail addresses.")
    use_ssl, starttls = flag("ssl"), flag("starttls")
    if use_ssl and starttls:
        raise ConfigError("[smtp] ssl and starttls cannot both be on; choose one.")
    port = raw.get("port", 465 if use_ssl else 587 if starttls else 25)
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        raise ConfigError("[smtp] port must be a number from 1 to 65535.")
    digest = raw.get("digest", "off")
    if digest not in ("off", "daily"):
        raise ConfigError('[smtp] digest must be "off" or "daily".')
    hour = raw.get("digest_hour", 8)
    if isinstance(hour, bool) or not isinstance(hour, int) or not 0 <= hour <= 23:
        raise ConfigError("[smtp] digest_hour must be an hour from 0 to 23.")
    timeout = raw.get("timeout", 30)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 1 <= timeout <= 300:
        raise ConfigError("[smtp] timeout must be between 1 and 300 seconds.")
    username, password = text("username"), raw.get("password", "")
    if not isinstance(password, str):
        raise ConfigError("[smtp] password must be text.")
    if password and not username:
        raise ConfigError("[smtp] password is set but username is not.")
    return SmtpSettings(
        host,
        port,
        sender,
        tuple(r.strip() for r in recipients),
        starttls,
        use_ssl,
        username,
        password,
        digest,
        hour,
        float(timeout),
    )


def _required_settings(config: Config) -> SmtpSettings:
    settings = smtp_settings(config)
    if settings is None:
        raise ConfigError("E-mail notifications are not configured: add an [smtp] table to the config file.")
    return settings


def record_events(config: Config, now: dt.datetime | None = None) -> int:
    """Create the Notification rows for events that happened; returns how many were new."""
    now = now or utcnow()
    # Reports from before the worker's first run are not "new" news.
    since = dt.datetime.fromisoformat(set_setting_if_absent("notify_since", now.isoformat()))
    today_ = today(config, now)
    new = Report.select(Report.id).where(
        (Report.created_at >= since) & Report.adviser_read_at.is_null() & (Report.status == "new")
    )
    overdue = Report.select(Report.id).where(overdue_clause(today_))
    rows = [{"event": f"new:{rid}", "kind": "new", "report_id": rid} for rid in new.scalars()]
    rows += [{"event": f"overdue:{rid}", "kind": "overdue", "report_id": rid} for rid in overdue.scalars()]
    if not rows:
        return 0
    known: set[str] = set()
    for start in range(0, len(rows), 500):
        keys = [r["event"] for r in rows[start : start + 500]]
        known.update(Notification.select(Notification.event).where(Notification.event.in_(keys)).scalars())
    fresh = [dict(r, created_at=now, next_attempt_at=now) for r in rows if r["event"] not in known]
    with database.atomic():
        for start in range(0, len(fresh), 200):
            Notification.insert_many(fresh[start : start + 200]).on_conflict_ignore().execute()
    return len(fresh)


def _still_relevant(kind: str, report: Report | None, today_: dt.date) -> bool:
    """Whether the event is still news when its mail goes (a digest may go hours later)."""
    if report is None:
        return False
    if kind == "new":
        return report.adviser_read_at is None and report.status == "new"
    # Answered, closed, or due later now (a closure added meanwhile moves due dates).
    return is_overdue(report, today_)


def _claim(now: dt.datetime) -> list[Notification]:
    token = secrets.token_hex(8)
    due = (
        Notification.sent_at.is_null()
        & (Notification.next_attempt_at <= now)
        & (Notification.claimed_until.is_null() | (Notification.claimed_until < now))
    )
    with database.atomic():
        ids = list(Notification.select(Notification.id).where(due).order_by(Notification.id).limit(1000).scalars())
        if ids:
            # The WHERE is checked again row by row, so two workers never both win a row.
            Notification.update(claim=token, claimed_until=now + dt.timedelta(minutes=CLAIM_MINUTES)).where(
                Notification.id.in_(ids) & due
            ).execute()
    return list(Notification.select().where(Notification.claim == token).order_by(Notification.id)) if ids else []


def compose(settings: SmtpSettings, config: Config, counts: Mapping[str, int]) -> EmailMessage:
    """The e-mail: counts only, nothing about any case."""
    new, overdue = counts.get("new", 0), counts.get("overdue", 0)
    lines = []
    if new:
        lines.append("A new report is waiting in Tellus." if new == 1 else f"{new} new reports are waiting in Tellus.")
    if overdue:
        lines.append(
            "A case has passed its due date unanswered."
            if overdue == 1
            else f"{overdue} cases have passed their due date unanswered."
        )
    message = EmailMessage()
    message["Subject"] = "Tellus: " + ("a new report is waiting" if new else "a case is overdue")
    message["From"] = settings.sender
    message["To"] = ", ".join(settings.recipients)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(
        "\n".join(lines) + f"\n\nOpen the Tellus adviser app to read it. For the reporters' safety this e-mail never"
        f" contains case details.\n\n-- Tellus, {config.organisation}\n"
    )
    return message


def send_email(settings: SmtpSettings, message: EmailMessage) -> None:
    """Deliver ``message`` with smtplib. Raises OSError / smtplib.SMTPException."""
    context = ssl.create_default_context()
    client: smtplib.SMTP
    if settings.ssl:
        client = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout, context=context)
    else:
        client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    with client:
        client.ehlo()
        if settings.starttls:
            client.starttls(context=context)
            client.ehlo()
        if settings.username:
            client.login(settings.username, settings.password)
        client.send_message(message, from_addr=settings.sender, to_addrs=list(settings.recipients))


def describe_error(exc: BaseException) -> str:
    """One sentence about a delivery failure, without anything from the message."""
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return f"The mail server rejected the login ({exc.smtp_code})."
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "The mail server refused the recipient addresses."
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"The mail server answered with an error ({exc.smtp_code})."
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return "The mail server does not support a required feature (STARTTLS or login)."
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return "The mail server did not answer in time."
    if isinstance(exc, ssl.SSLError):
        return "The TLS connection to the mail server failed."
    if isinstance(exc, (ConnectionError, OSError)):
        return "The mail server cannot be reached."
    return f"Sending failed ({type(exc).__name__})."


def _backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(60 * 2 ** max(attempts - 1, 0), MAX_BACKOFF_SECONDS))


def _digest_due(settings: SmtpSettings, config: Config, now: dt.datetime) -> bool:
    if settings.digest != "daily":
        return True
    local_now = local_time(now, config.timezone)
    last = get_setting("notify_last_digest")
    return local_now.hour >= settings.digest_hour and last != local_now.date().isoformat()


def run_once(
    config: Config, now: dt.datetime | None = None, send: Callable[[SmtpSettings, EmailMessage], None] = send_email
) -> RunResult:
    """Record events and send what is due. Returns a RunResult; never raises for delivery errors."""
    settings = _required_settings(config)
    now = now or utcnow()
    result = RunResult(recorded=record_events(config, now))
    if not _digest_due(settings, config, now):
        result.waiting_for_digest = True
        return result
    claimed = _claim(now)
    if not claimed:
        return result
    claimed_reports = Report.select().where(Report.id.in_([n.report_id for n in claimed]))
    reports: dict[int | None, Report] = {r.id: r for r in claimed_reports}
    today_ = today(config, now)
    relevant: list[Notification] = []
    dropped: list[Notification] = []
    for n in claimed:
        (relevant if _still_relevant(n.kind, reports.get(n.report_id), today_) else dropped).append(n)
    with database.atomic():
        if dropped:
            Notification.update(sent_at=now, skipped=True, claim="").where(
                Notification.id.in_([n.id for n in dropped])
            ).execute()
    result.skipped = len(dropped)
    if not relevant:
        return result
    counts: dict[str, int] = {}
    for n in relevant:
        counts[n.kind] = counts.get(n.kind, 0) + 1
    ids = [n.id for n in relevant]
    try:
        send(settings, compose(settings, config, counts))
    except Exception as exc:  # noqa: BLE001 — any failure: keep the events, retry later
        result.error = describe_error(exc)
        log.warning("notification e-mail not sent: %s", result.error)
        with database.atomic():
            for n in relevant:
                Notification.update(
                    attempts=n.attempts + 1,
                    next_attempt_at=now + _backoff(n.attempts + 1),
                    claim="",
                    claimed_until=None,
                    last_error=result.error[:200],
                ).where(Notification.id == n.id).execute()
        return result
    with database.atomic():
        Notification.update(sent_at=now, claim="", last_error="").where(Notification.id.in_(ids)).execute()
        if settings.digest == "daily":
            local_day = local_date(now, config.timezone).isoformat()
            Setting.insert(key="notify_last_digest", value=local_day).on_conflict(
                conflict_target=[Setting.key], update={Setting.value: local_day}
            ).execute()
    result.sent, result.emails = len(ids), 1
    return result


def delivery_problem(now: dt.datetime | None = None, by: Adviser | None = None) -> str | None:
    """A sentence for the admins' header when notifications are failing, else None.

    ``by``: the admin in the adviser app (advisers are refused); None for the CLI.
    """
    require_admin(by, "see notification problems")
    failing = (
        Notification.select()
        .where(Notification.sent_at.is_null() & (Notification.attempts > 0))
        .order_by(Notification.next_attempt_at.desc())
        .first()
    )
    if failing is None:
        return None
    return f"E-mail notifications are failing: {failing.last_error} Tellus keeps retrying."


def run_worker(
    config: Config,
    once: bool = False,
    interval: int = 60,
    stop: threading.Event | None = None,
    on_result: Callable[[RunResult], None] | None = None,
) -> RunResult:
    """Run :func:`run_once` now and then every ``interval`` seconds (10–3600) until ``stop`` is set."""
    _required_settings(config)  # fail early with the configuration error
    interval = max(MIN_INTERVAL, min(int(interval), MAX_INTERVAL))
    stop = stop or threading.Event()
    while True:
        with database.connection_context():
            result = run_once(config)
        if on_result is not None:
            on_result(result)
        if once or stop.wait(interval):
            return result


def start_thread(config: Config, interval: int = 60) -> threading.Event:
    """The worker in a daemon thread (for ``tellus web``); returns the stop event."""
    stop = threading.Event()

    def target() -> None:
        try:
            run_worker(config, interval=interval, stop=stop)
        except Exception:  # a worker crash must not take the web server down; it is logged
            log.exception("the notification worker stopped")

    threading.Thread(target=target, name="tellus-notify", daemon=True).start()
    return stop
