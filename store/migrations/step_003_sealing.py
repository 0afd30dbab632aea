"""Schema 3 → 4: sealed case files. Everything people wrote is sealed with a key per case.

Adds the advisers' key pairs, the case keys (``case_key``), the sealed
columns, and ``report.place`` (the configured place a location matched, for
statistics); then seals every report, message and note, and drops the plain
columns. The step runs in one transaction: every case is sealed, or none is.
Afterwards the SQLite file is rewritten (VACUUM) and its WAL truncated, so the
plain text leaves the file (``secure_delete`` is on).

Sealing needs someone to seal *to*: the admin named with ``tellus migrate
--admin NAME`` (their password gives them their key pair here), and the
install's new recovery key, shown once. An install with reports and admins
must name one; one with no admin yet seals to the intake key (store/keys.py),
which the first adviser created adopts.

Reporters of two-way cases still get in with their codes: the old lookup value
*was* the code's argon2 digest, from which this step derives the new lookup
value and the key that opens their case, and then forgets it. Reporter
sessions end (their cookies' tokens are not in the database to seal with).
"""

import peewee as pw
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from playhouse.migrate import SchemaMigrator
from playhouse.migrate import migrate as run_operations

from .. import casetext, keys, sealing
from ..config import Config
from ..errors import DatabaseError
from ..models import Adviser, CaseKey, Report
from ..reports import known_place
from . import Step

_PLAIN_REPORT = ("description", "occurred", "location", "people", "contact_name", "contact_email", "contact_phone")
NEEDS_ADMIN = (
    "This upgrade seals every report and needs an administrator to seal them to: "
    "run `tellus migrate --admin NAME` (it asks for that administrator's password, or reads it with --password-stdin)."
)
WRONG_ADMIN = "That administrator's name or password is wrong, or the account is not an active administrator."


def apply(
    db: pw.Database, migrator: SchemaMigrator, config: Config | None = None, admin: tuple[str, str] | None = None
) -> list[str]:
    config = config or Config()
    _add_columns(db, migrator)
    lines = ["advisers have key pairs; case keys table; sealed columns added"]
    reports = db.execute_sql("SELECT COUNT(*) FROM report").fetchone()[0]
    admins = db.execute_sql(f"SELECT COUNT(*) FROM adviser WHERE is_admin = {db.param}", (True,)).fetchone()[0]
    if admin is not None:
        lines.append(_give_admin_keys(*admin))
        recovery = keys.ensure_recovery_key()
        if recovery:
            lines.append(f"RECOVERY KEY (shown once; keep it offline, it opens every case): {recovery}")
    elif reports and admins:
        raise DatabaseError(NEEDS_ADMIN)
    sealed = _seal_reports(db, config)
    lines.append(f"sealed {sealed[0]} reports, {sealed[1]} messages and {sealed[2]} notes")
    if reports and admin is None:
        lines.append(f"no administrator yet: sealed to the intake key in {keys.intake_path()}")
    ended = db.execute_sql("DELETE FROM reporter_session").rowcount
    lines.append(f"{ended} reporter sessions ended (reporters sign in again with their codes)")
    _drop_plain(migrator)
    lines.append("plain text columns dropped; the file is rewritten so their pages are gone")
    return lines


def _add_columns(db: pw.Database, migrator: SchemaMigrator) -> None:
    run_operations(
        migrator.add_column("adviser", "public_key", pw.BlobField(null=True)),
        migrator.add_column("adviser", "sealed_private_key", pw.BlobField(null=True)),
        migrator.add_column("adviser", "key_salt", pw.BlobField(null=True)),
        migrator.add_column("adviser", "key_params", pw.TextField(default="")),
        migrator.add_column("report", "sealed_description", pw.BlobField(null=True)),
        migrator.add_column("report", "sealed_details", pw.BlobField(null=True)),
        migrator.add_column("report", "sealed_contact", pw.BlobField(null=True)),
        migrator.add_column("report", "sealed_preview", pw.BlobField(null=True)),
        migrator.add_column("report", "code_key", pw.BlobField(null=True)),
        migrator.add_column("report", "place", pw.CharField(max_length=100, default="")),
        migrator.add_column("message", "sealed_body", pw.BlobField(null=True)),
        migrator.add_column("note", "sealed_body", pw.BlobField(null=True)),
        migrator.add_column("reporter_session", "sealed_key", pw.BlobField(null=True)),
    )
    db.create_tables([CaseKey])


