"""The roster: who Tellus may seal case keys to, signed so that a row edit cannot add anyone.

Sealing needs only public keys, and the web process seals every new report to
the advisers the database lists. Without this module, whoever can write rows
(a compromised web process, a PostgreSQL server run by others, an adviser with
write access to the file) could add an admin row with their own public key, or
swap the recovery key, and receive every new report.

So each adviser's entry — id, username, public key, role, state — and the
recovery key are signed with the install's **roster key** (Ed25519,
``sealing.sign``). Its public half is pinned *outside* the database: a file
beside the SQLite file (``tellus.db.roster-key``) or where
``$TELLUS_ROSTER_KEY`` says. Its private half is a seed sealed to each admin's
public key (``Adviser.sealed_roster_key``) and to the recovery key, so only an
admin with their password, or the recovery key, signs. The recovery key is signed
only where Tellus knows it is the real one: made by the first admin's command, or
its secret typed (``tellus recover --check``, ``check_recovery``); on an upgraded
install the roster does not take the one the database names (``recovery_problem``). Sealers (store/keys.py)
seal only to entries whose signature holds; an entry nobody signed yet — an
adviser created on the command line without an admin's password — waits for an
admin to confirm it (``confirm``).

What the roster cannot stop: someone who can write rows can put back an
*earlier* signed entry or signature (from a backup: an adviser as they were
before being disabled or demoted). README "Known limits" says so.

An install that has no roster key yet (upgraded, and no admin has run
``tellus migrate --admin`` or ``tellus advisers confirm``) trusts the rows as
before: ``verify_key`` is None.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import os
import secrets
import stat

from . import sealing
from .db import get_setting, is_sqlite, set_setting_if_absent
from .errors import PermissionDenied, TellusError
from .keyring import Keyring
from .models import Adviser, Setting, database

RECOVERY_SETTING = "recovery_public_key"  # the recovery key's public half (keys.py makes it)
ROSTER_SETTING = "roster_public_key"  # a copy in the database: the pin is what counts where there is one
RECOVERY_SIGNATURE = "recovery_key_signature"
SEED_FOR_RECOVERY = "roster_key_for_recovery"
NOT_CONFIRMED = (
    "not confirmed by an administrator yet: no case is sealed to them until one confirms them "
    "(in the app's Advisers screen, or tellus advisers confirm NAME --granted-by ADMIN)"
)


# ---- the pinned public half ------------------------------------------------------------------


def pin_path() -> str | None:
    """Where the roster key's public half is pinned: $TELLUS_ROSTER_KEY, else beside an SQLite file.

    None on PostgreSQL without the variable: the roster is then checked against the database's own
    copy, which stops nothing a database writer does (the README says to set it).
    """
    configured = os.environ.get("TELLUS_ROSTER_KEY")
    if configured:
        return configured
    if is_sqlite() and database.obj.database not in ("", ":memory:") and "mode=memory" not in database.obj.database:
        return os.path.abspath(database.obj.database) + ".roster-key"
    return None  # PostgreSQL, or a database in memory (tests, the demo's throwaway copies)


def _read_pin(path: str) -> bytes | None:
    """The pinned key, if the file is there; refused (TellusError) if it is damaged or another account may have
    written it: in the README's deployment the database's folder is writable by every adviser's Unix account
    (group ``tellus``), so anyone in it can put a file of their own in the pin's place, though not one owned by
    the folder's owner or by root."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    except OSError:
        raise TellusError(f"The roster key file {path} cannot be read.") from None
    with os.fdopen(fd, "rb") as pin:
        status = os.fstat(pin.fileno())
        if not stat.S_ISREG(status.st_mode) or status.st_uid not in _trusted_owners(path) or status.st_mode & 0o022:
            raise TellusError(
                f"The roster key file {path} was written by another account, or others may change it: it cannot be "
                "trusted. Restore it from the backup of the server's files, owned by the account that owns its "
                "folder (or root) and writable by nobody else."
            )
        raw = pin.read(200)
    try:
        key = bytes.fromhex(raw.decode("ascii").strip())
    except (UnicodeDecodeError, ValueError):
        key = b""
    if len(key) != sealing.KEY_BYTES:
        raise TellusError(f"The roster key file {path} is damaged: it should hold 64 hexadecimal digits.")
    return key


def _trusted_owners(path: str) -> set[int]:
    """Who may own the pin: root, and the owner of the folder it is in (an account nobody in its group can be)."""
    return {0, os.stat(os.path.dirname(os.path.abspath(path))).st_uid}


