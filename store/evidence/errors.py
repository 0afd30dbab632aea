"""Why a file is refused, in sentences a frightened reporter understands.

Every refusal is one sentence. None of them repeats the file's name or any
of its content: the front end shows the (cleaned) name beside the sentence.
"""

from ..errors import ValidationError

WHAT_WE_TAKE = "You can send photos, PDFs, text files or Word, Excel and PowerPoint documents."


class EvidenceRefused(ValidationError):
    """A file (or a set of files) cannot be taken; ``sentence`` says why."""

    def __init__(self, sentence: str):
        self.sentence = sentence
        super().__init__({"attachments": sentence})


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


def unsupported(label: str) -> EvidenceRefused:
    return EvidenceRefused(f"We cannot take this kind of file ({label}). {WHAT_WE_TAKE}")


def empty() -> EvidenceRefused:
    return EvidenceRefused("This file is empty, so there is nothing to send.")


def too_big(limit: int) -> EvidenceRefused:
    return EvidenceRefused(f"This file is larger than {_megabytes(limit)}, the most we can take at once.")


def too_many(limit: int) -> EvidenceRefused:
    return EvidenceRefused(f"You can send at most {limit} files at once.")


def submission_too_big(limit: int) -> EvidenceRefused:
    return EvidenceRefused(f"Together these files are larger than {_megabytes(limit)}, the most we can take at once.")


def damaged(noun: str) -> EvidenceRefused:
    return EvidenceRefused(f"This {noun} seems to be damaged or incomplete, so we cannot open it.")


def too_complex(noun: str) -> EvidenceRefused:
    return EvidenceRefused(f"This {noun} is too large or too complex for us to check safely, so we cannot take it.")


def picture_too_large(max_pixels: int, width: int | None = None, height: int | None = None) -> EvidenceRefused:
    size = f"{width} × {height} pixels; " if width and height else ""
    return EvidenceRefused(
        f"This picture is too large ({size}the most we can take is {max_pixels / 1_000_000:g} million pixels),"
        " so please send a smaller copy."
    )


def animated() -> EvidenceRefused:
    return EvidenceRefused("We cannot take moving pictures, so please send a still picture or a screenshot instead.")


def too_many_pages(limit: int) -> EvidenceRefused:
    return EvidenceRefused(f"This PDF has more than {limit} pages, the most we can take.")


def password_protected() -> EvidenceRefused:
    return EvidenceRefused(
        "This file is protected with a password, so we cannot check it for details that could identify you;"
        " please remove the password and send it again."
    )


def old_office_format() -> EvidenceRefused:
    return EvidenceRefused(
        "We cannot take files in the older Word, Excel or PowerPoint format (.doc, .xls, .ppt), because we cannot"
        " reliably remove what could identify you from them; please save it as .docx, .xlsx, .pptx or PDF and send that."
    )


def macros() -> EvidenceRefused:
    return EvidenceRefused(
        "We cannot take documents that contain macros; please save it as an ordinary Word, Excel or PowerPoint"
        " document, or as a PDF, and send that."
    )


def embedded_object() -> EvidenceRefused:
    return EvidenceRefused(
        "This document contains an embedded object or archive that we cannot clean; please save it as a PDF and send that."
    )
