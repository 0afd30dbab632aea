"""Sealing what people write: every use of cryptography in Tellus, in one place.

One audited toolkit, libsodium through PyNaCl; nothing here invents a primitive.

* A **case key** (32 random bytes, one per report) seals every text of the
  case with XChaCha20-Poly1305. The sealed form is ``version || nonce ||
  ciphertext+tag``; the associated data names the case and the kind of item
  (``"TL-ABC123|description"``), so a sealed item moved to another case or
  field, or changed by one bit, does not open (``Unreadable``).
* When someone loses a case, its key is **rotated** (store/keys.py ``rotate``):
  a new 32-byte key is added, and what is written next is sealed with it. A
  case's key is then a **chain**, its keys one after the other (generation 0
  first); it is handed around as one ``bytes`` value, so holding it opens
  everything of the case. Items sealed with generation 0 keep the first form;
  later ones are ``0x02 || generation (2 bytes) || nonce || ciphertext+tag``.
* An adviser's **key pair** (X25519). A case key is sealed to an adviser's
  public key with a sealed box, which needs no secret: the web process holds
  public keys only. The private key itself is sealed under a key derived
  from the adviser's password with argon2id.
* The **reporter's code** gives one argon2id digest (store.codes); from it,
  with BLAKE2b under two different personalisations, come the lookup value
  the database keeps and the key that unwraps the case key. Knowing one says
  nothing of the other.
* A **reporter session** keeps the case key sealed under a key derived from
  the session cookie's token, of which the database keeps only a SHA-256.
* The **recovery key** is a secret printed once; its key pair is derived
  from it, and its public half receives every case key like an adviser's.
* The **roster key** (Ed25519) signs who may receive case keys: each
  adviser's id, name, public key, role and state, and the recovery key. Its
  public half is pinned outside the database; its private half (a seed) is
  sealed to each admin and to the recovery key (store/roster.py).
"""

from __future__ import annotations

import base64
import contextlib
import json
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate, repeat
from operator import add, getitem, sub
from typing import cast

import nacl.exceptions
import nacl.pwhash
from nacl import bindings
from nacl._sodium import ffi as _ffi
from nacl._sodium import lib as _sodium
from nacl.encoding import RawEncoder
from nacl.hash import blake2b
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.signing import SigningKey, VerifyKey

from .errors import TellusError

KEY_BYTES = 32
MAX_GENERATIONS = 1024  # a case rotated this often is refused another rotation (keys.rotate)
_VERSION = b"\x01"
_CHAINED = b"\x02"  # sealed with a later key of a case's chain; the generation follows
_GEN_BYTES = 2
_NONCE_BYTES = bindings.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES  # 24
_TAG_BYTES = bindings.crypto_aead_xchacha20poly1305_ietf_ABYTES  # 16
SEALED_OVERHEAD = 1 + _NONCE_BYTES + _TAG_BYTES

# argon2id for adviser passwords: libsodium's "interactive" level (64 MiB, 2
# passes). A login also verifies the password hash (store.advisers), so the
# two together stay near twice one password hash.
PASSWORD_KEY_PARAMS: dict[str, int | str] = {
    "alg": "argon2id13",
    "opslimit": nacl.pwhash.argon2id.OPSLIMIT_INTERACTIVE,
    "memlimit": nacl.pwhash.argon2id.MEMLIMIT_INTERACTIVE,
}


class Unreadable(TellusError):
    """A sealed item does not open: tampered with, moved, or the wrong key."""

    def __init__(self, what: str = "item") -> None:
        super().__init__(f"This {what} cannot be opened: it was changed or damaged, or the key is not yours.")


def new_key() -> bytes:
    """A fresh case key."""
    return secrets.token_bytes(KEY_BYTES)


def _derive(secret: bytes, person: bytes, size: int = KEY_BYTES) -> bytes:
    """Keyed BLAKE2b of nothing, personalised: independent keys from one secret."""
    return blake2b(b"", digest_size=size, key=secret, person=person, encoder=RawEncoder)


