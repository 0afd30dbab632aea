"""Rotating a case key when someone loses the case: what is written next, they cannot read.

Removing a grant deletes a sealed copy of the case key, but whoever lost it may have kept one (their
app's database access, a backup). So every removal marks the case ``rekey_due`` (store/keys.py), and
whoever holds the key next — the app that removed it, at once; an admin's app at sign-in for removals
made without a key (the command line) — rotates it: a fresh key joins the case's chain
(sealing.extend), and the chain is sealed again to everyone who may hold it now, the recovery key and
the reporter. What was written before stays sealed with the older keys: revocation is not
retroactive (what someone could read, they may have kept).

Rotating needs the case's key and public keys only, no private key: an adviser's app does it, and so
does the web process for a reporter signing in (below).

The reporter reaches a rotated key through a key pair derived from their code's digest
(sealing.reporter_key_pair): its public half is kept in the report, sealed with the case key, so a
row writer who holds no key cannot swap it. A two-way case from before rotation existed has no
reporter key until its reporter next signs in; rotating it meanwhile leaves the new chain sealed
under the case's first key (``reporter-legacy``), which whoever lost the case holds too — so the web
process, when that reporter signs in, writes their key and rotates once more.

A writer holding an older chain than the case's (another app's, a reporter session from before) is
refused: ``Report.key_generation`` is checked in the same locked transaction as every write.
"""

from __future__ import annotations

from . import casetext, roster, sealing
from .config import Config
from .db import get_setting, locked_report, tuples
from .keyring import Keyring
from .keys import RECOVERY_SETTING, intake_public_key, may_hold, public_of, sealed_assignee, vouched_by
from .models import CaseKey, Report, ReporterSession, database

REPORTER = "reporter"  # CaseKey.holder: the chain sealed to the reporter's public key
REPORTER_LEGACY = "reporter-legacy"  # the chain sealed under the case's first key (no reporter key yet)


def _reporter_context(reference: str) -> str:
    return f"{reference}|reporter key"


def _legacy_context(reference: str) -> str:
    return f"{reference}|reporter chain"


def seal_reporter_key(reference: str, case_key: bytes, digest: bytes) -> bytes:
    """What ``Report.reporter_key`` keeps: the reporter's public key (from the code's digest), sealed."""
    return _seal_reporter_public(reference, case_key, sealing.reporter_key_pair(digest).public)


def _seal_reporter_public(reference: str, case_key: bytes, public: bytes) -> bytes:
    return sealing.seal(case_key, public, _reporter_context(reference))


def reporter_public_key(report: Report, case_key: bytes) -> bytes | None:
    """The reporter's public key, if the report keeps one sealed with ``case_key``'s newest key.

    Sealed with an older one, it is not taken: whoever lost the case holds the older keys and could have
    sealed their own public key there (a rotation seals the reporter's key again with the new key).
    """
    if sealing.sealed_generation(report.reporter_key) != sealing.generation(case_key):
        return None
    try:
        public = sealing.open_bytes(case_key, report.reporter_key, _reporter_context(report.reference), "reporter key")
    except sealing.Unreadable:
        return None
    return public if len(public) == sealing.KEY_BYTES else None


def rotate_with(report: Report, case_key: bytes, config: Config | None) -> bytes:
    """Rotate ``report``'s key (its row locked by the caller's transaction, ``case_key`` its current chain).

    Returns the new chain. Every grant of the case is sealed again with it, to whom may hold it now (the
    assignee as the key's holders sealed it); the case's reporter sessions end (they hold the old chain:
    the reporter signs in again and is given the new one).
    """
    new = sealing.extend(case_key)
    verify = roster.verify_key()
    assignee = sealed_assignee(report, case_key, trust_rows=verify is None)
    holders = [a for a in vouched_by(verify) if may_hold(a, report, config, assignee)]
    recovery = roster.recovery_public_key(get_setting(RECOVERY_SETTING), verify)
    held_by_intake = CaseKey.select().where((CaseKey.report == report.id) & (CaseKey.holder == "intake")).exists()
    grants = [{"holder": "adviser", "adviser": a.id, "sealed_key": sealing.seal_to(public_of(a), new)} for a in holders]
    if recovery:
        grants.append({"holder": "recovery", "adviser": None, "sealed_key": sealing.seal_to(recovery, new)})
    if held_by_intake and verify is None:
        grants.append({"holder": "intake", "adviser": None, "sealed_key": sealing.seal_to(intake_public_key(), new)})
    if report.two_way:
        reporter = reporter_public_key(report, case_key)
        if reporter is not None:
            grants.append({"holder": REPORTER, "adviser": None, "sealed_key": sealing.seal_to(reporter, new)})
            report.reporter_key = _seal_reporter_public(report.reference, new, reporter)
        elif report.reporter_key is None:  # from before rotation existed: its reporter has not signed in since
            sealed = sealing.seal(sealing.first_key(case_key), new, _legacy_context(report.reference))
            grants.append({"holder": REPORTER_LEGACY, "adviser": None, "sealed_key": sealed})
        # A reporter key that does not open with the newest key was written by hand — perhaps by whoever lost
        # the case, with a key they kept, naming their own: the new chain is sealed to no reporter (their
        # messages are refused, rather than sealed where the writer of that row reads them).
    CaseKey.delete().where(CaseKey.report == report.id).execute()
    CaseKey.insert_many([{"report": report.id, **grant} for grant in grants]).execute()
    generation = sealing.generation(new)
    if report.sealed_assignment is not None and assignee != casetext.UNKNOWN_ASSIGNEE:
        # Sealed again with the new key: only an assignment sealed with a chain's newest key is taken
        # (keys.sealed_assignee), so whoever lost the case cannot write one naming themselves.
        report.sealed_assignment = casetext.seal_assignment(report.reference, new, assignee)
    Report.update(
        key_generation=generation,
        rekey_due=False,
        sealed_assignment=report.sealed_assignment,
        reporter_key=report.reporter_key,
    ).where(Report.id == report.id).execute()
    ReporterSession.delete().where(ReporterSession.report == report.id).execute()
    report.key_generation, report.rekey_due = generation, False
    return new