def verify_key() -> bytes | None:
    """The roster key's public half, or None when this install has no roster yet (rows are trusted).

    A database that says it has a roster while the pinned file is missing is refused: the file is
    what a database writer cannot change, so signatures checked against the database's own copy
    would prove nothing.
    """
    recorded = get_setting(ROSTER_SETTING)
    path = pin_path()
    pinned = _read_pin(path) if path is not None else None
    if pinned is not None:
        return pinned
    if recorded is None:
        return None
    if path is not None:
        raise TellusError(
            f"This database's advisers are signed, but the roster key file {path} is missing: restore it "
            "from the backup of the server's files (or set TELLUS_ROSTER_KEY to where it is)."
        )
    return bytes.fromhex(recorded)


def _pin(verify: bytes) -> None:
    """Write the pin file whole, readable by all and writable by its owner, never replacing one.

    Only root or the folder's owner may write it (_read_pin refuses any other owner): an admin's app, running
    as their own Unix account, cannot make the roster in the README's deployment; the command line run as the
    service account (sudo -u tellus) can.
    """
    path = pin_path()
    if path is None:
        return
    if os.geteuid() not in _trusted_owners(path):
        raise TellusError(
            f"The roster key file {path} must belong to the account that owns its folder: make the roster as that "
            "account (sudo -u tellus tellus advisers confirm --granted-by NAME, or tellus migrate --admin NAME)."
        )
    # A fresh name, created exclusively: a file planted under a guessable name is never written into.
    temporary = f"{path}.{os.getpid()}.{secrets.token_hex(8)}.tmp"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
    try:
        os.fchmod(fd, 0o644)  # whatever the umask: every process reads it
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(verify.hex() + "\n")
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            if _read_pin(path) != verify:
                raise TellusError(
                    f"A roster key file {path} already exists for another roster; move it away."
                ) from None
    finally:
        os.unlink(temporary)


# ---- statements and checks ----------------------------------------------------------------------


def statement(adviser: Adviser) -> bytes:
    """What an entry's signature covers: everything that decides whether keys are sealed to this adviser."""
    public = bytes(adviser.public_key).hex() if adviser.public_key is not None else ""
    role = "admin" if adviser.is_admin else "adviser"
    state = "active" if adviser.active else "disabled"
    return f"tellus roster 1|adviser|{adviser.id}|{adviser.username}|{public}|{role}|{state}".encode()


def fingerprint(public_key: bytes | memoryview | None) -> str:
    """A short name for a public key that a person can compare (the first 80 bits of its SHA-256, base32).

    Confirming signs the key the row names, which a row writer may have swapped: the command that made or
    reset the account prints its fingerprint, and the app's confirm question shows the one it would sign.
    """
    if public_key is None:
        return "none"
    text = base64.b32encode(hashlib.sha256(bytes(public_key)).digest()[:10]).decode("ascii")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def _recovery_statement(public_hex: str) -> bytes:
    return f"tellus roster 1|recovery|{public_hex}".encode()


def trusted(adviser: Adviser, verify: bytes | None) -> bool:
    """Whether keys may be sealed to ``adviser`` as their row describes them (``verify``: verify_key())."""
    if verify is None:
        return True
    signature = adviser.roster_signature
    return signature is not None and _verified(verify, statement(adviser), bytes(signature))


@functools.lru_cache(maxsize=4096)
def _verified(verify: bytes, statement: bytes, signature: bytes) -> bool:
    """Checked once per process for the same bytes (the web process checks every entry for every report)."""
    return sealing.verify(verify, statement, signature)


_UNREAD = b""


def recovery_public_key(recovery_hex: str | None, verify: bytes | None = _UNREAD) -> bytes | None:
    """The recovery key to seal to, if there is one and (with a roster) it is signed (``verify``: verify_key(),
    read here if not given)."""
    if not recovery_hex:
        return None
    if verify == _UNREAD:
        verify = verify_key()
    if verify is not None:
        signature = get_setting(RECOVERY_SIGNATURE)
        try:
            signed = signature is not None and _verified(
                verify, _recovery_statement(recovery_hex), bytes.fromhex(signature)
            )
        except ValueError:  # not hexadecimal: changed by hand
            signed = False
        if not signed:
            return None
    return bytes.fromhex(recovery_hex)


