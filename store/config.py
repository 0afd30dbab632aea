"""Settings: a TOML file over built-in defaults.

Front ends receive a loaded ``Config``; nothing else reads files. Unknown
keys are rejected so a typo in a deployment does not silently do nothing.

The institution's own texts (its name, emergency contacts, categories and
locations) are written in English at the top level and in every other
language the site offers in a table per language, ``[texts.cy]`` (README,
"Languages"). Categories have stable keys, stored with each report, so a
report counts in its category whatever language it was written in. The
built-in defaults are English sentences the catalogues translate (they are
marked with N_), so a site left on its defaults is complete in every
language that has a catalogue.
"""

import dataclasses
import os
import re
import tomllib
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .clock import known_timezone
from .errors import TellusError
from .i18n import N_, Say

DEFAULT_ORGANISATION = N_("the University")

# Category key -> English label. The keys are what list-form configurations give
# the same labels (category_key_for), so a site listing these labels keeps them.
DEFAULT_CATEGORIES = {
    "bullying": N_("Bullying"),
    "harassment": N_("Harassment"),
    "sexual-misconduct": N_("Sexual misconduct"),
    "hate-incident-or-discrimination": N_("Hate incident or discrimination"),
    "assault": N_("Assault"),
    "domestic-or-relationship-abuse": N_("Domestic or relationship abuse"),
    "wellbeing-concern": N_("Wellbeing concern"),
    "something-else-not-sure": N_("Something else / not sure"),
}

ROLES = {
    "student": N_("Student"),
    "staff": N_("Staff"),
    "visitor": N_("Visitor"),
    "other": N_("Other"),
    "prefer_not_to_say": N_("Prefer not to say"),
}

DEFAULT_EMERGENCY = N_(
    "If you or someone else is in immediate danger, call 999. "
    "For urgent support at any time, call Samaritans free on 116 123."
)

# The English every site is written in, and the languages offered unless the file says otherwise.
BASE_LANGUAGE = "en"
DEFAULT_LANGUAGES = ("en", "cy")
# The texts a [texts.LANG] table may give, besides categories and locations.
TEXT_NAMES = ("organisation", "emergency_contacts")
_BUILT_IN_TEXTS = frozenset([DEFAULT_ORGANISATION, DEFAULT_EMERGENCY, *DEFAULT_CATEGORIES.values()])
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
_CATEGORY_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
# How the adviser app draws pictures (README, "Pictures in the terminal"): "auto" asks the terminal.
EVIDENCE_GRAPHICS = ("auto", "kitty", "sixel", "halfblocks")


class ConfigError(TellusError):
    """The configuration file cannot be used."""