# ---- items sealed with a case key -----------------------------------------


def is_case_key(key: object) -> bool:
    """Whether ``key`` has the shape of a case key: one or more 32-byte keys, one after the other."""
    return isinstance(key, bytes) and 0 < len(key) <= KEY_BYTES * MAX_GENERATIONS and len(key) % KEY_BYTES == 0


def generation(key: bytes) -> int:
    """The generation a case key seals with now (0 for a key never rotated)."""
    return len(key) // KEY_BYTES - 1


def extend(key: bytes) -> bytes:
    """The case key ``key`` rotated: a fresh key for what is written next, after those that open what was."""
    if not is_case_key(key) or generation(key) + 1 >= MAX_GENERATIONS:
        raise ValueError("not a case key, or one rotated too often")
    return key + new_key()


def first_key(key: bytes) -> bytes:
    """Generation 0 of a case key: the one the reporter's code opens, and what sealed the report itself."""
    return key[:KEY_BYTES]


def _key_for(key: bytes, blob: bytes) -> tuple[bytes, int] | None:
    """(the 32-byte key, where the nonce starts) for ``blob`` sealed with ``key``'s chain, or None."""
    version = blob[:1]
    if version == _VERSION and len(blob) >= SEALED_OVERHEAD:
        return key[:KEY_BYTES], 1
    if version == _CHAINED and len(blob) >= SEALED_OVERHEAD + _GEN_BYTES:
        wanted = int.from_bytes(blob[1 : 1 + _GEN_BYTES], "big")
        if 0 < wanted and (wanted + 1) * KEY_BYTES <= len(key):
            return key[wanted * KEY_BYTES : (wanted + 1) * KEY_BYTES], 1 + _GEN_BYTES
    return None


def sealed_generation(blob: bytes | memoryview | None) -> int | None:
    """The generation of the chain's key that sealed ``blob`` as its header names it (0 for the first form), or
    None if it is no sealed form. Only what the header says: whether it opens is another matter."""
    if blob is None:
        return None
    head = bytes(blob[: 1 + _GEN_BYTES])
    if head[:1] == _VERSION:
        return 0
    if head[:1] == _CHAINED and len(head) == 1 + _GEN_BYTES:
        return int.from_bytes(head[1:], "big")
    return None


def seal(key: bytes, content: str | bytes, context: str) -> bytes:
    """Seal ``content`` (text is stored as UTF-8) under ``key``, bound to ``context``.

    ``key`` is a 32-byte key or a case key's chain; with a chain, its newest key seals (and the
    sealed form names its generation: whoever holds the chain opens it, an older copy does not).
    """
    data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
    nonce = secrets.token_bytes(_NONCE_BYTES)
    newest = generation(key)
    header = _VERSION if newest <= 0 else _CHAINED + newest.to_bytes(_GEN_BYTES, "big")
    sealed = bindings.crypto_aead_xchacha20poly1305_ietf_encrypt(data, context.encode("utf-8"), nonce, key[-KEY_BYTES:])
    return header + nonce + sealed


def open_bytes(key: bytes, blob: bytes | memoryview | None, context: str, what: str = "item") -> bytes:
    """The content sealed by ``seal``; ``Unreadable`` if it does not open (or ``key``'s chain lacks its generation)."""
    if blob is None or not key:
        raise Unreadable(what)
    blob = bytes(blob)
    found = _key_for(key, blob)
    if found is None:
        raise Unreadable(what)
    one_key, start = found
    nonce, sealed = blob[start : start + _NONCE_BYTES], blob[start + _NONCE_BYTES :]
    try:
        return bindings.crypto_aead_xchacha20poly1305_ietf_decrypt(sealed, context.encode("utf-8"), nonce, one_key)
    except nacl.exceptions.CryptoError:
        raise Unreadable(what) from None


