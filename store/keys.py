"""Who holds which case key: advisers' key pairs, grants, the recovery key and the intake key.

The rules (ARCHITECTURE.md, "Sealed case files"):

* A case key is sealed to every active adviser who may see the case
  (access.can_see: admins always, the assignee, and everyone for an
  unassigned case when ``advisers_see_unassigned``), and to the recovery key.
  Grants follow assignment: a grant an adviser may no longer use is deleted.
* Sealing to someone needs only their public key, so the web process seals
  new reports without any secret. Granting an *existing* case to someone
  needs its key: an adviser who holds it (their app does it) or the recovery key.
* Before the first adviser has keys, reports are sealed to the **intake
  key**, whose private half is in a file beside the database (never in it).
  Creating an adviser (the CLI, on the server) opens those reports with it
  and seals them to the advisers who may see them; once an admin has them,
  the intake key's file and grants are destroyed.
* Only to advisers and a recovery key the roster vouches for (store/roster.py:
  entries signed by the install's roster key), and when granting an existing
  case, only by its assignment as the holders of its key sealed it
  (casetext.seal_assignment): a row edit adds no reader.
"""

from __future__ import annotations

import contextlib
import os
import secrets

from . import casetext, roster, sealing
from .config import Config
from .db import get_setting, insert_new, is_sqlite, set_setting_if_absent, statement, tuples
from .errors import TellusError, ValidationError
from .keyring import Keyring, fitting
from .models import Adviser, CaseKey, Report, Setting, database

RECOVERY_SETTING = roster.RECOVERY_SETTING
INTAKE_SETTING = "intake_public_key"


# ---- advisers' key pairs -------------------------------------------------------


def give_key_pair(adviser: Adviser, password: str) -> Keyring:
    """A new key pair for ``adviser``, its private half sealed under ``password`` (the caller saves the row)."""
    pair = sealing.KeyPair.generate()
    _seal_private(adviser, pair.private, password)
    adviser.public_key = pair.public
    return Keyring(adviser.id, pair.private)


def _seal_private(adviser: Adviser, private_key: bytes, password: str) -> None:
    sealed = sealing.SealedPrivateKey.seal(private_key, password)
    adviser.sealed_private_key = sealed.blob
    adviser.key_salt = sealed.salt
    adviser.key_params = sealed.params


def reseal_private_key(adviser: Adviser, keyring: Keyring, password: str) -> None:
    """Keep the adviser's keys under a new password (their own change: the old key was unlocked)."""
    _seal_private(adviser, keyring.private_key, password)


def public_of(adviser: Adviser) -> bytes:
    if adviser.public_key is None:  # holders() and may_hold() keep advisers without keys out
        raise ValueError(f"adviser {adviser.id} has no key pair")
    return bytes(adviser.public_key)


def _see_unassigned(config: Config | None) -> bool:
    return config.advisers_see_unassigned if config is not None else Config().advisers_see_unassigned


ROW_ASSIGNEE = -2  # may_hold: take the assignee from the report's row


def may_hold(adviser: Adviser, report: Report, config: Config | None, assignee: int | None = ROW_ASSIGNEE) -> bool:
    """The rule, for an adviser the roster vouches for; ``assignee``: the case's (default: its row's).

    casetext.UNKNOWN_ASSIGNEE (an assignment nobody can check) leaves only admins.
    """
    if not adviser.active or adviser.public_key is None:
        return False
    if assignee == ROW_ASSIGNEE:
        assignee = report.assignee_id
    if adviser.is_admin or assignee == adviser.id:
        return True
    return assignee is None and _see_unassigned(config)


def vouched_advisers() -> list[Adviser]:
    """The active advisers with keys whose roster entries hold (all of them on an install without a roster)."""
    return vouched_by(roster.verify_key())


def vouched_by(verify: bytes | None) -> list[Adviser]:
    # Every submitted report asks: the statement is written once (store.db.statement).
    text = statement(
        "keyed advisers", lambda: Adviser.select().where(Adviser.active & Adviser.public_key.is_null(False)), 0
    )
    return [a for a in Adviser.raw(text) if roster.trusted(a, verify)]


