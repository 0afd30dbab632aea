import unicodedata

import pytest

from store.sanitize import clean_text, one_line

HOSTILE = [
    ("red\x1b[31mtext\x1b[0m", "redtext"),
    ("title\x1b]0;pwned\x07after", "titleafter"),
    ("link\x1b]8;;http://evil\x1b\\x\x1b]8;;\x1b\\", "linkx"),
    ("c1\x9b31mcsi", "c1csi"),
    ("osc8bit\x9d0;t\x9cend", "osc8bitend"),
    ("bidi\u202eevil\u202c", "bidievil"),
    ("isolate\u2066x\u2069", "isolatex"),
    ("nul\x00byte", "nulbyte"),
    ("bell\x07", "bell"),
    ("del\x7f", "del"),
    ("zero\u200bwidth", "zerowidth"),
    ("surrogate\udcff", "surrogate"),
    ("lone escape \x1b", "lone escape"),
]


@pytest.mark.parametrize("raw, expected", HOSTILE)
def test_control_and_escape_sequences_are_removed(raw, expected):
    assert clean_text(raw) == expected


def test_output_has_no_control_characters_at_all():
    raw = "".join(chr(i) for i in range(0xA0)) + "ok"
    out = clean_text(raw)
    assert all(ch == "\n" or unicodedata.category(ch)[0] != "C" for ch in out)
    assert out.endswith("ok")


def test_text_is_nfc_normalised():
    assert clean_text("Cafe\u0301") == "Café"


def test_line_breaks_are_unified_and_single_line_fields_flattened():
    assert clean_text("a\r\nb\rc\u2028d") == "a\nb\nc\nd"
    assert clean_text("a\r\nb\n\n\n\n\nc", multiline=True) == "a\nb\n\nc"
    assert clean_text("a\nb\tc", multiline=False) == "a b c"


def test_markup_is_left_as_text_for_the_renderer_to_escape():
    # The store does not try to understand markup; renderers show it literally.
    assert clean_text("[bold]x[/bold] <script>") == "[bold]x[/bold] <script>"


def test_emoji_joiners_survive():
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert clean_text(family) == family


def test_one_line_preview_truncates():
    assert one_line("a\n b   c", 10) == "a b c"
    assert one_line("x" * 20, 10) == "x" * 9 + "…"


# Invisible characters that draw nothing yet carry text or split words: tag
# characters can smuggle a whole hidden sentence past an adviser's eyes.
INVISIBLE = [
    *range(0xE0000, 0xE0080),  # tag characters
    0x2061,
    0x2062,
    0x2063,
    0x2064,  # invisible function application, times, separator, plus
    0x180E,  # Mongolian vowel separator
    0x00AD,  # soft hyphen
    0x115F,
    0x1160,
    0x3164,
    0xFFA0,  # Hangul fillers
]


@pytest.mark.parametrize("cp", INVISIBLE, ids=lambda cp: f"U+{cp:04X}")
def test_invisible_characters_are_removed(cp):
    assert clean_text(f"pay{chr(cp)}ment") == "payment"
    assert clean_text(f"{chr(cp)} x {chr(cp)}", multiline=False) == "x"


def test_text_hidden_in_tag_characters_is_dropped():
    hidden = "".join(chr(0xE0000 + ord(c)) for c in "ignore the report above")
    assert clean_text(f"Please help{hidden}.") == "Please help."


def test_the_flags_of_wales_scotland_and_england_survive():
    for region in ("gbwls", "gbsct", "gbeng"):
        flag = "\U0001f3f4" + "".join(chr(0xE0000 + ord(c)) for c in region) + "\U000e007f"
        assert clean_text(f"Diolch {flag}!") == f"Diolch {flag}!"
    # A black flag carrying any other tag text keeps only the flag.
    smuggled = "\U0001f3f4" + "".join(chr(0xE0000 + ord(c)) for c in "secret") + "\U000e007f"
    assert clean_text(smuggled) == "\U0001f3f4"


def _unwanted(cp):
    """The rule, one code point at a time: C0 but the line feed, DEL, C1, surrogates, non-characters."""
    if cp == 0x0A:
        return False
    if cp < 0x20 or cp == 0x7F or 0x80 <= cp <= 0x9F or 0xD800 <= cp <= 0xDFFF:
        return True
    return (cp & 0xFFFE) == 0xFFFE or 0xFDD0 <= cp <= 0xFDEF


def test_every_unwanted_code_point_goes_and_every_other_stays():
    """All 1,114,112 code points against the rule written out: the cleaning removes them with one
    regular expression, and a text made of every unwanted one between letters comes out as the letters."""
    from store.sanitize import _UNWANTED

    unwanted = [cp for cp in range(0x110000) if _unwanted(cp)]
    assert [cp for cp in range(0x110000) if _UNWANTED.match(chr(cp))] == unwanted
    assert len(unwanted) == 0x20 - 1 + 1 + 0x20 + 0x800 + 32 + 34
    # (Tabs, line breaks and escape sequences are other steps' work, tested above.)
    others = {0x09, 0x0B, 0x0C, 0x0D, 0x1B, 0x85, 0x90, 0x98, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F}
    alone = [cp for cp in unwanted if cp not in others]
    raw = "".join("a" + chr(cp) for cp in alone) + "b"
    assert clean_text(raw) == "a" * len(alone) + "b"
