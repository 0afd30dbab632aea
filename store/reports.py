"""Submitting reports and finding a conversation again by its code."""

import datetime as dt
import hashlib
import hmac
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import peewee as pw

from . import attachments as files
from . import casetext, codes, formtokens, keys, rotation, sealing
from .clock import to_minute, utcnow
from .config import BASE_LANGUAGE, ROLES, Config
from .db import insert_new
from .deadlines import due_date
from .errors import AlreadySubmitted, NotFound, ValidationError
from .evidence import Cleaned
from .i18n import N_, Say
from .models import WAYS, FormToken, Report, database
from .sanitize import clean_text

# Field limits, in characters after cleaning. The web layer also caps the
# whole request body (a little over what these limits need), so these are
# the finer rule.
LIMITS = {
    "description": 20000,
    "occurred": 200,
    "location": 200,
    "people": 1000,
    "name": 200,
    "email": 254,
    "phone": 40,
}
MESSAGE_LIMIT = 20000

_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
_PHONE = re.compile(r"^\+?[0-9 ()\-.]{6,40}$")
_TRUE = {"on", "yes", "true", "1", True}


@dataclass
class Submission:
    report: Report
    code: str | None  # canonical 16 characters; shown to the reporter, never stored
    again: bool = False  # the same form sent again: this is the first sending's answer
    case_key: bytes | None = None  # the new case's key (for what is stored with it); None when sent again


class Resent(AlreadySubmitted):
    """The form was received already, and its first answer may be given again (``submission``).

    An exception, not a return value: nothing new was stored, so whatever the
    caller counted for a new report (a throttle) is given back as for any refusal.
    """

    def __init__(self, submission: Submission) -> None:
        super().__init__("This report was already received.")
        self.submission = submission


def _field(
    form: Mapping[str, Any],
    name: str,
    errors: dict[str, str],
    *,
    multiline: bool = False,
    required_message: str | None = None,
) -> str:
    raw = form.get(name)
    if raw is None:
        raw = ""
    if not isinstance(raw, str):
        raw = str(raw)
    limit = LIMITS[name]
    if len(raw) > limit * 4:  # do not spend time cleaning absurd input
        errors[name] = Say(N_("This must be {limit} characters or fewer."), limit=limit)
        return ""
    value = clean_text(raw, multiline=multiline)
    if len(value) > limit:
        errors[name] = Say(
            N_("This must be {limit} characters or fewer (it has {length})."), limit=limit, length=len(value)
        )
    elif not value and required_message:
        errors[name] = required_message
    return value


def validate_report(form: Mapping[str, Any], config: Config) -> dict[str, Any]:
    """Check and clean a report form. Returns a dict of clean values or raises ValidationError."""
    errors: dict[str, str] = {}
    way = str(form.get("way") or "")
    if way not in WAYS:
        errors["way"] = Say(N_("Choose whether to report anonymously or with your contact details."))
    role = str(form.get("role") or "prefer_not_to_say")
    if role not in ROLES:
        errors["role"] = Say(N_("Choose who you are from the list, or ‘Prefer not to say’."))
    category = config.category_key(clean_text(str(form.get("category") or ""), multiline=False))
    if category is None:
        errors["category"] = Say(N_("Choose what the report is about from the list."))
    values = {
        "way": way,
        "role": role,
        "category": category,
        "description": _field(
            form, "description", errors, multiline=True, required_message=Say(N_("Tell us what happened."))
        ),
        "occurred": _field(form, "occurred", errors),
        "location": _field(form, "location", errors),
        "people": _field(form, "people", errors, multiline=True),
        "wants_support": form.get("support") in _TRUE,
        "two_way": form.get("two_way") in _TRUE,
    }
    if way == "named":
        name = _field(form, "name", errors)
        email = _field(form, "email", errors)
        phone = _field(form, "phone", errors)
        if email and "email" not in errors and not _EMAIL.match(email):
            errors["email"] = Say(N_("Enter an email address in the right format, like name@example.com."))
        if phone and "phone" not in errors and not _PHONE.match(phone):
            errors["phone"] = Say(N_("Enter a phone number using digits, spaces and + only."))
        if not email and not phone and "email" not in errors and "phone" not in errors:
            errors["email"] = Say(
                N_("Give an email address or a phone number so we can contact you, or report anonymously.")
            )
        values.update(contact_name=name, contact_email=email, contact_phone=phone)
    # Anonymous reports never keep contact fields, even if the browser sent them.
    if errors:
        raise ValidationError(errors)
    return values


