"""A case bundle for an investigation or a subject access request: `tellus export REF --to DIR`,
and the adviser app's export into the configured ``export_folder``.

The bundle is a folder the exporter's keys opened the case into: ``report.txt``
(the report and its details), ``thread.txt`` (messages oldest first, internal
notes marked as such), ``files/`` (each attachment as it was stored: cleaned),
and ``MANIFEST.txt`` with the SHA-256 of every file, so a copy can be checked
later. Only what the adviser's keys open goes in; the export is audited (which
case, how many files, never content). The folder is created readable by its
owner only (0700, files 0600), and an existing non-empty folder is refused, so
nothing is mixed in. A bundle is whole or absent: when writing fails (a full
disk, a folder taken away) or the audit cannot be written, what was written is
removed again, the error is one sentence (``ExportFailed``), and a write that
failed is audited as stopped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import stat
from dataclasses import dataclass, field
from pathlib import Path

import peewee as pw

from . import attachments, audit, casetext
from .access import require_admin
from .clock import local_time, utcnow
from .config import Config
from .conversation import thread
from .errors import NotFound, PermissionDenied, TellusError, ValidationError
from .keyring import NO_KEY, keyring_of
from .models import Adviser, Report, database

NOT_CONFIGURED = (
    "Exporting from the app is not configured: an administrator of the server sets export_folder "
    'in the configuration file to a folder only administrators can open (README, "A case bundle").'
)
# A reference as Tellus makes them; anything else never becomes part of a folder name.
_SAFE_NAME = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,31}$")


class ExportFailed(TellusError):
    """The bundle could not be written; nothing of it was kept."""


@dataclass
class Bundle:
    folder: Path
    files: list[tuple[str, str]] = field(default_factory=list)  # (path inside the folder, sha256)
    attachments: int = 0  # how many of the files are the case's files (under files/)


def _when(moment: dt.datetime | None, config: Config) -> str:
    return local_time(moment, config.timezone).strftime("%Y-%m-%d %H:%M %Z") if moment else "-"


def _case_to_export(report: Report | None, reference: object, adviser: Adviser) -> tuple[Report, bytes]:
    """The case and its key, if ``adviser`` is an admin now (read from the database) holding that key."""
    require_admin(adviser, "export a case")
    if report is None:
        raise NotFound(f"There is no case {reference}.")
    keyring = keyring_of(adviser)
    key = keyring.current_key_or_none(report) if keyring is not None else None  # (rotated since: read again)
    if key is None:
        raise PermissionDenied(NO_KEY)
    return report, key


def export_case(reference: str, folder: str | os.PathLike[str], adviser: Adviser, config: Config) -> Bundle:
    """Write the bundle of case ``reference`` into ``folder`` with ``adviser``'s keys (an admin, signed in)."""
    report, key = _case_to_export(
        Report.get_or_none(Report.reference == str(reference).strip().upper()), reference, adviser
    )
    target = Path(folder)
    try:
        if target.exists() and any(target.iterdir()):
            raise ValidationError({"to": f"{target} is not empty; export into a new or empty folder."})
        created = not target.exists()
        target.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(target, 0o700)
    except OSError as exc:
        raise ExportFailed(f"The folder {target} cannot be used: {_reason(exc)}.") from None
    return _export_into(report, key, target, created, adviser, config)


def export_folder_problem(config: Config) -> str | None:
    """Why the configured ``export_folder`` cannot take a bundle now, in one sentence; None when it can.

    It must be a folder this account may write to and no other account may open
    (no access for "others": a web server or another user on the server cannot
    even list the bundles' names); each bundle in it is private to its owner too.
    """
    if not config.export_folder:
        return NOT_CONFIGURED
    folder = Path(config.export_folder)
    try:
        info = folder.stat()
    except FileNotFoundError:
        return f"The export folder {folder} does not exist: create it (only administrators may open it)."
    except OSError as exc:
        return f"The export folder {folder} cannot be reached: {_reason(exc)}."
    if not stat.S_ISDIR(info.st_mode):
        return f"The export folder {folder} is not a folder."
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"The export folder {folder} is not writable by this account."
    if info.st_mode & 0o007:
        return (
            f"The export folder {folder} is open to every account on the server (mode {info.st_mode & 0o777:04o}); "
            f"close it first: chmod o-rwx {folder}."
        )
    return None