def open_many(items: Iterable[tuple[bytes | None, bytes | memoryview | None, str]]) -> list[bytes | None]:
    """For each (key, blob, context), what ``open_bytes`` opens, or None where it does not open (or key is None).

    ``open_columns`` of the items' keys, blobs and contexts.
    """
    columns = tuple(zip(*items))
    return open_columns(*columns) if columns else []


def open_columns(
    keys: Sequence[bytes | None], blobs: Sequence[bytes | memoryview | None], contexts: Sequence[str]
) -> list[bytes | None]:
    """For the n-th key, blob and context, what ``open_bytes`` opens, or None where it does not open (or key is None).

    The same libsodium call as ``open_bytes``, made through PyNaCl's own binding directly and driven
    by ``map`` (no Python statement per item), every plaintext written into one buffer: PyNaCl's
    wrapper checks its arguments in Python on every call, which was most of the 10 µs a small item
    cost (patterns open two items per report, 200,000 at 100,000 cases). The checks it made are made
    here: key and nonce sizes, the tag's length — for a whole batch at once by C loops (``map``
    into a ``set``) where every item passes them and was sealed with a first key (generation 0), as
    most items are; a batch where one does not is sorted item by item.
    """
    count = len(keys)
    if len(blobs) != count or len(contexts) != count:
        raise ValueError("open_columns needs one key, blob and context per item")
    if not count:
        return []
    good: list[int] | None = None  # None: every item (the usual case)
    alone: dict[int, bytes] = {}  # items opened one by one
    sound_keys, sound_blobs = cast(Sequence[bytes], keys), cast(Sequence[bytes], blobs)
    sizes: list[int] = []
    if set(map(type, keys)) == {bytes} and set(map(type, blobs)) == {bytes}:  # (so no None either)
        sizes = list(map(len, sound_blobs))
    if not (
        sizes
        and min(map(len, sound_keys)) >= KEY_BYTES
        and min(sizes) >= SEALED_OVERHEAD
        and set(map(getitem, sound_blobs, repeat(0))) == {_VERSION[0]}
    ):
        good = [
            i
            for i, (key, blob) in enumerate(zip(keys, blobs))
            if key is not None
            and blob is not None
            and len(key) >= KEY_BYTES
            and len(blob) >= SEALED_OVERHEAD
            and blob[0] == _VERSION[0]
        ]
        # Items sealed with a rotated key's later generation (few: only what was written after a rotation)
        # are opened one by one.
        for i, (key, blob, context) in enumerate(zip(keys, blobs, contexts)):
            if key is not None and blob is not None and len(blob) and blob[0] == _CHAINED[0]:
                with contextlib.suppress(Unreadable):
                    alone[i] = open_bytes(key, blob, context)
        sound_keys = [cast(bytes, keys[i]) for i in good]
        sound_blobs = [bytes(cast(bytes, blobs[i])) for i in good]
        contexts = [contexts[i] for i in good]
        sizes = list(map(len, sound_blobs))
    if set(map(len, sound_keys)) != {KEY_BYTES}:  # a rotated key's chain: its first key opens these
        sound_keys = [key[:KEY_BYTES] for key in sound_keys]
    opened = _open_first(sound_keys, sound_blobs, sizes, contexts) if sizes else []
    if good is None:
        return opened
    every: list[bytes | None] = [None] * count
    for i, plain in zip(good, opened):
        every[i] = plain
    for i, plain in alone.items():
        every[i] = plain
    return every


