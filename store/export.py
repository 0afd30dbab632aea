"""A case bundle for an investigation or a subject access request: `tellus export REF --to DIR`.

The bundle is a folder the exporter's keys opened the case into: ``report.txt``
(the report and its details), ``thread.txt`` (messages oldest first, internal
notes marked as such), ``files/`` (each attachment as it was stored: cleaned),
and ``MANIFEST.txt`` with the SHA-256 of every file, so a copy can be checked
later. Only what the adviser's keys open goes in; the export is audited (which
case, how many files, never content). The folder is created readable by its
owner only, and an existing non-empty folder is refused, so nothing is mixed in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from . import attachments, audit, casetext
from .clock import local_time
from .config import Config
from .conversation import thread
from .errors import NotFound, PermissionDenied, ValidationError
from .keyring import NO_KEY, keyring_of
from .models import Adviser, Report, database


@dataclass
class Bundle:
    folder: Path
    files: list[tuple[str, str]] = field(default_factory=list)  # (path inside the folder, sha256)


def _when(moment: dt.datetime | None, config: Config) -> str:
    return local_time(moment, config.timezone).strftime("%Y-%m-%d %H:%M %Z") if moment else "-"


def export_case(reference: str, folder: str | os.PathLike[str], adviser: Adviser, config: Config) -> Bundle:
    """Write the bundle of case ``reference`` into ``folder`` with ``adviser``'s keys (an admin, signed in)."""
    if not adviser.is_admin:
        raise PermissionDenied("Only administrators can export a case.")
    report = Report.get_or_none(Report.reference == str(reference).strip().upper())
    if report is None:
        raise NotFound(f"There is no case {reference}.")
    keyring = keyring_of(adviser)
    key = keyring.case_key_or_none(report.id) if keyring is not None else None
    if key is None:
        raise PermissionDenied(NO_KEY)
    target = Path(folder)
    if target.exists() and any(target.iterdir()):
        raise ValidationError({"to": f"{target} is not empty; export into a new or empty folder."})
    target.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(target, 0o700)
    bundle = Bundle(target)
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
        name = f"files/{number:02d}-{info.name}"
        _write(bundle, name, attachments.file_bytes(info.id, key))
    manifest = [f"{digest}  {name}" for name, digest in bundle.files]
    # In sha256sum's own format: `sha256sum -c MANIFEST.txt` in the folder checks a copy.
    (target / "MANIFEST.txt").write_text("\n".join(manifest) + "\n", encoding="utf-8")
    with database.atomic():
        audit.record("export", adviser, report, detail=f"case bundle: {len(files)} files")
    return bundle


def _write(bundle: Bundle, name: str, data: bytes) -> None:
    path = bundle.folder / name
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
        out.write(data)
    bundle.files.append((name, hashlib.sha256(data).hexdigest()))
