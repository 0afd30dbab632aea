"""Adviser accounts: creation, login with lockout, enabling, passwords."""

import datetime as dt
import re

import peewee as pw
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from . import audit, keys, roster, rotation, sealing
from .access import require_admin
from .clock import utcnow
from .config import Config
from .db import tuples
from .errors import (
    AccountDisabled,
    AccountLocked,
    AuthenticationFailed,
    DuplicateName,
    NotFound,
    PermissionDenied,
    TellusError,
    ValidationError,
)
from .keyring import Keyring, keyring_of, unlock
from .models import Adviser, CaseKey, database
from .sanitize import clean_text

MIN_PASSWORD = 12
MAX_PASSWORD = 1024
MAX_FAILURES = 5
LOCK_MINUTES = 15
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")

# argon2-cffi's defaults follow RFC 9106's low-memory profile (64 MiB, t=3, p=4).
_hasher = PasswordHasher()
# Verified against when the username is unknown, so both paths cost the same.
_DUMMY_HASH = _hasher.hash("not-a-real-password-for-timing")


def check_password(password: object) -> None:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise ValidationError({"password": f"Choose a password of at least {MIN_PASSWORD} characters."})
    if len(password) > MAX_PASSWORD:
        raise ValidationError({"password": f"Passwords are limited to {MAX_PASSWORD} characters."})
    if len(set(password)) < 4:
        raise ValidationError({"password": "That password is too easy to guess; use more different characters."})


def _check_username(username: str | None) -> str:
    username = (username or "").strip().lower()
    if not USERNAME.match(username):
        raise ValidationError(
            {
                "username": "Usernames are 2–32 characters: lowercase letters, digits, dot, hyphen or underscore, starting with a letter or digit."
            }
        )
    return username


def create_adviser(
    username: str,
    password: str,
    display_name: str | None = None,
    is_admin: bool = False,
    by: Adviser | None = None,
    keyring: Keyring | None = None,
    config: Config | None = None,
) -> Adviser:
    """``by``: the admin doing it in the adviser app; None for the CLI.

    The new adviser gets a key pair sealed under their password. ``keyring`` (the granting
    admin's, unlocked) seals to them at once every case they may see; otherwise an admin's app
    does it when it next runs. Created by the CLI, on the server, they also receive the cases
    that came in before anyone had keys (keys.adopt_intake). The first admin brings the
    install's recovery key, returned once as ``adviser.recovery_key`` (else None), and its
    roster key (store/roster.py); after that, an adviser is on the roster once an admin's
    ``keyring`` signs them (here, or later with ``confirm``).
    """
    require_admin(by, "create adviser accounts")
    username = _check_username(username)
    check_password(password)
    display_name = clean_text(display_name or username, multiline=False)[:100] or username
    password_hash = _hasher.hash(password)
    adviser = Adviser(
        username=username,
        display_name=display_name,
        password_hash=password_hash,
        is_admin=bool(is_admin),
        created_at=utcnow(),
    )
    if adviser.is_admin and not Adviser.select().where(Adviser.public_key.is_null(False)).exists():
        roster.check_first_admin()  # before anything is created
    ring = keys.give_key_pair(adviser, password)  # outside the write transaction: argon2id is slow
    try:
        with database.atomic():
            adviser.save(force_insert=True)
            ring.adviser_id = adviser.id
            audit.record(
                "adviser_created",
                by,
                detail=f"{username}{' (admin)' if is_admin else ''}",
                adviser_name=None if by else "cli",
            )
    except pw.IntegrityError:
        raise DuplicateName(f"An adviser called {username} already exists.") from None
    adviser.recovery_key = keys.ensure_recovery_key() if adviser.is_admin else None
    keyring = keyring_of(by, keyring) if by is not None else keyring
    if adviser.is_admin and not roster.has_roster() and _only_one_with_keys():  # a new install: its first admin
        if adviser.recovery_key is None:  # one they did not make is not signed: a new one (keys.replace_recovery_key)
            adviser.recovery_key = keys.replace_recovery_key()
        roster.establish(adviser, recovery=_public_of(adviser.recovery_key))
    elif adviser.is_admin and not roster.has_roster():
        # Others hold keys already (an upgraded install, or rows planted before the first admin): the roster is
        # made all the same, vouching for this admin alone; every other account waits to be confirmed by name.
        # A recovery key made just now is signed; one the database named already waits for its secret.
        recovery = _public_of(adviser.recovery_key) if adviser.recovery_key else None
        roster.establish(adviser, only_admin=True, recovery=recovery)
    else:
        _vouch(adviser, keyring)
    if keyring is not None:
        keys.share_all(keyring, config)
    if by is None:
        keys.adopt_intake(config)
    adviser.keyring = ring  # the new adviser's own keys, as sign_in gives them
    return adviser