def _token_hash(token: object) -> bytes:
    return hashlib.sha256(str(token).encode("utf-8", "surrogatepass")).digest()


def issue_form_token(browser: str | None, now: dt.datetime | None = None) -> str:
    """A single-use token for one report form, bound to ``browser`` (its cookie value).

    Signed and stateless, so showing the form writes nothing; the token's
    hash is stored only when it is spent (see ``_spend_form_token``).
    """
    return formtokens.issue("report", browser, now)


def check_form_token(token: object, browser: str | None, now: dt.datetime | None = None) -> str:
    """ "ok", "expired", "forged" or "elsewhere" (issued to another browser).

    ``browser`` is None when the request carried no browser cookie (cookies
    blocked): a genuine token is then accepted as it is, unbound, so such a
    reporter can still report; only its code cannot be shown again.
    """
    state = formtokens.check(token, "report", browser, now)
    return "ok" if state == "elsewhere" and browser is None else state


def submit_report(
    form: Mapping[str, Any],
    config: Config,
    form_token: str | None = None,
    now: dt.datetime | None = None,
    browser: str | None = None,
    language: str = BASE_LANGUAGE,
    attachments: list[Cleaned] | None = None,
) -> Submission:
    """Validate, clean and store a report. Returns a Submission.

    ``language`` is the site's language the form was in; the report keeps it
    (one the site does not offer counts as English), so advisers can answer in it.

    With ``form_token`` the token must be unused; it is spent in the same
    transaction, so a form sent twice is stored once. Sent again from the
    same ``browser`` within RESEND_WINDOW (a double click, two requests in
    parallel, a retry after a network error), Resent carries the first
    Submission again, with the same code (see ``_code_for_form``); otherwise
    AlreadySubmitted. The code is never stored, only its argon2 hash.

    ``attachments`` (files cleaned by store.evidence) are sealed and stored
    in the same transaction: the report is stored with all of them or not at all.
    """
    values = validate_report(form, config)
    now = to_minute(now or utcnow())
    binding = (form_token, browser) if form_token is not None and browser is not None else None
    code = digest = None
    due = due_date(now, config)
    case_key = sealing.new_key()
    place = known_place(str(values["location"]), config)
    plain = {name: values[name] for name in ("way", "role", "category", "wants_support", "two_way")}
    for _attempt in range(5):
        if values["two_way"] and (code is None or binding is None):
            code = _code_for_form(*binding) if binding is not None else codes.generate_code()
            digest = codes.hash_code(code)  # outside the write transaction: it is slow
        reference = new_reference()
        # Sealed before the write transaction: nothing here reads the database, and every other writer
        # waits while a transaction is open.
        report = Report(
            reference=reference,
            code_hash=sealing.code_lookup(digest) if digest is not None else None,
            code_key=_code_key(digest, case_key, reference) if digest is not None else None,
            reporter_key=rotation.seal_reporter_key(reference, case_key, digest) if digest is not None else None,
            created_at=now,
            due_on=due,
            last_activity_at=now,
            unread_count=1,  # the report itself is unread until an adviser opens it
            unread_since=now,
            language=language if language in config.languages else BASE_LANGUAGE,
            place=place,
            **plain,
            **casetext.seal_report(reference, case_key, values),
        )
        try:
            with database.atomic():
                if form_token is not None:
                    _spend_form_token(form_token, browser, now)
                insert_new(report)  # as Report.create, without peewee writing the 26-column INSERT each time
                keys.seal_new_case(report, case_key, config)
                if attachments:
                    files.store_files(report, attachments, case_key, now=now)
            report.case_key = case_key  # as a report found by its code carries it
            return Submission(report=report, code=code, case_key=case_key)
        except AlreadySubmitted:
            # Sent before, or in parallel and stored first (its transaction committed
            # before ours could spend the token): answer as a resend does.
            if form_token is not None:
                resent_submission(form, form_token, browser, now)
            raise  # its token was purged meanwhile
        except pw.IntegrityError:
            # A reference (30 bits) collision: astronomically rare; try a fresh one (and a
            # fresh code, for an unbound form: a derived one is that form's only code).
            pass
    raise RuntimeError("could not allocate a unique case reference")


