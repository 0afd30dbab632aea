"""Searching sealed cases: the texts are opened with the adviser's keys, in memory, and dropped.

The database cannot search what it cannot read, so a search opens the
description and the when/where/who of every case the filters allow and the
adviser holds a key to, in batches, keeping only the ids that match.
"""

from __future__ import annotations

from collections.abc import Iterable

import peewee as pw

from . import casetext, sealing
from .db import tuples
from .keyring import Keyring
from .models import Report

BATCH = 1000


def matching_reports(needle: str, keyring: Keyring, clauses: Iterable[pw.Expression] = ()) -> list[int]:
    """Ids of the cases (within ``clauses``) whose description, time, place or people contain ``needle``.

    Case-insensitive (casefold), as the plain-text search was.
    """
    wanted = needle.casefold()
    if not wanted:
        return []
    query = Report.select(Report.id)
    for clause in clauses:
        query = query.where(clause)
    ids = list(query.order_by(Report.id).scalars())
    found: list[int] = []
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        keys = keyring.case_keys(chunk)
        rows = Report.select(Report.id, Report.reference, Report.sealed_description, Report.sealed_details).where(
            Report.id.in_([i for i in chunk if i in keys])
        )
        for report_id, reference, description, details in tuples(rows):
            key = keys[report_id]
            try:
                text = sealing.open_text(key, description, f"{reference}|description")
            except sealing.Unreadable:
                text = ""
            opened = casetext.open_details(reference, key, details) or {}
            haystack = " ".join([text, *opened.values()]).casefold()
            if wanted in haystack:
                found.append(report_id)
    return found