def _public_of(recovery_secret: str) -> bytes:
    """The public half of a recovery key this process made (its secret, as shown once)."""
    return sealing.recovery_key_pair(sealing.parse_recovery_secret(recovery_secret)).public


def _only_one_with_keys() -> bool:
    return Adviser.select().where(Adviser.public_key.is_null(False)).count() == 1


def _vouch(adviser: Adviser, keyring: Keyring | None, held_before: bool = True) -> bool:
    """Sign ``adviser``'s entry as it now stands with ``keyring``'s roster key, if it is an admin's that holds it.

    Without one the entry keeps whatever signature it had, which no longer matches a changed row: the
    adviser is off the roster (nothing new is sealed to them) until an admin confirms them. A change to an
    entry that did not hold before it (``held_before`` False: changed by hand, or by a command without an
    admin's password) is not signed either: signing it would sign whatever a row writer had put there (their
    public key, a promotion), which the admin making a routine change never sees. Confirming does that, openly.
    """
    if keyring is None or not held_before or not roster.has_roster():
        return False
    try:
        seed = roster.seed_of(keyring)
    except PermissionDenied:
        return False
    with database.atomic():
        roster.vouch(adviser, seed)
    return True


def sign_in(username: str | None, password: object, now: dt.datetime | None = None) -> Adviser:
    """``authenticate``, then unlock the adviser's keys with the same password: the adviser
    returned carries them as ``.keyring`` (what the store's case calls use, keyring.keyring_of).

    An adviser from before sealed case files (an upgraded install) is given a key pair now, the
    first time Tellus holds their password; an admin's app then grants them their cases.
    """
    adviser = authenticate(username, password, now)
    assert isinstance(password, str)  # authenticate accepts only a string password
    if adviser.sealed_private_key is None:
        keys.give_key_pair(adviser, password)
        with database.atomic():
            Adviser.update(
                public_key=adviser.public_key,
                sealed_private_key=adviser.sealed_private_key,
                key_salt=adviser.key_salt,
                key_params=adviser.key_params,
            ).where((Adviser.id == adviser.id) & Adviser.sealed_private_key.is_null()).execute()
        adviser = Adviser.get_by_id(adviser.id)
    adviser.keyring = unlock(adviser, password)
    return adviser


def get_adviser(username: str | None) -> Adviser:
    adviser = Adviser.get_or_none(Adviser.username == (username or "").strip().lower())
    if adviser is None:
        raise NotFound(f"There is no adviser called {username}.")
    return adviser


def list_advisers(by: Adviser | None = None) -> list[Adviser]:
    """Every account, for managing them. ``by``: the admin in the adviser app; None for the CLI."""
    require_admin(by, "manage adviser accounts")
    return list(Adviser.select().order_by(Adviser.username))


def active_advisers() -> list[Adviser]:
    """The accounts that can take a case (any adviser assigns cases, so no admin check)."""
    return list(Adviser.select().where(Adviser.active).order_by(Adviser.username))


def authenticate(username: str | None, password: object, now: dt.datetime | None = None) -> Adviser:
    """Return the adviser, or raise AuthenticationFailed / AccountLocked / AccountDisabled.

    After MAX_FAILURES wrong passwords in a row the account locks for
    LOCK_MINUTES. Each check is counted *before* the password is verified,
    so however many attempts arrive together at most MAX_FAILURES are
    checked per lock; a right password is accepted only by a transaction
    that finds the account still unlocked. Unknown users cost one argon2
    verification too.
    """
    now = now or utcnow()
    name = (username or "").strip().lower()
    adviser = Adviser.get_or_none(Adviser.username == name) if name else None
    if not isinstance(password, str) or len(password) > MAX_PASSWORD:
        password = ""
    if adviser is None:
        _verify(_DUMMY_HASH, password)
        with database.atomic():
            # Never what was typed: people type their password into the username field.
            audit.record("login_failed", detail="unknown username")
        raise AuthenticationFailed("Wrong username or password.")
    locked_until = _count_check(adviser, now)
    if locked_until:
        raise AccountLocked(locked_until)
    ok = _verify(adviser.password_hash, password)
    if ok and not adviser.active:
        raise AccountDisabled("This account is disabled; ask an administrator.")
    if ok:
        return _accept(adviser, password, now)
    locked_until = _record_failure(adviser, now)
    if locked_until:
        raise AccountLocked(locked_until)
    raise AuthenticationFailed("Wrong username or password.")


