"""The reporter's code: the only key back into a conversation.

16 characters of Crockford base32 (80 bits from ``secrets``), shown as
``XXXX-XXXX-XXXX-XXXX``. The store keeps only argon2id(code, install salt);
with a fixed salt the hash is deterministic, so a login is one argon2
computation plus one indexed lookup, whether or not the code exists.
"""

import json
import secrets
from collections.abc import Mapping
from typing import Any

import peewee as pw
from argon2.low_level import Type, hash_secret_raw

from .db import get_setting, required_setting, set_setting_if_absent
from .errors import ValidationError
from .i18n import N_, Say
from .models import database

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 16

# OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane). An 80-bit random code
# cannot be guessed anyway; argon2 makes a stolen database useless for
# checking codes offline, and a modest cost keeps the login route cheap to
# serve. Recorded in the database on first use so later changes to these
# defaults never orphan existing codes.
DEFAULT_PARAMS = {
    "type": "argon2id",
    "time_cost": 2,
    "memory_cost": 19456,
    "parallelism": 1,
    "hash_len": 32,
    "version": 19,
}

_FORGIVING = str.maketrans({"O": "0", "I": "1", "L": "1"})


def spell(number: int, length: int = LENGTH) -> str:
    """The lowest ``5 * length`` bits of ``number`` as ``length`` letters of the alphabet, most significant first.

    Each letter is 5 bits and the alphabet has 32 letters, so uniformly random bits give uniformly random
    letters: the same codes as a choice per letter, from one draw of randomness instead of one per letter
    (each a system call: 16 of them were a tenth of the Python time a two-way report took).
    """
    return "".join(ALPHABET[(number >> shift) & 31] for shift in range(5 * (length - 1), -1, -5))


def generate_code() -> str:
    """A fresh 16-character code (no separators): 80 random bits from ``secrets``."""
    return spell(secrets.randbits(5 * LENGTH))


def format_code(code: str) -> str:
    """``ABCDEFGHJKMNPQRS`` → ``ABCD-EFGH-JKMN-PQRS``."""
    return "-".join(code[i : i + 4] for i in range(0, LENGTH, 4))


def normalise_code(text: object) -> str:
    """Turn what a person typed into a canonical code, or raise ValidationError.

    Spaces and hyphens are dropped, case is folded, and the look-alikes
    O→0 and I/L→1 are forgiven. ``U`` (and anything else outside the
    alphabet) is rejected.
    """
    raw = "".join(ch for ch in str(text or "") if ch not in " -\t\u00a0\u2010\u2011\u2012\u2013\u2014")
    code = raw.upper().translate(_FORGIVING)
    if not code:
        raise ValidationError({"code": Say(N_("Enter your 16-character code."))})
    if len(code) != LENGTH:
        raise ValidationError({"code": Say(N_("Your code has 16 letters and numbers; check you typed all of it."))})
    if any(ch not in ALPHABET for ch in code):
        raise ValidationError(
            {"code": Say(N_("Your code uses only the numbers 0–9 and the letters A–Z except I, L, O and U."))}
        )
    return code


# Salt and parameters never change once written, so they are read once per
# database; a login is then exactly one argon2 computation and one query.
_install_cache: dict[int, tuple[pw.Database, dict[str, Any], bytes]] = {}


def _install_values() -> tuple[dict[str, Any], bytes]:
    key = id(database.obj)
    cached = _install_cache.get(key)
    if cached is None or cached[0] is not database.obj:
        stored = get_setting("code_hash_params")
        if stored is None:
            stored = set_setting_if_absent("code_hash_params", json.dumps(DEFAULT_PARAMS, sort_keys=True))
        cached = (database.obj, json.loads(stored), bytes.fromhex(required_setting("install_salt")))
        _install_cache[key] = cached
    return cached[1], cached[2]


def hash_parameters() -> dict[str, Any]:
    """The install-wide argon2 parameters (recorded on first use)."""
    return _install_values()[0]


def install_salt() -> bytes:
    return _install_values()[1]


def hash_code(code: str, params: Mapping[str, Any] | None = None, salt: bytes | None = None) -> bytes:
    """argon2id of a *normalised* code with the install salt."""
    p = params or hash_parameters()
    return hash_secret_raw(
        secret=code.encode("ascii"),
        salt=salt if salt is not None else install_salt(),
        time_cost=p["time_cost"],
        memory_cost=p["memory_cost"],
        parallelism=p["parallelism"],
        hash_len=p["hash_len"],
        type=Type.ID,
        version=p.get("version", 19),
    )