def holders(report: Report, config: Config | None) -> list[Adviser]:
    """The advisers a case key must be sealed to now (the row's assignee: the caller has just set it)."""
    return [a for a in vouched_advisers() if may_hold(a, report, config)]


NOBODY_TO_SEAL_TO = (
    "No administrator and no recovery key can receive this report: their entries in the roster do not check "
    "out (has the database been changed by hand?). Nothing was stored. An administrator must look into it."
)


# ---- sealing a case key to people ------------------------------------------------


def _grant(report_id: int, case_key: bytes, holder: str, public_key: bytes, adviser_id: int | None = None) -> None:
    sealed = sealing.seal_to(public_key, case_key)
    existing = CaseKey.select(CaseKey.id).where(
        (CaseKey.report == report_id)
        & (CaseKey.holder == holder)
        & (CaseKey.adviser.is_null() if adviser_id is None else CaseKey.adviser == adviser_id)
    )
    if not existing.exists():
        CaseKey.create(report=report_id, holder=holder, adviser=adviser_id, sealed_key=sealed)


def seal_new_case(report: Report, case_key: bytes, config: Config | None) -> None:
    """Seal a new case's key to everyone who may read it (inside the caller's transaction).

    Needs public keys only. Before the install has a roster (no admin yet, or an upgraded install), with no
    admin among them the intake key receives it too. With a roster there is no intake: the intake key is
    only a database setting, so whoever can write rows could name their own, then break the admins'
    signatures to send every new report there. A report that neither a vouched admin nor the signed recovery
    key would receive is refused (TellusError, the caller's transaction rolls back) rather than stored for nobody.
    The case is new, so it has no grants yet: they go in without a check each (the unique index on
    (report, holder, adviser) would refuse a second copy all the same), by a written-once INSERT.
    """
    verify = roster.verify_key()
    recipients = [a for a in vouched_by(verify) if may_hold(a, report, config)]
    admin_holds = any(a.is_admin for a in recipients)
    recovery = roster.recovery_public_key(get_setting(RECOVERY_SETTING), verify)
    if verify is not None and not admin_holds and not recovery:
        raise TellusError(NOBODY_TO_SEAL_TO)
    grants = [
        {
            "report": report.id,
            "holder": "adviser",
            "adviser": a.id,
            "sealed_key": sealing.seal_to(public_of(a), case_key),
        }
        for a in recipients
    ]
    if recovery:
        sealed = sealing.seal_to(recovery, case_key)
        grants.append({"report": report.id, "holder": "recovery", "adviser": None, "sealed_key": sealed})
    if verify is None and not admin_holds:
        sealed = sealing.seal_to(intake_public_key(), case_key)
        grants.append({"report": report.id, "holder": "intake", "adviser": None, "sealed_key": sealed})
    for grant in grants:
        insert_new(CaseKey(**grant))


def grant_case(report: Report, case_key: bytes, config: Config | None) -> int:
    """Bring a case's grants in line with who may see it now; returns how many were added.

    Called where a case's readers change (assignment) by someone holding its key.
    """
    revoke_unallowed(report, config)
    have = {
        a
        for (a,) in tuples(
            CaseKey.select(CaseKey.adviser_id).where((CaseKey.report == report.id) & (CaseKey.holder == "adviser"))
        )
    }
    added = 0
    for adviser in holders(report, config):
        if adviser.id not in have:
            _grant(report.id, case_key, "adviser", public_of(adviser), adviser.id)
            added += 1
    return added


def revoke_unallowed(report: Report, config: Config | None) -> int:
    """Delete the grants of advisers who may no longer see ``report`` (no key needed); the case is then
    owed a rotation (store/rotation.py: whoever lost it may have kept a copy)."""
    allowed = [a.id for a in holders(report, config)]
    query = CaseKey.delete().where((CaseKey.report == report.id) & (CaseKey.holder == "adviser"))
    if allowed:
        query = query.where(CaseKey.adviser.not_in(allowed))
    removed = query.execute()
    if removed:
        _owe_rotation([report.id])
    return removed