def _count_check(adviser: Adviser, now: dt.datetime) -> dt.datetime | None:
    """Count one password check before it is made; returns None, or when the lock ends if the account is locked.

    ``failed_logins`` counts the checks since the last success or lock: the
    failed ones and those still being verified. One conditional UPDATE takes
    a place, so concurrent attempts cannot all pass the count together.
    """
    lock_over = Adviser.locked_until.is_null(False) & (Adviser.locked_until <= now)
    under_limit = Adviser.locked_until.is_null() & (Adviser.failed_logins < MAX_FAILURES)
    with database.atomic():
        taken = (
            Adviser.update(
                failed_logins=pw.Case(None, [(lock_over, 1)], Adviser.failed_logins + 1),
                locked_until=pw.Case(None, [(lock_over, None)], Adviser.locked_until),
            )
            .where((Adviser.id == adviser.id) & (lock_over | under_limit))
            .execute()
        )
        if taken:
            return None
        # Locked already, or MAX_FAILURES checks are under way: lock now if nothing has, so
        # that a check that died half-way cannot leave the account refusing without an end.
        if _lock(adviser, now, "too many logins at once"):
            return now + dt.timedelta(minutes=LOCK_MINUTES)
        return Adviser.get_by_id(adviser.id).locked_until


def _lock(adviser: Adviser, now: dt.datetime, why: str, when: pw.Expression | None = None) -> bool:
    """Lock the account unless it is locked already (and, with ``when``, only if that holds). True if this locked it."""
    condition = (Adviser.id == adviser.id) & Adviser.locked_until.is_null()
    if when is not None:
        condition &= when
    until = now + dt.timedelta(minutes=LOCK_MINUTES)
    if not Adviser.update(locked_until=until).where(condition).execute():
        return False
    audit.record("locked", adviser, detail=why)
    return True


def _record_failure(adviser: Adviser, now: dt.datetime) -> dt.datetime | None:
    """A wrong password, already counted: audit it, and lock at MAX_FAILURES. Returns when a lock ends, if locked."""
    with database.atomic():
        audit.record("login_failed", adviser)
        _lock(adviser, now, f"{MAX_FAILURES} failed logins", when=Adviser.failed_logins >= MAX_FAILURES)
        locked_until = Adviser.get_by_id(adviser.id).locked_until
    return locked_until if locked_until and locked_until > now else None


def _accept(adviser: Adviser, password: str, now: dt.datetime) -> Adviser:
    """Log in, in one transaction with the check that no lock was set while the password was verified."""
    changes: dict[pw.Field, object] = {Adviser.failed_logins: 0, Adviser.locked_until: None}
    if _hasher.check_needs_rehash(adviser.password_hash):
        changes[Adviser.password_hash] = _hasher.hash(password)  # outside the write transaction: it is slow
    unlocked = Adviser.locked_until.is_null() | (Adviser.locked_until <= now)
    with database.atomic():
        if not Adviser.update(changes).where((Adviser.id == adviser.id) & unlocked).execute():
            raise AccountLocked(Adviser.get_by_id(adviser.id).locked_until)
        fresh = Adviser.get_by_id(adviser.id)
        audit.record("login", fresh)
    return fresh


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _not_yourself(adviser: Adviser, by: Adviser | None, what: str) -> None:
    if by is not None and adviser.id == by.id:
        raise ValidationError({"username": f"You cannot {what} your own account; ask another administrator."})


def set_active(
    username: str,
    active: bool,
    by: Adviser | None = None,
    keyring: Keyring | None = None,
    config: Config | None = None,
) -> Adviser:
    """``keyring``: an admin's (``by``'s by default), to sign the changed entry into the roster and to rotate
    the keys of the cases a disabled adviser held (without one, an admin's app does at sign-in)."""
    require_admin(by, "disable or enable adviser accounts")
    with database.atomic():
        adviser = get_adviser(username)
        if not active:
            _not_yourself(adviser, by, "disable")
        held_before = roster.held(adviser)
        adviser.active = bool(active)
        if not adviser.active:
            adviser.sealed_roster_key = None  # signs nothing more, signed again or not
        adviser.save()
        if not adviser.active:
            keys.revoke_adviser(adviser.id)  # a disabled adviser's grants cannot be used: they are gone
        _vouch(adviser, keyring_of(by, keyring), held_before)
        audit.record(
            "adviser_enabled" if active else "adviser_disabled",
            by,
            detail=adviser.username,
            adviser_name=None if by else "cli",
        )
    _rotate_owed(keyring_of(by, keyring), config)
    return adviser


