"""An adviser's unlocked keys, held in the adviser app's memory only.

``unlock`` opens an adviser's private key with their password; the Keyring
then opens the case keys sealed to them (``CaseKey`` rows), caching them in
memory. The first time a case key is opened from its sealed box, the keyring
writes it back wrapped under a key only this private key derives
(``sealing.wrap_key_of``), so later sessions open it with one symmetric
decryption: what lets an app open 100,000 cases in about a second.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import repeat
from typing import cast

from . import casetext, sealing
from .errors import AuthenticationFailed, PermissionDenied
from .models import Adviser, CaseKey, Report, database

NO_KEY = "You have no key to this case: it is assigned to another adviser, or an administrator has not granted it yet."


_WRAP_CONTEXT = "case key|{}|{}"  # report id, adviser id


def _wrap_context(report_id: int, adviser_id: int) -> str:
    return _WRAP_CONTEXT.format(report_id, adviser_id)


def fitting(opened: dict[int, bytes]) -> dict[int, bytes]:
    """Only those of ``opened`` (report id → key from a sealed box) that open their own report's details.

    A sealed box names no case: whoever can edit rows could copy the sealed key of a case they may not
    see into the row of one they may, and an admin's app or a recovery would then grant it on as that
    case's key. A key is taken for a case only once it opens one of that case's own texts, sealed under
    its reference — any one, so that one damaged text does not lose the whole case (the wrapped copies
    need no check: their context names the case and the adviser).
    """
    ids = list(opened)
    fit: dict[int, bytes] = {}
    for start in range(0, len(ids), 500):
        rows = Report.select(
            Report.id, Report.reference, Report.sealed_details, Report.sealed_description, Report.sealed_preview
        ).where(Report.id.in_(ids[start : start + 500]))
        texts = cast(Iterable[tuple[int, str, bytes | None, bytes | None, bytes | None]], rows.tuples())
        for report_id, reference, details, description, preview in texts:
            if casetext.belongs(reference, opened[report_id], details, description, preview):
                fit[report_id] = opened[report_id]
    return fit


def _grants(adviser_id: int, report_ids: list[int]) -> list[tuple[int, int, bytes, bytes | None]]:
    """(row id, report id, sealed box, wrapped copy or None) of the adviser's grants among ``report_ids``.

    Written out rather than built by peewee: building an IN of 500 values cost more than running it.
    """
    if not report_ids:
        return []
    mark = database.param
    sql = (
        f"SELECT id, report_id, sealed_key, wrapped_key FROM case_key WHERE holder = 'adviser' "
        f"AND adviser_id = {mark} AND report_id IN ({', '.join([mark] * len(report_ids))})"
    )
    return [tuple(row) for row in database.execute_sql(sql, (adviser_id, *report_ids)).fetchall()]


class Keyring:
    """One adviser's private key and the case keys opened with it."""

    def __init__(self, adviser_id: int, private_key: bytes) -> None:
        self.adviser_id = adviser_id
        self._private = private_key
        self._wrap = sealing.wrap_key_of(private_key)
        self._cases: dict[int, bytes] = {}

    @property
    def private_key(self) -> bytes:
        return self._private

    def case_key(self, report_id: int) -> bytes:
        """The case's key; PermissionDenied when this adviser holds none, Unreadable when it does not open."""
        key = self._cases.get(report_id)
        if key is None:
            key = self.case_keys([report_id]).get(report_id)
        if key is None:
            raise PermissionDenied(NO_KEY)
        return key

    def case_key_or_none(self, report_id: int) -> bytes | None:
        try:
            return self.case_key(report_id)
        except (PermissionDenied, sealing.Unreadable):
            return None

    def current_key(self, report: Report) -> bytes:
        """The case's key as of ``report``'s row: a copy kept from before another app rotated it is read again
        (what a writer must use: a reply sealed with an older key is refused, store/rotation.py)."""
        self.forget_older({report.id: report.key_generation})
        key = self.case_key(report.id)
        if sealing.generation(key) < report.key_generation:
            # Older than the case: a wrapped copy from before a rotation, put back by a row writer (it opens:
            # its context names only the case and this adviser). The grant's sealed box is opened instead, and
            # wrapped again; if it too is older (put back as well), nothing is sealed with it.
            self.drop(report.id)
            grants = _grants(self.adviser_id, [report.id])
            self._open_grants([(row_id, report_id, sealed, None) for row_id, report_id, sealed, _copy in grants])
            key = self._cases.get(report.id, b"")
            if sealing.generation(key) < report.key_generation:
                self.drop(report.id)
                raise sealing.Unreadable("case key")
        return key

    def current_key_or_none(self, report: Report) -> bytes | None:
        try:
            return self.current_key(report)
        except (PermissionDenied, sealing.Unreadable):
            return None

    def forget_older(self, generations: dict[int, int]) -> None:
        """Forget the kept keys older than the generations given (report id → its row's ``key_generation``)."""
        for report_id, generation in generations.items():
            kept = self._cases.get(report_id)
            if kept is not None and sealing.generation(kept) < generation:
                del self._cases[report_id]

    def forget_rotated(self, report_ids: Iterable[int]) -> None:
        """Forget the kept keys of those of ``report_ids`` rotated since they were kept (as their rows say now).

        For what hands a key on (keys.share_all): a key kept from before another app rotated the case would be
        granted as the case's, and could open nothing written after. Reads only the rows of keys kept.
        """
        kept = [i for i in dict.fromkeys(report_ids) if i in self._cases]
        for start in range(0, len(kept), 500):
            rows = Report.select(Report.id, Report.key_generation).where(Report.id.in_(kept[start : start + 500]))
            self.forget_older(dict(cast(Iterable[tuple[int, int]], rows.tuples())))

    def drop(self, report_id: int) -> None:
        """Forget one case's key (this adviser no longer holds it)."""
        self._cases.pop(report_id, None)

    def case_keys(self, report_ids: Iterable[int]) -> dict[int, bytes]:
        """The keys of those of ``report_ids`` this adviser holds and that open (others are left out)."""
        wanted = [i for i in dict.fromkeys(report_ids) if i not in self._cases]
        for start in range(0, len(wanted), 500):
            self._open_grants(_grants(self.adviser_id, wanted[start : start + 500]))
        return {i: self._cases[i] for i in dict.fromkeys(report_ids) if i in self._cases}

    def case_keys_read(
        self, report_ids: Sequence[int], copies: Sequence[bytes | memoryview | None]
    ) -> dict[int, bytes]:
        """The keys of reports read together with this adviser's wrapped copy of each (the copy or None).

        What ``case_keys`` gives for those ids, without reading the grants again: copies that open are
        taken (their context names the case and this adviser); the others are looked up as ``case_keys``
        does (a grant not wrapped yet, or none).
        """
        cases = self._cases
        if cases:  # (those opened before are not opened again)
            fresh = [i for i, report_id in enumerate(report_ids) if report_id not in cases]
            self._unwrap([report_ids[i] for i in fresh], [copies[i] for i in fresh])
        else:
            self._unwrap(report_ids, copies)
        found = dict(zip(report_ids, map(cases.get, report_ids)))
        if None not in found.values():
            return found  # type: ignore[return-value]  # (no None: checked)
        self.case_keys([report_id for report_id, key in found.items() if key is None])
        return {report_id: cases[report_id] for report_id in found if report_id in cases}

    def _unwrap(self, report_ids: Sequence[int], copies: Sequence[bytes | memoryview | None]) -> None:
        """Keep the wrapped copies that open (all in one batch of libsodium calls)."""
        opened = sealing.open_columns(
            [self._wrap] * len(report_ids), copies, list(map(_WRAP_CONTEXT.format, report_ids, repeat(self.adviser_id)))
        )
        if None not in opened and set(map(len, opened)) <= {sealing.KEY_BYTES}:  # type: ignore[arg-type]  # (no None)
            self._cases.update(zip(report_ids, opened))  # type: ignore[arg-type]  # (no None: checked)
            return
        for report_id, key in zip(report_ids, opened):
            if key is not None and sealing.is_case_key(key):
                self._cases[report_id] = key

    def _open_grants(self, found: list[tuple[int, int, bytes, bytes | None]]) -> None:
        """Grants (row id, report id, sealed box, wrapped copy or None): wrapped copies opened; sealed boxes
        opened, checked against their case (``fitting``) and written back wrapped."""
        self._unwrap([row[1] for row in found], [row[3] for row in found])
        from_boxes: dict[int, tuple[int, bytes]] = {}
        for row_id, report_id, sealed_key, _wrapped in found:
            if report_id in self._cases:
                continue
            try:
                from_boxes[report_id] = (row_id, sealing.open_sealed(self._private, sealed_key))
            except sealing.Unreadable:
                continue
        newly_wrapped: list[tuple[int, bytes]] = []
        for report_id, key in fitting({r: key for r, (_row, key) in from_boxes.items()}).items():
            row_id = from_boxes[report_id][0]
            newly_wrapped.append((row_id, sealing.wrap(self._wrap, key, _wrap_context(report_id, self.adviser_id))))
            self._cases[report_id] = key
        if newly_wrapped:
            with database.atomic():
                for row_id, wrapped in newly_wrapped:
                    CaseKey.update(wrapped_key=wrapped).where(CaseKey.id == row_id).execute()

    def remember(self, report_id: int, key: bytes) -> None:
        """A case key this adviser just made or was given (a case sealed in this session)."""
        self._cases[report_id] = key

    def forget(self) -> None:
        """Drop every key (sign out, lock): Python cannot wipe bytes, but nothing refers to them any more."""
        self._cases.clear()
        self._private = b""
        self._wrap = b""


def keyring_of(adviser: object, keyring: Keyring | None = None) -> Keyring | None:
    """The keyring to use: the one given, else the one a signed-in adviser carries (advisers.sign_in)."""
    if keyring is not None:
        return keyring
    return getattr(adviser, "keyring", None)


def unlock(adviser: Adviser, password: str) -> Keyring:
    """The adviser's keyring from their password; AuthenticationFailed (the generic login message) if it does not open."""
    if adviser.sealed_private_key is None or adviser.key_salt is None:
        raise AuthenticationFailed("Wrong username or password.")
    sealed = sealing.SealedPrivateKey(bytes(adviser.sealed_private_key), bytes(adviser.key_salt), adviser.key_params)
    try:
        private = sealed.open(password)
    except sealing.Unreadable:
        raise AuthenticationFailed("Wrong username or password.") from None
    return Keyring(adviser.id, private)