RECOVERY_UNCHECKED = (
    "The recovery key is not yet trusted: nothing new is sealed to it, and tellus recover refuses, until whoever "
    "keeps it proves it with tellus recover --check --admin NAME (they type the recovery key, then NAME's password)."
)
RECOVERY_BROKEN = (
    "The recovery key's signature does not check out (has the database been changed by hand?): nothing new is "
    "sealed to it. Whoever keeps it signs it again with tellus recover --check --admin NAME."
)
RECOVERY_MISSING = (
    "The recovery key's setting is gone from the database (changed by hand?): nothing new is sealed to it. "
    "Restore the setting recovery_public_key from a backup (tellus recover --check --admin NAME signs it again if "
    "need be)."
)


def recovery_problem() -> str | None:
    """What admins must hear about the recovery key, or None when it receives new reports as it should.

    An upgraded install's roster does not sign the recovery key the database names (a row writer may have
    swapped it): it is *unchecked* until ``check_recovery`` signs the key whose secret someone typed. A
    signature that no longer holds is *broken*. Either way the sealers leave it out, silently but for this.
    """
    verify = verify_key()
    if verify is None:
        return None  # no roster: the recovery key the database names receives every report, as before
    recovery_hex = get_setting(RECOVERY_SETTING)
    if not recovery_hex:
        # Gone while its signature or its copy of the roster key is still there: deleted. (A roster made with no
        # recovery key at all, as the sample data's, has neither.)
        signed_once = get_setting(RECOVERY_SIGNATURE) is not None or get_setting(SEED_FOR_RECOVERY) is not None
        return RECOVERY_MISSING if signed_once else None
    if recovery_public_key(recovery_hex, verify) is not None:
        return None
    return RECOVERY_UNCHECKED if get_setting(RECOVERY_SIGNATURE) is None else RECOVERY_BROKEN


def unconfirmed(advisers: list[Adviser]) -> list[Adviser]:
    """Those of ``advisers`` (active, with keys) whose entries are not signed as they stand."""
    verify = verify_key()
    return [a for a in advisers if a.active and a.public_key is not None and not trusted(a, verify)]


# ---- signing: an admin's keyring or the recovery key --------------------------------------------


def seed_of(keyring: Keyring) -> bytes:
    """The roster key's seed, opened with an admin's unlocked keys; PermissionDenied if they hold none."""
    row = Adviser.get_or_none(Adviser.id == keyring.adviser_id)
    verify = verify_key()
    if row is None or row.sealed_roster_key is None or verify is None:
        raise PermissionDenied("Only an administrator holding the roster key can confirm advisers.")
    try:
        seed = sealing.open_sealed_seed(keyring.private_key, row.sealed_roster_key)
    except sealing.Unreadable:
        raise PermissionDenied("Your copy of the roster key does not open; ask another administrator.") from None
    if sealing.verify_key_of(seed) != verify:  # a seed copied in from elsewhere signs nothing that counts
        raise PermissionDenied("Your copy of the roster key is not this installation's.")
    return seed


def seed_for_recovery(private_key: bytes) -> bytes | None:
    """The seed, opened with the recovery key's private half (None: no roster, or no copy for it)."""
    sealed = get_setting(SEED_FOR_RECOVERY)
    verify = verify_key()
    if sealed is None or verify is None:
        return None
    try:
        seed = sealing.open_sealed_seed(private_key, bytes.fromhex(sealed))
    except (sealing.Unreadable, ValueError):  # damaged or replaced: recovery goes on, without signing
        return None
    return seed if sealing.verify_key_of(seed) == verify else None


def vouch(adviser: Adviser, seed: bytes) -> None:
    """Sign ``adviser``'s entry as the caller holds it (and save it); an active admin also gets the seed.

    Called inside the caller's transaction, with the row as just saved. What is signed is the entry the
    caller made or was shown, never the row re-read: if the row no longer says the same (a trigger, or a
    write in between), nothing is signed and TellusError says so.
    """
    public = bytes(adviser.public_key) if adviser.public_key is not None else None
    signature = sealing.sign(seed, statement(adviser))
    sealed_seed = sealing.seal_to(public, seed) if adviser.is_admin and adviser.active and public else None
    # Saved only where the row still says what was signed: one statement, so no write can come in between.
    unchanged = (
        (Adviser.id == adviser.id)
        & (Adviser.username == adviser.username)
        & (Adviser.is_admin == bool(adviser.is_admin))
        & (Adviser.active == bool(adviser.active))
        & (Adviser.public_key.is_null() if public is None else Adviser.public_key == public)
    )
    saved = Adviser.update(roster_signature=signature, sealed_roster_key=sealed_seed).where(unchanged).execute()
    if saved != 1 or not trusted(Adviser.get_by_id(adviser.id), sealing.verify_key_of(seed)):
        raise TellusError(
            f"The account {adviser.username} changed in the database while it was being signed: nothing was "
            "signed. Look at it again (someone may be changing the database by hand)."
        )
    adviser.roster_signature = signature
    adviser.sealed_roster_key = sealed_seed