def export_to_folder(report_id: int, adviser: Adviser, config: Config, now: dt.datetime | None = None) -> Bundle:
    """The adviser app's export: the bundle of case ``report_id`` in a new folder inside ``config.export_folder``.

    The new folder is named for the case and the local time (``TL-ABC123-20261128-143205``, then
    ``…-2`` and so on if that name is taken): an export never writes into another one.
    """
    report, key = _case_to_export(Report.get_or_none(Report.id == report_id), f"number {report_id}", adviser)
    problem = export_folder_problem(config)
    if problem:
        raise ExportFailed(problem)
    stamp = local_time(now or utcnow(), config.timezone).strftime("%Y%m%d-%H%M%S")
    name = f"{report.reference if _SAFE_NAME.match(report.reference) else f'case-{report.id}'}-{stamp}"
    for attempt in range(1, 100):
        target = Path(config.export_folder) / (name if attempt == 1 else f"{name}-{attempt}")
        try:
            os.mkdir(target, 0o700)  # fails if the name is taken: never into an existing folder
        except FileExistsError:
            continue
        except OSError as exc:
            raise ExportFailed(f"A folder cannot be made in {config.export_folder}: {_reason(exc)}.") from None
        break
    else:
        raise ExportFailed(f"{config.export_folder} already holds 99 exports of {report.reference} made this second.")
    try:
        os.chmod(target, 0o700)
    except OSError as exc:
        _discard(target, created=True)
        raise ExportFailed(f"The folder {target} cannot be made private: {_reason(exc)}.") from None
    return _export_into(report, key, target, True, adviser, config)


def _export_into(report: Report, key: bytes, target: Path, created: bool, adviser: Adviser, config: Config) -> Bundle:
    """Write the bundle into ``target`` (empty; ``created`` if this export made it) and audit it: all or nothing."""
    bundle = Bundle(target)
    try:
        _write_bundle(bundle, report, key, config)
        with database.atomic():
            audit.record("export", adviser, report, detail=f"case bundle: {bundle.attachments} files")
    except BaseException as exc:  # a full disk, a lost database, an interrupt: no half bundle stays behind
        _discard(target, created)
        if isinstance(exc, OSError):
            _record_stopped(adviser, report, _reason(exc))
            raise ExportFailed(f"Writing the bundle into {target} failed: {_reason(exc)}; nothing was kept.") from None
        raise
    return bundle


def _record_stopped(adviser: Adviser, report: Report, reason: str) -> None:
    """A bundle that could not be written is audited as stopped, as the other exports are: what was
    opened reached the disk for a moment, and removed files can outlive their names there."""
    try:
        with database.atomic():
            audit.record("export", adviser, report, detail=f"case bundle, stopped: {reason}; nothing was kept")
    except pw.PeeweeException:  # the database is the trouble too: the sentence raised still says what happened
        pass


def _write_bundle(bundle: Bundle, report: Report, key: bytes, config: Config) -> None:
    text = casetext.open_report(report, key)
    lines = [
        f"Case {report.reference}",
        f"Received: {_when(report.created_at, config)}",
        f"Category: {config.category_label(report.category)}",
        f"Reporter: {report.way}, role {report.role}, language {report.language}",
        f"Status: {report.status}",
        "",
        "What happened:",
        text.description,
        "",
        f"When: {text.occurred or '-'}",
        f"Where: {text.location or '-'}",
        f"People: {text.people or '-'}",
    ]
    if report.way == "named":
        lines.append(f"Contact: {text.contact_name} · {text.contact_email} · {text.contact_phone}")
    _write(bundle, "report.txt", ("\n".join(lines) + "\n").encode("utf-8"))
    entries = []
    for item in thread(report.id, include_notes=True, key=key):
        who = "Reporter" if item.author == "reporter" else f"{item.adviser_name or 'Adviser'} (adviser)"
        label = f"INTERNAL NOTE by {item.adviser_name or 'an adviser'}" if item.kind == "note" else who
        entries.append(f"--- {label} · {_when(item.created_at, config)}\n{item.body}\n")
    _write(bundle, "thread.txt", "\n".join(entries).encode("utf-8"))
    files = attachments.list_files(report.id, key)
    for number, info in enumerate(files, start=1):
        # Names were made safe on the way in (evidence.safe_name); a slash is still never a folder here.
        name = f"files/{number:02d}-{info.name.replace('/', '_').replace(chr(0), '_')}"
        _write(bundle, name, attachments.file_bytes(info.id, key))
    bundle.attachments = len(files)
    manifest = [f"{digest}  {name}" for name, digest in bundle.files]
    # In sha256sum's own format: `sha256sum -c MANIFEST.txt` in the folder checks a copy. Written last, so
    # a folder without it (a process killed midway) is plainly not a bundle.
    _write(bundle, "MANIFEST.txt", ("\n".join(manifest) + "\n").encode("utf-8"), listed=False)
    for folder in (bundle.folder / "files", bundle.folder):  # the names too are on the disk before we say so
        if folder.exists():
            _sync_folder(folder)


def _write(bundle: Bundle, name: str, data: bytes, listed: bool = True) -> None:
    path = bundle.folder / name
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())  # a full disk can first show here
    if listed:
        bundle.files.append((name, hashlib.sha256(data).hexdigest()))


def _sync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _discard(target: Path, created: bool) -> None:
    """Remove what an export wrote: the folder if it made it, else everything in it (it was empty)."""
    if created:
        shutil.rmtree(target, ignore_errors=True)
        return
    try:
        children = list(target.iterdir())
    except OSError:
        return
    for child in children:
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            try:
                child.unlink()
            except OSError:
                pass


def _reason(exc: OSError) -> str:
    """An OSError in words, without its errno and path ("No space left on device")."""
    return exc.strerror or type(exc).__name__