@dataclass(frozen=True)
class Config:
    organisation: str = DEFAULT_ORGANISATION
    emergency_contacts: str = DEFAULT_EMERGENCY
    categories: tuple[str, ...] = tuple(DEFAULT_CATEGORIES)  # stable keys, in the order the form lists them
    category_labels: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_CATEGORIES))  # key -> English label
    locations: tuple[str, ...] = ()
    languages: tuple[str, ...] = DEFAULT_LANGUAGES  # offered on the site; the first for browsers preferring none
    texts: dict[str, dict[str, Any]] = field(default_factory=dict)  # language -> its texts (see check_texts)
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
    # Files a reporter may attach to one report or message, and their bytes together (README: Limits).
    attachments_max_files: int = 5
    attachments_max_bytes: int = 20 * 1024 * 1024
    # Where admins export case bundles from the adviser app (README: "A case bundle"); "" means not at all.
    export_folder: str = ""
    evidence_graphics: str = "auto"  # pictures in the adviser app: auto | kitty | sixel | halfblocks
    smtp: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not 1 <= self.response_working_days <= 60:
            raise ConfigError("response_working_days must be between 1 and 60.")
        if not self.categories:
            raise ConfigError("At least one category is needed.")
        check_languages(self.languages)
        check_texts(self)
        if not 32 <= self.ipv6_prefix <= 128:
            raise ConfigError("ipv6_prefix must be between 32 and 128 (64 counts each connection's /64 as one client).")
        for name in ("retention_days", "abandoned_days", "audit_retention_days", "site_reports_per_hour"):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name} must be at least 1.")
        if not 0 <= self.attachments_max_files <= 20:
            raise ConfigError("attachments_max_files must be between 0 (no files) and 20.")
        if not 1024 <= self.attachments_max_bytes <= 100 * 1024 * 1024:
            raise ConfigError("attachments_max_bytes must be between 1024 and 104857600 (100 MiB).")
        check_export_folder(self.export_folder)
        if self.evidence_graphics not in EVIDENCE_GRAPHICS:
            raise ConfigError(graphics_error("evidence_graphics", self.evidence_graphics))
        if not known_timezone(self.timezone):
            raise ConfigError(f"Unknown timezone {self.timezone!r}.")
        # Validated here so a bad region fails at start-up, not on first use.
        from .deadlines import holiday_calendar

        try:
            holiday_calendar(self.holiday_region, 2025)
        except TellusError as exc:
            raise ConfigError(str(exc)) from None

    def category_label(self, key: str, language: str = BASE_LANGUAGE) -> str:
        """The label of a category key in ``language``: text, or a Say of a built-in label.

        A key the configuration does not know (a category since removed, or a
        report from before keys, whose label became its key) is its own label.
        """
        label = self.texts.get(language, {}).get("categories", {}).get(key) if language != BASE_LANGUAGE else None
        return label or _built_in(self.category_labels.get(key, key))

    def category_key(self, value: str) -> str | None:
        """The key a submitted category names: a key, or a label in any language (a form from
        before keys, or from a page left open across an upgrade); None for anything else."""
        if value in self.categories:
            return value
        for key in self.categories:
            if value == self.category_labels.get(key) or any(
                value == texts.get("categories", {}).get(key) for texts in self.texts.values()
            ):
                return key
        return None

    def text(self, name: str, language: str = BASE_LANGUAGE) -> str:
        """``organisation`` or ``emergency_contacts`` in ``language``: text, or a Say of a built-in default
        (translated by the site); the English text when the language has none (``missing_texts`` says so)."""
        given = self.texts.get(language, {}).get(name) if language != BASE_LANGUAGE else None
        return given or _built_in(getattr(self, name))

    def locations_in(self, language: str = BASE_LANGUAGE) -> tuple:
        """The known locations as the form suggests them in ``language`` (English where it has no name)."""
        names = self.texts.get(language, {}).get("locations", {}) if language != BASE_LANGUAGE else {}
        return tuple(names.get(place) or place for place in self.locations)

    def location_names(self) -> dict:
        """Every other-language name of a known location -> its English name (patterns count them as one)."""
        return {name: place for texts in self.texts.values() for place, name in texts.get("locations", {}).items()}

    def missing_texts(self, language: str, translated: Callable[[str], bool] = lambda text: False) -> list[str]:
        """What this configuration does not say in ``language``, one line each (``tellus config check``).

        ``translated(english)`` says whether the site's catalogue for the
        language translates a built-in text; the store itself knows no catalogue.
        """
        if language == BASE_LANGUAGE:
            return []
        given = self.texts.get(language, {})
        missing = []

        def lacks(value: str, has: object) -> bool:
            return not has and not (value in _BUILT_IN_TEXTS and translated(value))

        for name in TEXT_NAMES:
            if lacks(getattr(self, name), given.get(name)):
                missing.append(f"{name}: no {language} text (texts.{language}.{name})")
        labels = given.get("categories", {})
        for key in self.categories:
            english = self.category_labels.get(key, key)
            if lacks(english, labels.get(key)):
                missing.append(f"categories: no {language} label for {key} ({english!r})")
        places = given.get("locations", {})
        missing += [f"locations: no {language} name for {place!r}" for place in self.locations if not places.get(place)]
        return missing


def graphics_error(name: str, value: object) -> str:
    """The sentence for a drawing mode that is not one of EVIDENCE_GRAPHICS."""
    shown = repr(value)[:40]
    return f"{name} must be one of auto, kitty, sixel or halfblocks, not {shown}."


def _built_in(text: str) -> str:
    """A built-in English default as a sentence the site translates; any other text as it is."""
    return Say(text) if text in _BUILT_IN_TEXTS else text