def rotate_due(keyring: Keyring, config: Config | None, report_ids: list[int] | None = None) -> int:
    """Rotate the cases owed a rotation (``rekey_due``; among ``report_ids`` if given) that ``keyring`` opens.

    One transaction a case, its row locked: two apps rotating at once rotate it once (the second finds
    it no longer due). Returns how many were rotated.
    """
    query = Report.select(Report.id).where(Report.rekey_due)
    if report_ids is not None:
        query = query.where(Report.id.in_(report_ids))
    rotated = 0
    for (report_id,) in list(tuples(query.order_by(Report.id))):
        with database.atomic():
            report = locked_report(report_id)
            if report is None or not report.rekey_due:
                continue
            key = keyring.current_key_or_none(report)
            if key is None or sealing.generation(key) + 1 >= sealing.MAX_GENERATIONS:
                # (a chain as long as it may be cannot be rotated again: it stays owed, and the cases after
                # it are still rotated — not stopped by an exception at an admin's sign-in)
                continue
            new = rotate_with(report, key, config)
            still_holds = (
                CaseKey.select().where((CaseKey.report == report_id) & (CaseKey.adviser == keyring.adviser_id)).exists()
            )
        # An adviser who has just given the case away keeps no key to it in memory either.
        if still_holds:
            keyring.remember(report_id, new)
        else:
            keyring.drop(report_id)
        rotated += 1
    return rotated


def reporter_chain(report: Report, digest: bytes, first: bytes) -> bytes:
    """The case's current chain for the reporter whose code gave ``digest`` and opened ``first``.

    The newest chain the reporter's grants give, whatever ``report.key_generation`` says: a row writer who
    sets it back to 0 would otherwise have the reporter seal with ``first`` alone, a key whoever lost the case
    holds (with the newest chain the reporter's write is refused instead, its generation not the row's). A
    case never rotated, or whose grants do not open or do not begin with ``first`` (a row changed by hand),
    gives ``first``: what was written before opens, and what the reporter writes is refused as written with
    an old key rather than sealed where nobody reads it.
    """
    rows = CaseKey.select(CaseKey.holder, CaseKey.sealed_key).where(
        (CaseKey.report == report.id) & CaseKey.holder.in_([REPORTER, REPORTER_LEGACY])
    )
    newest = first
    for holder, sealed in tuples(rows):
        try:
            if holder == REPORTER:
                chain = sealing.open_sealed(sealing.reporter_key_pair(digest).private, sealed)
            else:
                chain = sealing.open_bytes(first, sealed, _legacy_context(report.reference), "case key")
        except sealing.Unreadable:
            continue
        if sealing.is_case_key(chain) and sealing.first_key(chain) == first and len(chain) > len(newest):
            newest = chain
    return newest


def settle_reporter(report_id: int, digest: bytes, config: Config | None) -> bytes | None:
    """At a reporter's sign-in: write their public key if the report has none, and if their case was rotated
    while it had none (its chain then sealed under the first key), rotate it once more. Returns the chain
    to use, or None when nothing needed doing (the caller's chain stands).

    The first sign-in after the upgrade only: a report keeping the reporter's key needs nothing.
    """
    with database.atomic():
        report = locked_report(report_id)
        if report is None or not report.two_way or report.code_key is None:
            return None
        from .reports import code_case_key  # (reports imports this module)

        first = code_case_key(report, digest)
        chain = reporter_chain(report, digest, first)
        legacy = CaseKey.select().where((CaseKey.report == report.id) & (CaseKey.holder == REPORTER_LEGACY)).exists()
        if report.reporter_key is not None and not legacy:
            return None
        if sealing.generation(chain) != report.key_generation:
            return None  # its grant does not open: nothing here to mend it with
        report.reporter_key = seal_reporter_key(report.reference, chain, digest)
        Report.update(reporter_key=report.reporter_key).where(Report.id == report.id).execute()
        if legacy:
            chain = rotate_with(report, chain, config)
        return chain