OTHER_PLACE = "*"  # ``Report.place`` of a location that is none of the configured ones


def known_place(location: str, config: Config) -> str:
    """The configured place a location names (spelling-tolerant, any language), OTHER_PLACE, or "" if none given.

    Kept readable for statistics, which need no keys; the words the reporter typed are sealed.
    """
    if not location:
        return ""
    # The patterns package is heavy; only reports with a location need it.
    from .patterns.places import known_places

    # As patterns.location_groups_for([(0, location)], config) names it, the configuration's part made once.
    label = known_places(config).place_of(location)
    return label if label in config.locations else OTHER_PLACE


def _code_key(digest: bytes, case_key: bytes, reference: str) -> bytes:
    """The case key sealed for the holder of the code (only its argon2 digest derives the key)."""
    return sealing.wrap(sealing.code_unwrap_key(digest), case_key, f"{reference}|code")


def code_case_key(report: Report, digest: bytes) -> bytes:
    """The case key's first generation from the code's digest; Unreadable if it does not open."""
    return sealing.unwrap(sealing.code_unwrap_key(digest), report.code_key or b"", f"{report.reference}|code")


def reporter_case_key(report: Report, digest: bytes, config: Config | None = None) -> bytes:
    """The case key as it is now (rotated or not) for the holder of the code; Unreadable if it does not open.

    A report from before rotation existed gets the reporter's key written here, once (store/rotation.py).
    """
    key = rotation.reporter_chain(report, digest, code_case_key(report, digest))
    if report.reporter_key is None:
        key = rotation.settle_reporter(report.id, digest, config) or key
    return key


def _spend_form_token(token: str, browser: str | None, now: dt.datetime) -> None:
    issued = formtokens.issued_at(token, "report")
    if issued is None or check_form_token(token, browser, now) != "ok":
        raise ValidationError({"csrf_token": Say(N_("This form has expired; please submit it again."))})
    try:
        with database.atomic():  # a savepoint: a clash means the token was spent already
            # Kept from when it was issued, so retention forgets it once it has expired anyway.
            FormToken.create(token_hash=_token_hash(token), created_at=to_minute(issued), used_at=to_minute(now))
    except pw.IntegrityError:
        raise AlreadySubmitted("This report was already received.") from None


# How long after sending the same browser may send the same form again and be
# shown its code again: long enough for a retry after a dropped connection or
# a browser's "resend" prompt, short enough that a report form page left
# behind on a shared computer soon stops giving the code away.
RESEND_WINDOW = dt.timedelta(minutes=30)