def check_export_folder(folder: str) -> None:
    """``export_folder``: empty (the app does not export), or an absolute path without control characters.

    Whether the folder is there and private is asked when exporting (store.export.export_folder_problem),
    as it can change while Tellus runs; ``tellus config check`` asks it too.
    """
    if not folder:
        return
    if any(unicodedata.category(ch) == "Cc" for ch in folder):
        raise ConfigError("export_folder must not contain control characters.")
    if not os.path.isabs(folder):
        raise ConfigError(
            f'export_folder must be an absolute path, such as "/srv/tellus-exports", not {folder!r} '
            "(the app may start in any folder)."
        )


def check_languages(languages: tuple[str, ...]) -> None:
    if not languages or any(not isinstance(code, str) or not _LANGUAGE.match(code) for code in languages):
        raise ConfigError('languages must list language codes such as "en" and "cy".')
    if BASE_LANGUAGE not in languages:
        raise ConfigError('languages must include "en": the top-level texts are in English.')
    if len(set(languages)) != len(languages):
        raise ConfigError("languages lists a language twice.")


def check_texts(config: "Config") -> None:
    """Each [texts.LANG] table: a language the site offers, and only texts it knows, for categories and
    locations it has."""
    for language, texts in config.texts.items():
        where = f"texts.{language}"
        if language == BASE_LANGUAGE or language not in config.languages:
            raise ConfigError(
                f"{where}: {language!r} is not one of the other languages in languages ({', '.join(config.languages)})."
            )
        if not isinstance(texts, dict):
            raise ConfigError(f"{where} must be a table.")
        for name, value in texts.items():
            if name in TEXT_NAMES:
                if not isinstance(value, str) or not value.strip():
                    raise ConfigError(f"{where}.{name} must be text.")
            elif name in ("categories", "locations"):
                known = config.categories if name == "categories" else config.locations
                if not isinstance(value, dict) or not all(isinstance(v, str) and v.strip() for v in value.values()):
                    raise ConfigError(
                        f"{where}.{name} must be a table of {'key' if name == 'categories' else 'English name'}"
                        f' = "text".'
                    )
                unknown = [k for k in value if k not in known]
                if unknown:
                    raise ConfigError(
                        f"{where}.{name} names {unknown[0]!r}, which is not one of the {name} ({', '.join(known)})."
                    )
            else:
                raise ConfigError(
                    f"Unknown text {name!r} in {where} (texts are {', '.join(TEXT_NAMES)}, categories, locations)."
                )


def category_key_for(label: str) -> str:
    """The key a category listed by its label alone gets: its letters and digits, lower case, joined by hyphens."""
    plain = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode().lower()
    return "-".join(re.findall(r"[a-z0-9]+", plain))[:64]


def _categories_from(value: object, source: object) -> tuple[tuple[str, ...], dict[str, str]]:
    """(keys, key -> English label) from a list of labels or a table of key = label."""
    if isinstance(value, dict):
        pairs = list(value.items())
        bad = [k for k, v in pairs if not _CATEGORY_KEY.match(k) or not isinstance(v, str) or not v.strip()]
        if bad:
            raise ConfigError(
                f"Category {bad[0]!r} in {source} needs a key of lower-case letters, digits, - or _ and a label (text)."
            )
        pairs = [(k, v.strip()) for k, v in pairs]
    elif isinstance(value, list) and all(isinstance(v, str) for v in value):
        pairs = [(category_key_for(v), v.strip()) for v in value if v.strip()]
        nameless = [label for key, label in pairs if not key]
        if nameless:
            raise ConfigError(
                f'Category {nameless[0]!r} in {source} needs a key: write categories as a table (key = "label").'
            )
        keys = [key for key, _label in pairs]
        twice = sorted({key for key in keys if keys.count(key) > 1})
        if twice:
            raise ConfigError(
                f"Two categories in {source} have the key {twice[0]!r}: write categories as a table "
                f'(key = "label") to give them keys of their own.'
            )
    else:
        raise ConfigError(f"Setting 'categories' in {source} must be a list of strings or a table of key = \"label\".")
    return tuple(key for key, _label in pairs), dict(pairs)


_FIELDS = {f.name: f for f in dataclasses.fields(Config)}
# Worked out from other settings, never written in the file.
_DERIVED = {"category_labels"}


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
        if key not in _FIELDS or key in _DERIVED:
            raise ConfigError(f"Unknown setting {key!r} in {source}.")
        default = _FIELDS[key].default
        if key == "categories":
            values["categories"], values["category_labels"] = _categories_from(value, source)
            continue
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