def revoke_adviser(adviser_id: int) -> int:
    """Every grant of one adviser (disabled, or given a new key pair); each of their cases is then owed a rotation."""
    held = [r for (r,) in tuples(CaseKey.select(CaseKey.report_id).where(CaseKey.adviser == adviser_id))]
    removed = CaseKey.delete().where(CaseKey.adviser == adviser_id).execute()
    _owe_rotation(held)
    return removed


def _owe_rotation(report_ids: list[int]) -> None:
    for start in range(0, len(report_ids), 500):
        Report.update(rekey_due=True).where(Report.id.in_(report_ids[start : start + 500])).execute()


def revoke_not_allowed_everywhere(config: Config | None) -> int:
    """After a change of rights (admin removed, disabled): grants that no longer follow the rules."""
    removed = 0
    ids = {r for (r,) in tuples(CaseKey.select(CaseKey.report_id).where(CaseKey.holder == "adviser").distinct())}
    for report in Report.select().where(Report.id.in_(list(ids))) if ids else []:
        removed += revoke_unallowed(report, config)
    return removed


def share_all(keyring: Keyring, config: Config | None) -> int:
    """Grant every case ``keyring`` can open to each adviser who may see it but holds no key yet.

    What an admin's app (or ``tellus advisers add --granted-by``) runs so new advisers, advisers given a
    new key pair and cases received before anyone had keys become readable. Returns grants added.
    """
    mine = [r for (r,) in tuples(CaseKey.select(CaseKey.report_id).where(CaseKey.adviser == keyring.adviser_id))]
    keyring.forget_rotated(mine)  # an app open across another's rotation would grant the chain from before
    return _share(mine, keyring.case_keys(mine), config)


def _share(report_ids: list[int], keys: dict[int, bytes], config: Config | None) -> int:
    added = 0
    verify = roster.verify_key()
    candidates = vouched_by(verify)
    for start in range(0, len(report_ids), 500):
        chunk = report_ids[start : start + 500]
        held: dict[int, set[int]] = {}
        for report_id, adviser_id in tuples(
            CaseKey.select(CaseKey.report_id, CaseKey.adviser_id).where(
                CaseKey.report.in_(chunk) & (CaseKey.holder == "adviser")
            )
        ):
            held.setdefault(report_id, set()).add(adviser_id)
        with database.atomic():
            for report in Report.select().where(Report.id.in_(chunk)):
                key = keys.get(report.id)
                if key is None or sealing.generation(key) < report.key_generation:
                    continue  # (rotated since the key was read: granting it would give an older chain)
                # Who the case is assigned to as its key's holders sealed it, not as the row says.
                assignee = sealed_assignee(report, key, trust_rows=verify is None)
                for adviser in candidates:
                    if adviser.id not in held.get(report.id, set()) and may_hold(adviser, report, config, assignee):
                        _grant(report.id, key, "adviser", public_of(adviser), adviser.id)
                        added += 1
    return added


def sealed_assignee(report: Report, key: bytes, trust_rows: bool) -> int | None:
    """The assignee the holders of ``key`` sealed; with ``trust_rows`` (an install without a roster, as its pin
    says), the row's for a case sealed before assignments were (nothing is checked there)."""
    found = casetext.open_assignment(report.reference, key, report.sealed_assignment)
    if found == casetext.UNKNOWN_ASSIGNEE and report.sealed_assignment is None and trust_rows:
        return report.assignee_id
    if (sealing.sealed_generation(report.sealed_assignment) or 0) < sealing.generation(key):
        # Sealed with an older key of the chain than its newest, which whoever lost the case holds (a rotation
        # seals the assignment again with the new key): not taken, or they would name themselves.
        return casetext.UNKNOWN_ASSIGNEE
    return found