def _give_admin_keys(username: str, password: str) -> str:
    adviser = Adviser.get_or_none(Adviser.username == username.strip().lower())
    try:
        ok = adviser is not None and PasswordHasher().verify(adviser.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        ok = False
    if adviser is None or not ok or not adviser.is_admin or not adviser.active:
        raise DatabaseError(WRONG_ADMIN)
    keys.give_key_pair(adviser, password)
    Adviser.update(
        public_key=adviser.public_key,
        sealed_private_key=adviser.sealed_private_key,
        key_salt=adviser.key_salt,
        key_params=adviser.key_params,
    ).where(Adviser.id == adviser.id).execute()
    return f"{adviser.username} has a key pair and holds every case (their app grants them to other advisers)"


def _seal_reports(db: pw.Database, config: Config) -> tuple[int, int, int]:
    p = db.param
    columns = ", ".join(("id", "reference", "assignee_id", "code_hash", "preview", *_PLAIN_REPORT))
    done = [0, 0, 0]
    for row in db.execute_sql(f"SELECT {columns} FROM report ORDER BY id").fetchall():
        report_id, reference, assignee_id, code_hash, preview = row[:5]
        values = dict(zip(_PLAIN_REPORT, (v or "" for v in row[5:])))
        key = sealing.new_key()
        sealed: dict[str, object] = dict(casetext.seal_report(reference, key, values))
        sealed["sealed_preview"] = casetext.seal_preview(reference, key, preview or values["description"])
        if code_hash is not None:
            digest = bytes(code_hash)  # the old lookup value was the code's argon2 digest itself
            sealed["code_hash"] = sealing.code_lookup(digest)
            sealed["code_key"] = sealing.wrap(sealing.code_unwrap_key(digest), key, f"{reference}|code")
        sealed["place"] = known_place(values["location"], config)
        names = list(sealed)
        db.execute_sql(
            f"UPDATE report SET {', '.join(f'{n} = {p}' for n in names)} WHERE id = {p}",
            (*(sealed[n] for n in names), report_id),
        )
        keys.seal_new_case(Report(id=report_id, reference=reference, assignee=assignee_id), key, config)
        # Each reply and note names its adviser in its seal (casetext.author_tag): moved to another
        # adviser's name by a row edit, it no longer opens.
        for message_id, author, adviser_id, body in db.execute_sql(
            f"SELECT id, author, adviser_id, body FROM message WHERE report_id = {p}", (report_id,)
        ).fetchall():
            blob = casetext.seal_body(
                reference, key, "message", message_id, author, body or "", adviser_id=_adviser(author, adviser_id)
            )
            db.execute_sql(f"UPDATE message SET sealed_body = {p} WHERE id = {p}", (blob, message_id))
            done[1] += 1
        for note_id, adviser_id, body in db.execute_sql(
            f"SELECT id, adviser_id, body FROM note WHERE report_id = {p}", (report_id,)
        ).fetchall():
            blob = casetext.seal_body(
                reference, key, "note", note_id, "adviser", body or "", adviser_id=_adviser("adviser", adviser_id)
            )
            db.execute_sql(f"UPDATE note SET sealed_body = {p} WHERE id = {p}", (blob, note_id))
            done[2] += 1
        done[0] += 1
    return done[0], done[1], done[2]


def _adviser(author: str, adviser_id: object) -> int | None:
    """The adviser a reply or note names (None: a reporter's message, or no adviser recorded)."""
    return int(adviser_id) if author == "adviser" and adviser_id is not None else None  # type: ignore[call-overload]


def _drop_plain(migrator: SchemaMigrator) -> None:
    run_operations(
        *(migrator.drop_column("report", name) for name in (*_PLAIN_REPORT, "preview")),
        migrator.drop_column("message", "body"),
        migrator.drop_column("note", "body"),
    )


STEP = Step(
    3,
    "sealed case files: every text sealed with its case's key",
    apply,
    vacuum=True,
    needs_config=True,
    needs_admin=True,
)