def resent_submission(
    form: Mapping[str, Any], form_token: str, browser: str | None, now: dt.datetime | None = None
) -> None:
    """Check whether a report form was sent before; returns None if its token was never spent.

    Raises Resent with the first Submission again (``again=True``, the same
    code) if the token was spent within RESEND_WINDOW, ``browser`` is the one
    the token was issued to, and the form asks for two-way messaging;
    AlreadySubmitted otherwise.

    The report is found by its code's hash: the code is derived from this
    token and this browser's cookie, so only the report this token created
    can match (store nothing new to link them).
    """
    spent = FormToken.get_or_none(FormToken.token_hash == _token_hash(form_token))
    if spent is None:
        return None
    now = to_minute(now or utcnow())
    too_late = spent.used_at is None or now - spent.used_at > RESEND_WINDOW
    if browser is None or too_late or form.get("two_way") not in _TRUE:
        raise AlreadySubmitted("This report was already received.")
    if check_form_token(form_token, browser, now) != "ok":
        raise AlreadySubmitted("This report was already received.")
    code = _code_for_form(form_token, browser)
    digest = codes.hash_code(code)
    report = Report.get_or_none(Report.code_hash == sealing.code_lookup(digest))
    if report is not None:
        report.case_key = reporter_case_key(report, digest)  # what the first answer showed of it, again
    if report is None:  # sent unbound (without cookies), or its report is gone
        raise AlreadySubmitted("This report was already received.")
    raise Resent(Submission(report=report, code=code, again=True))


@dataclass(frozen=True)
class SentForm:
    sent_at: dt.datetime  # when it was sent (to the minute, UTC)


def sent_form(form_token: str, browser: str | None, now: dt.datetime | None = None) -> SentForm | None:
    """Whether a report form was sent: None if its token was never spent; a SentForm when it was
    sent from ``browser`` within RESEND_WINDOW; AlreadySubmitted otherwise.

    The page answering a sent form can be shown again in another language
    (the code comes back through ``resent_submission``); past the window, or
    in another browser, it is only "already received".
    """
    spent = FormToken.get_or_none(FormToken.token_hash == _token_hash(form_token))
    if spent is None:
        return None
    now = to_minute(now or utcnow())
    used_at = spent.used_at
    if (
        used_at is None
        or browser is None
        or now - used_at > RESEND_WINDOW
        or check_form_token(form_token, browser, now) != "ok"
    ):
        raise AlreadySubmitted("This report was already received.")
    return SentForm(sent_at=used_at)


def _code_for_form(form_token: str, browser: str) -> str:
    """The code for the report this form sends, from this browser.

    80 bits of HMAC(install key, "code|" + token + "|" + browser cookie). The
    token carries 144 random bits and is in the form page; the browser cookie
    (256 random bits, HttpOnly) is in no page; the store holds only the
    token's sha256 and the code's argon2. So neither the database nor the form
    page alone — nor both together — yields the code.
    """
    digest = hmac.digest(
        formtokens.signing_key(), f"code|{form_token}|{browser}".encode("utf-8", "surrogatepass"), "sha256"
    )
    return codes.spell(int.from_bytes(digest[: codes.LENGTH * 5 // 8], "big"))


def new_reference() -> str:
    """A short case reference for advisers, random and unrelated to the code."""
    return "TL-" + codes.spell(secrets.randbits(30), 6)


def open_conversation_by_code(text: object, config: Config | None = None) -> Report:
    """Find the report for a code. One argon2 + one indexed query, found or not.

    Raises ValidationError for malformed input and NotFound (one generic
    message) for a code that matches nothing. The report found carries its
    case key, opened with the code, as ``report.case_key``.
    """
    code = codes.normalise_code(text)
    digest = codes.hash_code(code)
    report = Report.get_or_none(Report.code_hash == sealing.code_lookup(digest))
    if report is None or not report.two_way:
        raise NotFound(Say(N_("That code does not match a conversation. Check it and try again.")))
    try:
        report.case_key = reporter_case_key(report, digest, config)
    except sealing.Unreadable:  # changed in the database: as good as gone, and said the same way
        raise NotFound(Say(N_("That code does not match a conversation. Check it and try again."))) from None
    return report


def get_report(report_id: int) -> Report:
    report = Report.get_or_none(Report.id == report_id)
    if report is None:
        raise NotFound("That case no longer exists.")
    return report
