import pytest

from store import codes
from store.errors import ValidationError


def test_generated_codes_use_the_alphabet_and_length():
    for _ in range(200):
        code = codes.generate_code()
        assert len(code) == 16
        assert set(code) <= set(codes.ALPHABET)


def test_codes_do_not_collide_in_a_large_sample():
    sample = [codes.generate_code() for _ in range(200_000)]
    assert len(set(sample)) == len(sample)


def test_codes_are_spread_over_the_whole_alphabet():
    seen = set("".join(codes.generate_code() for _ in range(500)))
    assert seen == set(codes.ALPHABET)


def test_spelling_bits_gives_each_five_bits_one_letter_most_significant_first():
    # What codes (and references) are made of: uniformly random bits are uniformly random letters.
    every_letter = sum(i << (5 * (31 - i)) for i in range(32))
    assert codes.spell(every_letter, 32) == codes.ALPHABET
    assert codes.spell(0) == "0" * 16 and codes.spell(2**80 - 1) == "Z" * 16
    assert codes.spell(2**80 + 1) == "0" * 15 + "1"  # only the lowest 80 bits count


def test_format_groups_in_fours():
    assert codes.format_code("ABCDEFGHJKMNPQRS") == "ABCD-EFGH-JKMN-PQRS"


@pytest.mark.parametrize(
    "typed",
    [
        "ABCD-EFGH-JKMN-PQRS",
        "abcd efgh-jkmn pqrs",
        "  abcdefghjkmnpqrs  ",
        "abcd\u2010efgh\u2013jkmn pqrs",
    ],
)
def test_normalisation_is_forgiving(typed):
    assert codes.normalise_code(typed) == "ABCDEFGHJKMNPQRS"


def test_look_alike_letters_are_read_as_digits():
    assert codes.normalise_code("oOiI lL00 1111 2222") == "00111100111122 22".replace(" ", "")


@pytest.mark.parametrize(
    "typed, field_message",
    [
        ("ABCD-EFGH-JKMN-PQRU", "except I, L, O and U"),
        ("ABCD-EFGH-JKMN-PQR", "16 letters and numbers"),
        ("ABCD-EFGH-JKMN-PQRST", "16 letters and numbers"),
        ("", "Enter your 16-character code"),
        ("ABCD-EFGH-JKMN-PQR!", "except I, L, O and U"),
        ("ＡBCD-EFGH-JKMN-PQRS", "except I, L, O and U"),  # fullwidth A
    ],
)
def test_bad_codes_are_refused_with_a_reason(typed, field_message):
    with pytest.raises(ValidationError) as info:
        codes.normalise_code(typed)
    assert field_message in info.value.errors["code"]


def test_hash_is_deterministic_per_install_and_differs_between_installs(sqlite_db):
    code = codes.generate_code()
    assert codes.hash_code(code) == codes.hash_code(code)
    assert codes.hash_code(code) != codes.hash_code(codes.generate_code())
    assert codes.hash_code(code, salt=b"another-install!") != codes.hash_code(code)


def test_hash_parameters_are_recorded_in_the_database(sqlite_db):
    from store.db import get_setting

    params = codes.hash_parameters()
    assert params["type"] == "argon2id" and params["memory_cost"] >= 19456
    assert get_setting("code_hash_params") is not None
