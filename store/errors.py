"""Exceptions the services raise. Front ends turn them into messages.

Every message is one plain sentence a person can act on; none of them ever
contains reporter text or a code. Those a reporter may read are store.i18n.Say
sentences, so the site can put them in the reporter's language.
"""

import datetime as dt
from collections.abc import Mapping


class TellusError(Exception):
    """Base class: something the caller asked for cannot be done.

    Its sentence (``args[0]``) is plain text, or a store.i18n.Say when a
    reporter may read it: the site translates that; it is English text for
    everyone else.
    """


class ValidationError(TellusError):
    """Input was rejected. ``errors`` maps a field name to one sentence."""

    def __init__(self, errors: str | Mapping[str, str]) -> None:
        if isinstance(errors, str):
            errors = {"": errors}
        self.errors = dict(errors)  # field -> sentence (text, or a store.i18n.Say)
        super().__init__(" ".join(str(sentence) for sentence in self.errors.values()))


class NotFound(TellusError):
    """The case, adviser, closure or session does not exist (any more)."""


class CaseClosed(TellusError):
    """The case is closed and takes no new messages."""


class DuplicateName(TellusError):
    """An adviser with that username already exists."""


class AuthenticationFailed(TellusError):
    """Wrong username or password (deliberately the same for both)."""


class AccountLocked(TellusError):
    """Too many failed logins; ``until`` says when the lock ends (UTC)."""

    def __init__(self, until: dt.datetime | None) -> None:
        self.until = until
        super().__init__("This account is locked after repeated failed logins.")


class AccountDisabled(TellusError):
    """The adviser account is disabled."""


class PermissionDenied(TellusError):
    """The adviser may not do this."""


class DatabaseError(TellusError):
    """The database cannot be used (not Tellus, too new, unreachable)."""


class AlreadySubmitted(TellusError):
    """The report form's single-use token was already used: it was received."""