def _open_first(
    keys: Sequence[bytes], blobs: Sequence[bytes], sizes: list[int], contexts: Sequence[str]
) -> list[bytes | None]:
    """``open_columns`` of items sealed with a first key (version 1), checked: 32-byte keys, blobs of ``sizes``."""
    ends = list(accumulate(map(sub, sizes, repeat(1 + _NONCE_BYTES + _TAG_BYTES))))  # each plaintext's end
    starts = [0, *ends[:-1]]
    out = _ffi.new("char[]", ends[-1] or 1)
    encoded = list(map(str.encode, contexts))  # (UTF-8)
    failed = list(
        map(
            _sodium.crypto_aead_xchacha20poly1305_ietf_decrypt,
            map(add, repeat(out), starts),  # where each plaintext goes
            repeat(_ffi.NULL),  # its length: known, the ciphertext's less the tag
            repeat(_ffi.NULL),
            map(getitem, blobs, repeat(slice(1 + _NONCE_BYTES, None))),
            map(sub, sizes, repeat(1 + _NONCE_BYTES)),
            encoded,
            map(len, encoded),
            map(getitem, blobs, repeat(slice(1, 1 + _NONCE_BYTES))),
            keys,
        )
    )
    opened: list[bytes | None] = list(map(_ffi.buffer(out)[:].__getitem__, map(slice, starts, ends)))
    if any(failed):
        opened = [None if bad else plain for plain, bad in zip(opened, failed)]
    return opened


def open_text(key: bytes, blob: bytes | memoryview | None, context: str, what: str = "item") -> str:
    data = open_bytes(key, blob, context, what)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:  # cannot happen for what we sealed; a forged blob would not open
        raise Unreadable(what) from None


# ---- case keys sealed to people ---------------------------------------------


@dataclass(frozen=True)
class KeyPair:
    public: bytes
    private: bytes

    @classmethod
    def generate(cls) -> KeyPair:
        sk = PrivateKey.generate()
        return cls(bytes(sk.public_key), bytes(sk))


def seal_to(public_key: bytes, case_key: bytes) -> bytes:
    """A case key sealed to the holder of ``public_key`` (no secret needed to do it)."""
    return SealedBox(PublicKey(bytes(public_key))).encrypt(case_key)


def open_sealed(private_key: bytes, blob: bytes | memoryview) -> bytes:
    try:
        key = SealedBox(PrivateKey(bytes(private_key))).decrypt(bytes(blob))
    except (nacl.exceptions.CryptoError, ValueError, TypeError):
        raise Unreadable("case key") from None
    if not is_case_key(key):
        raise Unreadable("case key")
    return key


def wrap_key_of(private_key: bytes) -> bytes:
    """A symmetric key only the holder of ``private_key`` can derive.

    Opening a sealed box costs an X25519 computation (~60 µs); an adviser's
    app re-wraps each case key it has opened under this key, after which
    opening it is one symmetric decryption (a few µs) — for 100,000 cases
    the difference between seconds and a fraction of one.
    """
    return _derive(bytes(private_key), b"tellus-wrap")


def wrap(wrap_key: bytes, case_key: bytes, context: str) -> bytes:
    return seal(wrap_key, case_key, context)


def unwrap(wrap_key: bytes, blob: bytes | memoryview, context: str) -> bytes:
    key = open_bytes(wrap_key, blob, context, "case key")
    if not is_case_key(key):
        raise Unreadable("case key")
    return key


# ---- signatures (the roster) ------------------------------------------------


def new_signing_seed() -> bytes:
    """A fresh Ed25519 signing key, as its 32-byte seed."""
    return bytes(SigningKey.generate())


def verify_key_of(seed: bytes) -> bytes:
    return bytes(SigningKey(bytes(seed)).verify_key)


def sign(seed: bytes, statement: bytes) -> bytes:
    """The detached Ed25519 signature of ``statement``."""
    return SigningKey(bytes(seed)).sign(statement).signature


def verify(verify_key: bytes, statement: bytes, signature: bytes | memoryview | None) -> bool:
    """Whether ``signature`` is the roster key's over ``statement`` (any damage: False, never an exception)."""
    if signature is None:
        return False
    try:
        VerifyKey(bytes(verify_key)).verify(statement, bytes(signature))
    except (nacl.exceptions.BadSignatureError, nacl.exceptions.CryptoError, ValueError, TypeError):
        return False
    return True


