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
from ..db import get_setting
from ..errors import DatabaseError
from ..models import Adviser
from ..reports import known_place
from . import Step


class _Report(pw.Model):
    class Meta:
        table_name = "report"


class _Adviser(pw.Model):
    class Meta:
        table_name = "adviser"


class _CaseKey(pw.Model):
    """``case_key`` as schema 4 has it (frozen: later schemas may change the model)."""

    id = pw.AutoField()
    report = pw.ForeignKeyField(_Report, on_delete="CASCADE", column_name="report_id")
    holder = pw.CharField(max_length=16)
    adviser = pw.ForeignKeyField(_Adviser, null=True, on_delete="CASCADE", column_name="adviser_id")
    sealed_key = pw.BlobField()
    wrapped_key = pw.BlobField(null=True)

    class Meta:
        table_name = "case_key"
        indexes = ((("report", "holder", "adviser"), True), (("adviser", "report"), False))


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
    holder = None
    if admin is not None:
        holder, line = _give_admin_keys(db, *admin)
        lines.append(line)
        recovery = keys.ensure_recovery_key()
        if recovery:
            lines.append(f"RECOVERY KEY (shown once; keep it offline, it opens every case): {recovery}")
    elif reports and admins:
        raise DatabaseError(NEEDS_ADMIN)
    sealed = _seal_reports(db, config, holder)
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
    with db.bind_ctx([_CaseKey]):
        db.create_tables([_CaseKey])


def _give_admin_keys(db: pw.Database, username: str, password: str) -> tuple[tuple[int, bytes], str]:
    """The admin's (id, public key), given a key pair now; DatabaseError if the name or password is wrong.

    Read and written by column (the model has columns later schemas add).
    """
    p = db.param
    row = db.execute_sql(
        f"SELECT id, username, password_hash, is_admin, active FROM adviser WHERE username = {p}",
        (username.strip().lower(),),
    ).fetchone()
    try:
        ok = row is not None and PasswordHasher().verify(row[2], password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        ok = False
    if row is None or not ok or not row[3] or not row[4]:
        raise DatabaseError(WRONG_ADMIN)
    adviser = Adviser(id=row[0], username=row[1])  # in memory only: give_key_pair sets its key fields
    keys.give_key_pair(adviser, password)
    public = bytes(adviser.public_key or b"")
    db.execute_sql(
        f"UPDATE adviser SET public_key = {p}, sealed_private_key = {p}, key_salt = {p}, key_params = {p} WHERE id = {p}",
        (adviser.public_key, adviser.sealed_private_key, adviser.key_salt, adviser.key_params, row[0]),
    )
    line = f"{row[1]} has a key pair and holds every case (their app grants them to other advisers)"
    return (row[0], public), line


def _seal_case_key(db: pw.Database, report_id: int, key: bytes, holder: tuple[int, bytes] | None) -> None:
    """The case key sealed to whoever may open it at schema 4: the admin named (the only adviser with keys
    then), else the intake key; and the recovery key."""
    rows = []
    if holder is not None:
        rows.append(
            {
                "report": report_id,
                "holder": "adviser",
                "adviser": holder[0],
                "sealed_key": sealing.seal_to(holder[1], key),
            }
        )
    else:
        rows.append(
            {"report": report_id, "holder": "intake", "sealed_key": sealing.seal_to(keys.intake_public_key(), key)}
        )
    recovery = get_setting(keys.RECOVERY_SETTING)
    if recovery:
        rows.append(
            {"report": report_id, "holder": "recovery", "sealed_key": sealing.seal_to(bytes.fromhex(recovery), key)}
        )
    with db.bind_ctx([_CaseKey]):
        _CaseKey.insert_many(rows).execute()


def _seal_reports(db: pw.Database, config: Config, holder: tuple[int, bytes] | None) -> tuple[int, int, int]:
    p = db.param
    columns = ", ".join(("id", "reference", "code_hash", "preview", *_PLAIN_REPORT))
    done = [0, 0, 0]
    for row in db.execute_sql(f"SELECT {columns} FROM report ORDER BY id").fetchall():
        report_id, reference, code_hash, preview = row[:4]
        values = dict(zip(_PLAIN_REPORT, (v or "" for v in row[4:])))
        key = sealing.new_key()
        sealed: dict[str, object] = dict(casetext.seal_report(reference, key, values))
        sealed.pop("sealed_assignment")  # a column of schema 6: the roster's upgrade seals assignments
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
        _seal_case_key(db, report_id, key, holder)
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