def _rotate_owed(keyring: Keyring | None, config: Config | None) -> None:
    """Rotate the keys of the cases someone just lost (store/rotation.py), if an admin's keys are at hand."""
    if keyring is not None:
        rotation.rotate_due(keyring, config)


def set_admin(
    username: str,
    is_admin: bool,
    by: Adviser | None = None,
    config: Config | None = None,
    keyring: Keyring | None = None,
) -> Adviser:
    """``keyring``: an admin's (``by``'s by default), to sign the changed entry into the roster; a new
    admin is on the roster as one (and holds the roster key) only once signed."""
    require_admin(by, "make or unmake administrators")
    with database.atomic():
        adviser = get_adviser(username)
        if not is_admin:
            _not_yourself(adviser, by, "remove administrator rights from")
        held_before = roster.held(adviser)
        adviser.is_admin = bool(is_admin)
        if not adviser.is_admin:
            adviser.sealed_roster_key = None
        adviser.save()
        _vouch(adviser, keyring_of(by, keyring), held_before)
        if not adviser.is_admin:
            keys.revoke_not_allowed_everywhere(config)
        audit.record(
            "adviser_admin",
            by,
            detail=f"{adviser.username} admin={'yes' if is_admin else 'no'}",
            adviser_name=None if by else "cli",
        )
    _rotate_owed(keyring_of(by, keyring), config)
    return adviser


def change_password(
    username: str,
    password: str,
    by: Adviser | None = None,
    keyring: Keyring | None = None,
    config: Config | None = None,
) -> Adviser:
    """An admin resets anyone's password; an adviser may change only their own.

    ``keyring`` is ``by``'s, unlocked. Changing one's own password keeps one's keys, sealed under
    the new password. A reset (by an admin, or the CLI) cannot open the old private key: the
    adviser gets a new key pair, loses their grants, and the admin's ``keyring`` grants their
    cases again at once (without one, an admin's app does it when it next runs).
    """
    own = by is not None and get_adviser(username).id == by.id
    keyring = keyring_of(by, keyring) if by is not None else keyring
    if not own:
        require_admin(by, "reset other advisers' passwords")
    check_password(password)
    password_hash = _hasher.hash(password)
    target = get_adviser(username)
    if own and keyring is not None and keyring.adviser_id == target.id:
        keys.reseal_private_key(target, keyring, password)
        reset = False
    else:
        keys.give_key_pair(target, password)
        reset = True
    with database.atomic():
        adviser = get_adviser(username)
        held_before = roster.held(adviser)
        adviser.password_hash = password_hash
        adviser.failed_logins = 0
        adviser.locked_until = None
        adviser.public_key = target.public_key
        adviser.sealed_private_key = target.sealed_private_key
        adviser.key_salt = target.key_salt
        adviser.key_params = target.key_params
        if reset:
            adviser.sealed_roster_key = None  # sealed to the old key pair: useless now
        adviser.save()
        if reset:
            keys.revoke_adviser(adviser.id)
            _vouch(adviser, keyring if not own else None, held_before)
        audit.record("password_changed", by, detail=adviser.username, adviser_name=None if by else "cli")
    if reset and keyring is not None and not own:
        _rotate_owed(keyring, config)  # (the old key pair may be in someone's hands: that is why it was reset)
        keys.share_all(keyring, config)
    return adviser


RECOVERY_HOLDS_NO_ROSTER_KEY = (
    "The recovery key holds no copy of the roster key (it is not yet proved on this upgraded installation, or the "
    "database was changed), so the administrator it restored could be given no case: nothing was changed. An "
    "administrator who can still sign in runs tellus recover --check --admin NAME first."
)