def open_sealed_seed(private_key: bytes, blob: bytes | memoryview) -> bytes:
    """A signing seed sealed to a key pair (seal_to), opened; Unreadable if it does not open."""
    try:
        seed = SealedBox(PrivateKey(bytes(private_key))).decrypt(bytes(blob))
    except (nacl.exceptions.CryptoError, ValueError, TypeError):
        raise Unreadable("roster key") from None
    if len(seed) != KEY_BYTES:
        raise Unreadable("roster key")
    return seed


# ---- an adviser's private key under their password ------------------------


def password_params_json() -> str:
    """The argon2id parameters used now, as an adviser row records them."""
    return json.dumps(PASSWORD_KEY_PARAMS, sort_keys=True)


def password_key(password: str, salt: bytes, params: dict[str, int | str] | None = None) -> bytes:
    p = params or PASSWORD_KEY_PARAMS
    return nacl.pwhash.argon2id.kdf(
        KEY_BYTES,
        password.encode("utf-8", "surrogatepass"),
        salt,
        opslimit=int(p["opslimit"]),
        memlimit=int(p["memlimit"]),
    )


@dataclass(frozen=True)
class SealedPrivateKey:
    """What the adviser row keeps: the sealed private key and how to re-derive its key."""

    blob: bytes
    salt: bytes
    params: str  # JSON of PASSWORD_KEY_PARAMS at sealing time

    @classmethod
    def seal(cls, private_key: bytes, password: str) -> SealedPrivateKey:
        salt = secrets.token_bytes(nacl.pwhash.argon2id.SALTBYTES)
        key = password_key(password, salt)
        return cls(seal(key, private_key, "adviser private key"), salt, password_params_json())

    def open(self, password: str) -> bytes:
        key = password_key(password, bytes(self.salt), json.loads(self.params))
        return open_bytes(key, self.blob, "adviser private key", "private key")


# ---- the reporter's code and session ----------------------------------------


def code_lookup(digest: bytes) -> bytes:
    """What the database keeps to find a case by its code (from the code's argon2id digest)."""
    return _derive(digest, b"tellus-lookup")


def code_unwrap_key(digest: bytes) -> bytes:
    """The key that opens the case key for the code's holder (never stored)."""
    return _derive(digest, b"tellus-unwrap")


def reporter_key_pair(digest: bytes) -> KeyPair:
    """The reporter's key pair, from the code's digest: a rotated case key is sealed to its public half
    (kept sealed in the report), so a rotation needs no secret and the code still opens the case."""
    sk = PrivateKey(_derive(digest, b"tellus-reporter"))
    return KeyPair(bytes(sk.public_key), bytes(sk))


def session_key(token: str) -> bytes:
    """The key a reporter session keeps its case key under (the database has only SHA-256 of the token)."""
    return _derive(token.encode("utf-8", "surrogatepass"), b"tellus-session")


# ---- the recovery key --------------------------------------------------------

RECOVERY_BYTES = 20  # 160 bits, shown as 32 base32 characters in 8 groups


def new_recovery_secret() -> bytes:
    return secrets.token_bytes(RECOVERY_BYTES)


def recovery_key_pair(secret: bytes) -> KeyPair:
    sk = PrivateKey(_derive(secret, b"tellus-recovery"))
    return KeyPair(bytes(sk.public_key), bytes(sk))


def format_recovery_secret(secret: bytes) -> str:
    text = base64.b32encode(secret).decode("ascii")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def parse_recovery_secret(text: str) -> bytes:
    """What a person typed back, forgivingly (spaces, hyphens, case); ValueError if it is not one."""
    cleaned = "".join(ch for ch in str(text).upper() if ch.isalnum())
    cleaned = cleaned.replace("0", "O").replace("1", "I").replace("8", "B")
    try:
        secret = base64.b32decode(cleaned)
    except ValueError:  # binascii.Error is one
        raise ValueError("not a recovery key") from None
    if len(secret) != RECOVERY_BYTES:
        raise ValueError("not a recovery key")
    return secret