def held(adviser: Adviser) -> bool:
    """Whether ``adviser``'s entry holds as it stands (False on an install without a roster): what an admin's
    change to an account needs before it is signed, so that a change never signs what a row writer put there."""
    verify = verify_key()
    return verify is not None and trusted(adviser, verify)


def vouch_recovery(seed: bytes, public: bytes) -> None:
    """Sign the recovery key ``public`` and seal the seed to it, so `tellus recover` can sign the admin it restores.

    ``public`` is the key the caller knows to be the recovery key (it made it, or derived it from the secret
    someone typed), never the setting re-read: on an upgraded install that is whatever a row writer left there.
    """
    signature = sealing.sign(seed, _recovery_statement(public.hex())).hex()
    sealed = sealing.seal_to(public, seed).hex()
    with database.atomic():
        for key, value in ((RECOVERY_SIGNATURE, signature), (SEED_FOR_RECOVERY, sealed)):
            Setting.insert(key=key, value=value).on_conflict(
                conflict_target=[Setting.key], update={Setting.value: value}
            ).execute()


def check_recovery(pair: sealing.KeyPair, seed: bytes) -> bool:
    """Make the recovery key ``pair`` (derived from its secret, just typed) the signed one, holding a copy of the
    roster key ``seed``, unless it is that already. Returns whether anything was written.

    TellusError if the database names another recovery key, before or after signing: nothing is signed for it.
    """
    if get_setting(RECOVERY_SETTING) != pair.public.hex():
        raise TellusError(
            "The database names another recovery key than the one typed (the database was changed, or the key is "
            "another installation's): nothing was signed."
        )
    verify = sealing.verify_key_of(seed)
    if recovery_public_key(pair.public.hex(), verify) == pair.public and seed_for_recovery(pair.private) == seed:
        return False
    vouch_recovery(seed, pair.public)
    if recovery_public_key(get_setting(RECOVERY_SETTING), verify) != pair.public:
        raise TellusError("The recovery key's setting changed in the database while it was being signed.")
    return True


def establish(admin: Adviser, only_admin: bool = False, recovery: bytes | None = None) -> bytes:
    """Make the install's roster key (the first admin, or an admin on an upgraded install): pin its
    public half, sign ``admin`` and every other active adviser *as they stand*, and the recovery key
    ``recovery`` if the caller made it just now.

    Returns the seed. On an upgraded install the admin doing it vouches for the advisers as the
    database lists them at that moment: the command that calls this prints them. With ``only_admin``
    (an admin created where others hold keys already) only that admin is signed. A recovery key the
    caller did not make is not signed (a row writer may have swapped it): ``recovery_problem`` says so
    until someone types its secret (``check_recovery``).
    """
    if has_roster():
        raise TellusError("This installation has a roster key already.")
    seed = sealing.new_signing_seed()
    verify = sealing.verify_key_of(seed)
    _pin(verify)  # first: another process making one at the same moment fails here or on the setting
    with database.atomic():  # the key, the signatures and the seeds appear together, or not at all
        if set_setting_if_absent(ROSTER_SETTING, verify.hex()) != verify.hex():
            raise TellusError("Another process made the roster key at the same moment.")
        everyone = Adviser.select().where(Adviser.active & Adviser.public_key.is_null(False))
        for adviser in [admin] if only_admin else everyone:
            vouch(admin if adviser.id == admin.id else adviser, seed)  # the admin as the caller knows them
        if recovery is not None:
            vouch_recovery(seed, recovery)
    return seed


def has_roster() -> bool:
    """Whether this install has a roster: the pin says so, whatever the database's copy (a row writer could
    delete that); without a pin (PostgreSQL without $TELLUS_ROSTER_KEY), the database's copy."""
    return verify_key() is not None


def check_first_admin() -> None:
    """Before the first admin of a database without a roster is created: a pin file already there is refused.

    It is another database's (a database started again beside the old pin) or planted: with it in place the
    new admin would not make the roster, and the sealers would trust whoever signed with its key. Said before
    anything is created, so the command can simply be run again once the file is moved away.
    """
    path = pin_path()
    if get_setting(ROSTER_SETTING) is None and path is not None and os.path.lexists(path):
        raise TellusError(
            f"A roster key file {path} is there, but this database has no roster: it belongs to another database "
            "or was put there by someone else. Move it away, then create the first administrator again."
        )
