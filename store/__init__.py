"""Tellus's shared store: models and the services both front ends call.

This package never imports bottle, textual, reporter_web or adviser_tui
(tests/test_architecture.py enforces it).
"""

from .config import Config, load_config
from .db import open_database
from .errors import (
    AccountDisabled,
    AccountLocked,
    AlreadySubmitted,
    AuthenticationFailed,
    CaseClosed,
    DatabaseError,
    DuplicateName,
    NotFound,
    PermissionDenied,
    TellusError,
    ValidationError,
)

__all__ = [
    "AccountDisabled",
    "AccountLocked",
    "AlreadySubmitted",
    "AuthenticationFailed",
    "CaseClosed",
    "Config",
    "DatabaseError",
    "DuplicateName",
    "NotFound",
    "PermissionDenied",
    "TellusError",
    "ValidationError",
    "load_config",
    "open_database",
]
