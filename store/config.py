"""Settings: a TOML file over built-in defaults.

Front ends receive a loaded ``Config``; nothing else reads files. Unknown
keys are rejected so a typo in a deployment does not silently do nothing.
"""

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .clock import known_timezone
from .errors import TellusError

DEFAULT_CATEGORIES = (
    "Bullying",
    "Harassment",
    "Sexual misconduct",
    "Hate incident or discrimination",
    "Assault",
    "Domestic or relationship abuse",
    "Wellbeing concern",
    "Something else / not sure",
)

ROLES = {
    "student": "Student",
    "staff": "Staff",
    "visitor": "Visitor",
    "other": "Other",
    "prefer_not_to_say": "Prefer not to say",
}

DEFAULT_EMERGENCY = (
    "If you or someone else is in immediate danger, call 999. "
    "For urgent support at any time, call Samaritans free on 116 123."
)


class ConfigError(TellusError):
    """The configuration file cannot be used."""


@dataclass(frozen=True)
class Config:
    organisation: str = "the University"
    emergency_contacts: str = DEFAULT_EMERGENCY
    categories: tuple[str, ...] = DEFAULT_CATEGORIES
    locations: tuple[str, ...] = ()
    response_working_days: int = 5
    holiday_region: str = "GB-ENG"  # country code, optionally -subdivision
    timezone: str = "Europe/London"
    retention_days: int = 365  # after a case is closed
    abandoned_days: int = 180  # reporter never came back to a case
    audit_retention_days: int = 5 * 365
    pattern_threshold: int = 3
    advisers_see_unassigned: bool = True
    https: bool = False  # session cookies get Secure
    trusted_proxy: str = ""  # reverse proxy address whose X-Forwarded-For is believed
    ipv6_prefix: int = 64  # IPv6 clients are counted per network of this many bits (one connection's /64)
    site_reports_per_hour: int = 100  # reports from everyone together, a brake on floods (README: Limits)
    session_idle_minutes: int = 20
    session_absolute_minutes: int = 120
    smtp: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not 1 <= self.response_working_days <= 60:
            raise ConfigError("response_working_days must be between 1 and 60.")
        if not self.categories:
            raise ConfigError("At least one category is needed.")
        if not 32 <= self.ipv6_prefix <= 128:
            raise ConfigError("ipv6_prefix must be between 32 and 128 (64 counts each connection's /64 as one client).")
        for name in ("retention_days", "abandoned_days", "audit_retention_days", "site_reports_per_hour"):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name} must be at least 1.")
        if not known_timezone(self.timezone):
            raise ConfigError(f"Unknown timezone {self.timezone!r}.")
        # Validated here so a bad region fails at start-up, not on first use.
        from .deadlines import holiday_calendar

        try:
            holiday_calendar(self.holiday_region, 2025)
        except TellusError as exc:
            raise ConfigError(str(exc)) from None


_FIELDS = {f.name: f for f in dataclasses.fields(Config)}


def load_config(path: str | os.PathLike[str] | None = None) -> Config:
    """Load the TOML file at ``path`` (or ``$TELLUS_CONFIG``), else defaults."""
    path = path or os.environ.get("TELLUS_CONFIG")
    if not path:
        return Config()
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"The configuration file {path} does not exist.") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"The configuration file {path} is not valid TOML: {exc}.") from None
    except OSError as exc:
        raise ConfigError(f"The configuration file {path} cannot be read: {exc.strerror}.") from None
    return config_from_mapping(data, source=path)


def config_from_mapping(data: Mapping[str, Any], source: str | os.PathLike[str] = "configuration") -> Config:
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in _FIELDS:
            raise ConfigError(f"Unknown setting {key!r} in {source}.")
        default = _FIELDS[key].default
        if isinstance(default, tuple):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"Setting {key!r} in {source} must be a list of strings.")
            value = tuple(v.strip() for v in value if v.strip())
        elif isinstance(default, bool):
            if not isinstance(value, bool):
                raise ConfigError(f"Setting {key!r} in {source} must be true or false.")
        elif isinstance(default, int):
            if not isinstance(value, int) or isinstance(value, bool):
                raise ConfigError(f"Setting {key!r} in {source} must be a whole number.")
        elif isinstance(default, str):
            if not isinstance(value, str):
                raise ConfigError(f"Setting {key!r} in {source} must be text.")
        elif _FIELDS[key].default_factory is dict and not isinstance(value, dict):
            raise ConfigError(f"Setting {key!r} in {source} must be a table.")
        values[key] = value
    return Config(**values)
