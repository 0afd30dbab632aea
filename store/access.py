"""Who may do what: the checks every service entry point shares.

Admins see every case; advisers see cases assigned to them and, when
``config.advisers_see_unassigned`` (default yes), the unassigned queue.
Services take the acting adviser and the config; a ``config`` of None means
a trusted caller (the CLI, run by whoever holds the server) and skips the
case check, so the adviser app must always pass it.

Rights are read from the database at the moment of the action, not from the
adviser object the caller holds: an adviser signed in as an admin who has
since been demoted or disabled loses the right at once.
"""

import peewee as pw

from .config import Config
from .errors import PermissionDenied
from .models import Adviser, Report

NOT_YOURS = "This case is assigned to another adviser, so you cannot open it or act on it."


def _current(adviser: Adviser) -> Adviser:
    """The adviser's row as it is now (rights can change while they are signed in)."""
    fresh = Adviser.get_or_none(Adviser.id == adviser.id)
    if fresh is None or not fresh.active:
        raise PermissionDenied("This adviser account is disabled or no longer exists.")
    return fresh


def can_see(adviser: Adviser, report: Report, config: Config) -> bool:
    """Admins see every case; advisers their own and (if allowed) unassigned ones."""
    if adviser.is_admin:
        return True
    if report.assignee_id == adviser.id:
        return True
    return report.assignee_id is None and config.advisers_see_unassigned


def visible_to(adviser: Adviser | None, config: Config) -> pw.Expression | None:
    """A WHERE clause restricting reports to those ``adviser`` may see."""
    if adviser is None or adviser.is_admin:
        return None
    clause = Report.assignee == adviser.id
    if config.advisers_see_unassigned:
        clause = clause | Report.assignee.is_null()
    return clause


def check_visible(adviser: Adviser | None, report: Report, config: Config | None) -> None:
    """Raise PermissionDenied unless ``adviser`` may see ``report`` (no check when config is None)."""
    if config is None:
        return
    if adviser is None:
        raise PermissionDenied("Sign in as an adviser to work on cases.")
    if not can_see(_current(adviser), report, config):
        raise PermissionDenied(NOT_YOURS)


def require_admin(by: Adviser | None, what: str) -> None:
    """Raise PermissionDenied unless ``by`` is an active admin; ``by`` None is the CLI (trusted).

    ``what`` completes "Only administrators can …".
    """
    if by is None:
        return
    if not _current(by).is_admin:
        raise PermissionDenied(f"Only administrators can {what}.")