def seal_missing_assignments(keyring: Keyring) -> int:
    """Seal, as their rows say, the assignments of the cases ``keyring`` opens that have none sealed.

    Run once, when an upgraded install gets its roster: the one moment the rows are taken on trust.
    """
    ids = [r for (r,) in tuples(Report.select(Report.id).where(Report.sealed_assignment.is_null()).order_by(Report.id))]
    done = 0
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        opened = keyring.case_keys(chunk)
        with database.atomic():
            for report in Report.select().where(Report.id.in_(chunk) & Report.sealed_assignment.is_null()):
                if report.id in opened:
                    seal_assignment(report, opened[report.id])
                    done += 1
    return done


def seal_assignment(report: Report, key: bytes | None) -> None:
    """Record the case's assignment (its row's, just set) sealed with its key; without the key, as unknown."""
    sealed = casetext.seal_assignment(report.reference, key, report.assignee_id) if key is not None else None
    Report.update(sealed_assignment=sealed).where(Report.id == report.id).execute()


# ---- the recovery key ---------------------------------------------------------------


def ensure_recovery_key() -> str | None:
    """Make the install's recovery key if it has none; returns the secret to show once, or None if one exists.

    Every case key sealed so far to advisers is not sealed to a new recovery key here; the caller, holding
    keys, does it (``share_with_recovery``).
    """
    if get_setting(RECOVERY_SETTING):
        return None
    secret = sealing.new_recovery_secret()
    public = sealing.recovery_key_pair(secret).public
    if set_setting_if_absent(RECOVERY_SETTING, public.hex()) != public.hex():
        return None  # made by someone else at the same moment
    return sealing.format_recovery_secret(secret)


def replace_recovery_key() -> str:
    """A new recovery key in place of the one the database names; returns the secret to show once.

    For the first admin, whose roster signs the recovery key and seals the roster key to it: a recovery key
    already there was not made by them (planted before the first admin existed, or left by a creation that
    failed before showing it), so it is not to be trusted. What was sealed to it is deleted.
    """
    secret = sealing.new_recovery_secret()
    public = sealing.recovery_key_pair(secret).public.hex()
    with database.atomic():
        Setting.insert(key=RECOVERY_SETTING, value=public).on_conflict(
            conflict_target=[Setting.key], update={Setting.value: public}
        ).execute()
        CaseKey.delete().where(CaseKey.holder == "recovery").execute()
    return sealing.format_recovery_secret(secret)


def share_with_recovery(keys: dict[int, bytes]) -> int:
    recovery = roster.recovery_public_key(get_setting(RECOVERY_SETTING))
    if not recovery:
        return 0
    done = 0
    with database.atomic():
        for report_id, key in keys.items():
            _grant(report_id, key, "recovery", recovery)
            done += 1
    return done


def recovery_pair(secret_text: str) -> sealing.KeyPair:
    """The recovery key pair from its secret; ValidationError if it is not this installation's."""
    try:
        pair = sealing.recovery_key_pair(sealing.parse_recovery_secret(secret_text))
    except ValueError:
        raise ValidationError({"recovery": "That is not a recovery key (32 letters and digits in 8 groups)."}) from None
    if pair.public.hex() != get_setting(RECOVERY_SETTING):
        raise ValidationError({"recovery": "That is not this installation's recovery key."})
    return pair


def recovery_keys(secret_text: str) -> dict[int, bytes]:
    """Every case key sealed to the recovery key, opened with its secret; ValidationError if the secret is wrong."""
    return _open_held("recovery", recovery_pair(secret_text).private)


def _open_held(holder: str, private_key: bytes) -> dict[int, bytes]:
    keys: dict[int, bytes] = {}
    for report_id, sealed in tuples(
        CaseKey.select(CaseKey.report_id, CaseKey.sealed_key).where(CaseKey.holder == holder)
    ):
        with contextlib.suppress(sealing.Unreadable):
            keys[report_id] = sealing.open_sealed(private_key, sealed)
    return fitting(keys)  # a key copied into another case's row is not that case's