def recover(secret_text: str, username: str, password: str, config: Config | None = None) -> int:
    """With the install's recovery key: ``username`` (an active admin) gets ``password``, a new key
    pair and every case again; other advisers who may see a case and lack its key get it too.
    Returns how many cases the admin holds. Audited."""
    pair = keys.recovery_pair(secret_text)  # ValidationError first: a wrong key changes nothing
    opened = keys.recovery_keys(secret_text)
    admin = get_adviser(username)
    if not admin.is_admin or not admin.active:
        raise ValidationError({"username": f"{admin.username} is not an active administrator."})
    seed = roster.seed_for_recovery(pair.private)
    if seed is None and roster.has_roster():
        # The new key pair could not be signed, so nothing would be sealed to it: the admin's old grants would
        # be gone and no case given back. Refused before anything changes.
        raise TellusError(RECOVERY_HOLDS_NO_ROSTER_KEY)
    change_password(username, password)
    if seed is not None:  # the admin's new key pair goes on the roster, with the roster key
        with database.atomic():
            roster.vouch(get_adviser(username), seed)
    keys.grant_to(get_adviser(username), opened, config)
    with database.atomic():
        audit.record("recovered", detail=f"{admin.username}: {len(opened)} cases", adviser_name="cli")
    return len(opened)


def check_recovery(secret_text: str, by: Adviser, config: Config | None = None) -> tuple[bool, int]:
    """Someone typed the recovery key's secret, and ``by`` (an admin, signed in) signs it into the roster.

    What makes an upgraded install's recovery key trusted, or one whose signature broke trusted again: its
    public half is derived from the secret, never read from the database, and it must be the one the database
    names (ValidationError otherwise: nothing changes). Then it is signed, the roster key sealed to it, and every
    case ``by`` holds sealed to it. Returns (whether it was signed just now, cases now sealed to it). Audited.
    """
    require_admin(by, "sign the recovery key")
    pair = keys.recovery_pair(secret_text)  # ValidationError first: a wrong key changes nothing
    keyring = keyring_of(by)
    if keyring is None:
        raise PermissionDenied("Signing the recovery key needs your keys: sign in with your password.")
    if not roster.has_roster():
        raise TellusError(
            "This installation has no roster yet, so there is nothing to sign the recovery key with: an "
            "administrator makes it first (tellus migrate --admin NAME, or tellus advisers confirm --granted-by NAME)."
        )
    signed = roster.check_recovery(pair, roster.seed_of(keyring))
    mine = [r for (r,) in tuples(CaseKey.select(CaseKey.report_id).where(CaseKey.adviser == keyring.adviser_id))]
    shared = keys.share_with_recovery(keyring.case_keys(mine))
    with database.atomic():
        audit.record(
            "recovery_checked",
            by,
            detail=f"recovery key {roster.fingerprint(pair.public)} {'signed' if signed else 'trusted already'}",
        )
    return signed, shared


def confirm(
    usernames: list[str], by: Adviser, config: Config | None = None, as_listed: list[Adviser] | None = None
) -> list[Adviser]:
    """An admin signs advisers' entries into the roster, and grants them their cases.

    ``as_listed``: the accounts as the admin was shown them (the app's accounts screen); each is signed only
    if its row still says exactly that, else TellusError and nothing is signed. Otherwise ``usernames``, as
    their rows stand now (the command line prints whom it signed). With a roster, they must be named:
    signing every unconfirmed entry at once would sign any row a row writer added. On an install that has
    no roster yet (upgraded), this makes it: ``by`` vouches for every active adviser as listed, and the
    assignments of the cases ``by`` holds are sealed as the rows say (the moment the rows are trusted once).
    Returns the advisers signed. Audited.
    """
    require_admin(by, "confirm advisers")
    keyring = keyring_of(by)
    if keyring is None:
        raise PermissionDenied("Confirming advisers needs your keys: sign in with your password.")
    if not roster.has_roster():
        roster.establish(get_adviser(by.username))
        keys.seal_missing_assignments(keyring)
        signed = list(Adviser.select().where(Adviser.active & Adviser.public_key.is_null(False)))
    else:
        wanted = list(as_listed) if as_listed is not None else [get_adviser(name) for name in usernames]
        if not wanted:
            raise ValidationError(
                {"username": "Name the advisers to confirm (tellus advisers list shows who is not confirmed)."}
            )
        seed = roster.seed_of(keyring)
        with database.atomic():
            for adviser in wanted:
                roster.vouch(adviser, seed)
        signed = wanted
    keys.share_all(keyring, config)
    with database.atomic():
        audit.record("advisers_confirmed", by, detail=", ".join(a.username for a in signed) or "nobody")
    return signed
