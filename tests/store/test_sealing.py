"""The sealing primitives: what is sealed opens only with its key, in its place, unchanged."""

import pytest

from store import sealing
from store.sealing import Unreadable

TEXTS = [
    "Someone keeps following me after the seminar.",
    "",
    "Mae'r llyfrgell ar gau. Zażółć gęślą jaźń. ما حدث 👩‍👩‍👧",
    "x" * 20000,
]


@pytest.mark.parametrize("text", TEXTS)
def test_a_sealed_text_opens_with_its_key_and_context(text):
    key = sealing.new_key()
    blob = sealing.seal(key, text, "TL-ABC123|description")
    assert text.encode() not in blob or not text
    assert sealing.open_text(key, blob, "TL-ABC123|description") == text


def test_the_same_text_seals_differently_each_time():
    key = sealing.new_key()
    assert sealing.seal(key, "same", "c") != sealing.seal(key, "same", "c")


def test_another_key_another_case_or_another_field_does_not_open():
    key = sealing.new_key()
    blob = sealing.seal(key, "where it happened", "TL-ABC123|location")
    with pytest.raises(Unreadable):
        sealing.open_text(sealing.new_key(), blob, "TL-ABC123|location")
    with pytest.raises(Unreadable):
        sealing.open_text(key, blob, "TL-XYZ789|location")  # moved to another case
    with pytest.raises(Unreadable):
        sealing.open_text(key, blob, "TL-ABC123|people")  # moved to another field


@pytest.mark.parametrize("position", [0, 1, 12, 25, -17, -1])
def test_any_changed_byte_is_detected(position):
    key = sealing.new_key()
    blob = bytearray(sealing.seal(key, "a message", "TL-ABC123|message:reporter"))
    blob[position] ^= 0x01
    with pytest.raises(Unreadable) as info:
        sealing.open_text(key, bytes(blob), "TL-ABC123|message:reporter", "message")
    assert "cannot be opened" in str(info.value)


@pytest.mark.parametrize("blob", [None, b"", b"\x01", b"\x02" + bytes(60), bytes(10)])
def test_truncated_missing_or_foreign_blobs_are_unreadable(blob):
    with pytest.raises(Unreadable):
        sealing.open_text(sealing.new_key(), blob, "c")


def test_a_case_key_sealed_to_an_adviser_opens_only_with_their_private_key():
    ann, ben = sealing.KeyPair.generate(), sealing.KeyPair.generate()
    case_key = sealing.new_key()
    sealed = sealing.seal_to(ann.public, case_key)
    assert sealing.open_sealed(ann.private, sealed) == case_key
    with pytest.raises(Unreadable):
        sealing.open_sealed(ben.private, sealed)


def test_a_wrapped_case_key_opens_with_the_wrap_key_derived_from_the_private_key():
    ann = sealing.KeyPair.generate()
    case_key = sealing.new_key()
    wrapped = sealing.wrap(sealing.wrap_key_of(ann.private), case_key, "grant|7|3")
    assert sealing.unwrap(sealing.wrap_key_of(ann.private), wrapped, "grant|7|3") == case_key
    with pytest.raises(Unreadable):
        sealing.unwrap(sealing.wrap_key_of(sealing.KeyPair.generate().private), wrapped, "grant|7|3")
    with pytest.raises(Unreadable):
        sealing.unwrap(sealing.wrap_key_of(ann.private), wrapped, "grant|8|3")


def test_a_private_key_sealed_under_a_password_opens_only_with_that_password():
    pair = sealing.KeyPair.generate()
    sealed = sealing.SealedPrivateKey.seal(pair.private, "correct horse battery")
    assert pair.private not in sealed.blob
    assert (
        sealing.SealedPrivateKey(sealed.blob, sealed.salt, sealed.params).open("correct horse battery") == pair.private
    )
    with pytest.raises(Unreadable):
        sealed.open("correct horse battery!")


def test_the_code_digest_gives_two_unrelated_values():
    digest = bytes(range(32))
    lookup, unwrap = sealing.code_lookup(digest), sealing.code_unwrap_key(digest)
    assert len(lookup) == len(unwrap) == 32
    assert lookup != unwrap and lookup != digest and unwrap != digest
    assert sealing.code_lookup(digest) == lookup  # deterministic: a login finds the case again