def grant_to(adviser: Adviser, keys: dict[int, bytes], config: Config | None) -> int:
    """Seal the given case keys to ``adviser`` where the rules let them hold them."""
    return _share(list(keys), keys, config) if adviser.public_key is not None else 0


# ---- the intake key (reports received before anyone has keys) -------------------------


def intake_path() -> str:
    """Where the intake key's private half is kept: beside an SQLite file, or $TELLUS_INTAKE_KEY."""
    configured = os.environ.get("TELLUS_INTAKE_KEY")
    if configured:
        return configured
    if is_sqlite():
        return os.path.abspath(database.obj.database) + ".intake-key"
    # PostgreSQL has no file to sit beside, and each process has its own working folder: a guess
    # would leave reports sealed to a file nobody adopts. So it must be said where.
    raise TellusError(
        "No adviser holds keys yet, and on PostgreSQL the intake key needs a place: set TELLUS_INTAKE_KEY "
        "to a file path on the server (or create the first administrator before taking reports)."
    )


def intake_public_key() -> bytes:
    """The intake key's public half, made (with its file) on first use."""
    stored = get_setting(INTAKE_SETTING)
    if stored:
        return bytes.fromhex(stored)
    path = intake_path()
    pair = sealing.KeyPair.generate()
    if not _publish(path, pair.private):  # left by a rolled-back run (a dry run), or made just now by another process
        private = _read_private(path)
        pair = sealing.KeyPair(bytes(sealing.PrivateKey(private).public_key), private)
    chosen = set_setting_if_absent(INTAKE_SETTING, pair.public.hex())
    if chosen != pair.public.hex():  # another process made one first: keep theirs
        raise TellusError(f"Another process made the intake key; its file is not {path}. Start again.")
    return bytes.fromhex(chosen)


def _publish(path: str, private: bytes) -> bool:
    """Write the key file whole or not at all: written privately under another name, then linked into place
    (which fails if the file exists). A process that finds the file never reads it half-written."""
    temporary = f"{path}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(private)
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            return False
        return True
    finally:
        os.unlink(temporary)


def _read_private(path: str) -> bytes:
    """An existing intake key file's key, if only this account can read it (else the reports sealed to it
    would be readable by whoever else can)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        raise TellusError(f"The intake key file {path} cannot be read; move it away and try again.") from None
    with os.fdopen(fd, "rb") as key_file:
        status = os.fstat(key_file.fileno())
        if status.st_uid != os.geteuid() or status.st_mode & 0o077:
            raise TellusError(
                f"The intake key file {path} belongs to another account or others can read it; "
                "move it away (it cannot be trusted) and try again."
            )
        private = key_file.read()
    if len(private) != sealing.KEY_BYTES:
        raise TellusError(f"The intake key file {path} is damaged; move it away and try again.")
    return private


def adopt_intake(config: Config | None) -> int:
    """Seal the reports received before anyone had keys to the advisers who may read them now.

    Runs where the intake key's file is (the CLI on the server, when an adviser is created). Once an
    admin holds them, the intake key is destroyed: its grants, its setting and its file. Returns the
    number of cases handed over.
    """
    if not get_setting(INTAKE_SETTING):
        return 0
    path = intake_path()
    try:
        with open(path, "rb") as key_file:
            private = key_file.read()
    except OSError:
        return 0
    keys = _open_held("intake", private)
    _share(list(keys), keys, config)
    share_with_recovery(keys)
    admins_hold = any(a.is_admin for a in vouched_advisers())
    if admins_hold:
        with database.atomic():
            CaseKey.delete().where(CaseKey.holder == "intake").execute()
            Setting.delete().where(Setting.key == INTAKE_SETTING).execute()
        _destroy(path)
    return len(keys)


def _destroy(path: str) -> None:
    with contextlib.suppress(OSError):
        size = os.path.getsize(path)
        with open(path, "r+b") as key_file:
            key_file.write(b"\0" * size)
            key_file.flush()
            os.fsync(key_file.fileno())
        os.unlink(path)
