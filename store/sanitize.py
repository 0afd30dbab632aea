"""Cleaning reporter text on the way in.

Reporter text ends up on an adviser's terminal, so it must carry no control
or escape sequences and no bidi overrides; it is also normalised to NFC so
that the same words compare equal. Rendering code still treats the result as
untrusted (no markup interpretation) — this is the first of two layers.
"""

import re
import unicodedata

# Whole escape sequences first, so their parameters do not survive as junk:
# CSI (ESC [ … final), OSC/DCS/SOS/PM/APC strings (ESC ] … BEL or ST), then
# any other two-byte ESC sequence, plus the 8-bit C1 forms of CSI and OSC.
_ESCAPE_SEQUENCES = re.compile(
    r"""
      \x1b\[[0-?]*[ -/]*[@-~]?              # CSI
    | \x9b[0-?]*[ -/]*[@-~]?                # 8-bit CSI
    | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f]) [^\x07\x1b\x9c]{0,512} (?:\x07|\x1b\\|\x9c)  # terminated string types
    | \x1b[ -/]*[0-~]?                      # other ESC sequences (incl. lone ESC)
    """,
    re.VERBOSE,
)

# Characters that reorder or hide text: bidi embeddings/overrides/isolates,
# marks, and invisible formatting that has no place in a report.
_INVISIBLE = dict.fromkeys(
    [
        *range(0x202A, 0x202F),  # LRE RLE PDF LRO RLO
        *range(0x2066, 0x206A),  # LRI RLI FSI PDI
        0x200E,
        0x200F,
        0x061C,  # LRM RLM ALM
        0x200B,
        0x2060,
        0xFEFF,  # zero width space, word joiner, BOM
        *range(0xFFF9, 0xFFFC),  # interlinear annotation
        # Drawn as nothing, yet they carry text or split words an adviser
        # searches for: invisible maths operators, the Mongolian vowel
        # separator, soft hyphens and the Hangul fillers (tag characters are
        # handled by _tags below).
        *range(0x2061, 0x2065),
        0x180E,
        0x00AD,
        0x115F,
        0x1160,
        0x3164,
        0xFFA0,
    ]
)

# Tag characters (U+E0000–E007F) can spell a whole hidden sentence. Their one
# visible use is the flags of England, Scotland and Wales: a black flag
# followed by the region's tag letters and a cancel tag. Only those survive.
_TAG_RUN = re.compile("(\U0001f3f4?)([\U000e0000-\U000e007f]+)")
_FLAG_TAGS = {"".join(chr(0xE0000 + ord(c)) for c in region) + "\U000e007f" for region in ("gbeng", "gbsct", "gbwls")}


def _tags(match: re.Match[str]) -> str:
    flag, tags = match.groups()
    return flag + tags if flag and tags in _FLAG_TAGS else flag


_LINE_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x85\u2028\u2029]")


# What no text keeps: C0 controls but the line feed, DEL, C1 controls, lone surrogates (e.g. from
# undecodable bytes) and the non-characters (U+FDD0–FDEF, and the last two code points of every plane).
# One regular expression: a Python test per character cost 0.8 ms on a 1,200-character report.
_UNWANTED = re.compile(
    r"[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(rf"\U{plane:04x}fffe\U{plane:04x}ffff" for plane in range(17))
    + "]"
)


def clean_text(value: object, *, multiline: bool = True) -> str:
    """Return ``value`` as safe, NFC-normalised text, stripped at both ends.

    Line breaks of every kind become ``\\n`` (or a space for single-line
    fields), tabs become spaces, and everything that could drive a terminal
    or reorder text is removed.
    """
    if value is None:
        return ""
    text = str(value)
    text = _LINE_BREAKS.sub("\n", text)
    text = text.replace("\t", "    " if multiline else " ")
    text = _ESCAPE_SEQUENCES.sub("", text)
    text = text.translate(_INVISIBLE)
    text = _TAG_RUN.sub(_tags, text)
    text = _UNWANTED.sub("", text)
    text = unicodedata.normalize("NFC", text)
    if multiline:
        # Trailing spaces on lines and runs of blank lines carry nothing.
        text = re.sub(r"[ \u00a0]+\n", "\n", text)
        text = re.sub(r"\n{3,}", "\n\n", text)
    else:
        text = re.sub(r"\s+", " ", text)
    return text.strip()


def one_line(text: str | None, width: int | None = None) -> str:
    """A single-line preview of already-clean text (for lists and notices)."""
    line = re.sub(r"\s+", " ", text or "").strip()
    if width is not None and len(line) > width:
        line = line[: max(width - 1, 0)].rstrip() + "…"
    return line