def test_a_session_key_comes_from_the_token_not_from_what_the_database_keeps():
    import hashlib

    token = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFG"
    key = sealing.session_key(token)
    assert key == sealing.session_key(token) and len(key) == 32
    assert key != hashlib.sha256(token.encode()).digest()


def test_the_recovery_secret_reads_back_forgivingly_and_gives_the_same_key_pair():
    secret = sealing.new_recovery_secret()
    shown = sealing.format_recovery_secret(secret)
    assert len(shown.replace("-", "")) == 32
    typed = shown.lower().replace("-", " ")
    assert sealing.parse_recovery_secret(typed) == secret
    assert sealing.recovery_key_pair(secret) == sealing.recovery_key_pair(sealing.parse_recovery_secret(shown))
    for wrong in ("", "not a key", shown[:-4], shown + "AAAA"):
        with pytest.raises(ValueError):
            sealing.parse_recovery_secret(wrong)


def test_open_many_opens_exactly_what_open_bytes_opens():
    """The batch path (libsodium called directly) against the checked one, item by item: good, moved,
    tampered, truncated, foreign, wrong-key, keyless and oversized items mixed in one batch."""
    key, other = sealing.new_key(), sealing.new_key()
    items = []
    for n, text in enumerate(TEXTS + ["x" * 70000]):  # (larger than the first output buffer)
        blob = sealing.seal(key, text, f"TL-{n}|details")
        flipped = bytearray(blob)
        flipped[len(blob) // 2] ^= 0x40
        items += [
            (key, blob, f"TL-{n}|details"),
            (key, memoryview(blob), f"TL-{n}|details"),  # as PostgreSQL may hand it back
            (key, blob, f"TL-{n + 1}|details"),
            (key, bytes(flipped), f"TL-{n}|details"),
            (key, blob[:-1], f"TL-{n}|details"),
            (key, b"\x02" + blob[1:], f"TL-{n}|details"),
            (other, blob, f"TL-{n}|details"),
            (key[:31], blob, f"TL-{n}|details"),
            (None, blob, f"TL-{n}|details"),
            (key, None, f"TL-{n}|details"),
            (key, b"", f"TL-{n}|details"),
        ]

    def one(item):
        item_key, blob, context = item
        if item_key is None:
            return None
        try:
            return sealing.open_bytes(item_key, blob, context)
        except (Unreadable, ValueError, TypeError):
            return None

    expected = [one(item) for item in items]
    assert sealing.open_many(items) == expected
    assert sum(e is not None for e in expected) == 2 * 5  # each good blob, as bytes and as a memoryview


def test_open_columns_opens_a_sound_batch_as_open_bytes_does_item_by_item():
    """A batch whose every item is well formed (the usual case, checked for the whole batch at once), one
    of them tampered with and one under the wrong context: only those two do not open."""
    keys = [sealing.new_key() for _ in TEXTS]
    contexts = [f"TL-{n}|details" for n in range(len(TEXTS))]
    blobs = [sealing.seal(key, text, context) for key, text, context in zip(keys, TEXTS, contexts)]
    flipped = bytearray(blobs[1])
    flipped[-3] ^= 0x01
    blobs[1] = bytes(flipped)
    contexts[2] = "TL-2|description"
    expected = [text.encode("utf-8") for text in TEXTS]
    expected[1] = expected[2] = None
    assert sealing.open_columns(keys, blobs, contexts) == expected
    assert sealing.open_columns([], [], []) == [] and sealing.open_many([]) == []
    with pytest.raises(ValueError):
        sealing.open_columns(keys, blobs[:-1], contexts)


def test_open_columns_opens_items_of_rotated_keys_as_open_bytes_does():
    """A rotated case key is a chain: its first key opens what was sealed before the rotation (in the
    batch, every item well formed), a later one what was sealed after (opened alone)."""
    first = sealing.new_key()
    chain = sealing.extend(first)
    before = sealing.seal(first, "before", "TL-1|details")
    after = sealing.seal(chain, "after", "TL-1|details")
    assert sealing.open_columns([chain, chain], [before, before], ["TL-1|details"] * 2) == [b"before"] * 2
    assert sealing.open_columns([chain, first, chain], [before, after, after], ["TL-1|details"] * 3) == [
        b"before",
        None,  # (the first key alone lacks the generation that sealed it)
        b"after",
    ]
