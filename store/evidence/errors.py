"""Why a file is refused, in sentences a frightened reporter understands.

Every refusal is one sentence, a store.i18n.Say, so the site puts it in the
reporter's language (its English is what everyone else reads). None of them
repeats the file's name or any of its content: the front end shows the
(cleaned) name beside the sentence. The labels and nouns the modules pass in
are message ids too (store/evidence/words.py marks them for translation).
"""

from ..errors import ValidationError
from ..i18n import N_, Say

WHAT_WE_TAKE = N_("You can send photos, PDFs, text files or Word, Excel and PowerPoint documents.")


class EvidenceRefused(ValidationError):
    """A file (or a set of files) cannot be taken; ``sentence`` says why."""

    def __init__(self, sentence: Say):
        self.sentence = sentence
        super().__init__({"attachments": sentence})


def _megabytes(size: int) -> Say:
    return Say(N_("{size} MB"), size=f"{size / (1024 * 1024):g}")


def unsupported(label: str) -> EvidenceRefused:
    return EvidenceRefused(
        Say(
            N_("We cannot take this kind of file ({label}). {what_we_take}"),
            label=Say(label),
            what_we_take=Say(WHAT_WE_TAKE),
        )
    )


def empty() -> EvidenceRefused:
    return EvidenceRefused(Say(N_("This file is empty, so there is nothing to send.")))


def too_big(limit: int) -> EvidenceRefused:
    return EvidenceRefused(
        Say(N_("This file is larger than {size}, the most we can take at once."), size=_megabytes(limit))
    )


def too_many(limit: int) -> EvidenceRefused:
    return EvidenceRefused(Say(N_("You can send at most {limit} files at once."), limit=limit))


def submission_too_big(limit: int) -> EvidenceRefused:
    return EvidenceRefused(
        Say(N_("Together these files are larger than {size}, the most we can take at once."), size=_megabytes(limit))
    )


def damaged(noun: str) -> EvidenceRefused:
    return EvidenceRefused(
        Say(N_("This {noun} seems to be damaged or incomplete, so we cannot open it."), noun=Say(noun))
    )


def too_complex(noun: str) -> EvidenceRefused:
    return EvidenceRefused(
        Say(N_("This {noun} is too large or too complex for us to check safely, so we cannot take it."), noun=Say(noun))
    )


def picture_too_large(max_pixels: int, width: int | None = None, height: int | None = None) -> EvidenceRefused:
    most = f"{max_pixels / 1_000_000:g}"
    if width and height:
        return EvidenceRefused(
            Say(
                N_(
                    "This picture is too large ({width} × {height} pixels; the most we can take is {most} million "
                    "pixels), so please send a smaller copy."
                ),
                width=str(width),
                height=str(height),
                most=most,
            )
        )
    return EvidenceRefused(
        Say(
            N_(
                "This picture is too large (the most we can take is {most} million pixels), so please send a smaller copy."
            ),
            most=most,
        )
    )


def animated() -> EvidenceRefused:
    return EvidenceRefused(
        Say(N_("We cannot take moving pictures, so please send a still picture or a screenshot instead."))
    )


def too_many_pages(limit: int) -> EvidenceRefused:
    return EvidenceRefused(Say(N_("This PDF has more than {limit} pages, the most we can take."), limit=limit))


def password_protected() -> EvidenceRefused:
    return EvidenceRefused(
        Say(
            N_(
                "This file is protected with a password, so we cannot check it for details that could identify you;"
                " please remove the password and send it again."
            )
        )
    )


def old_office_format() -> EvidenceRefused:
    return EvidenceRefused(
        Say(
            N_(
                "We cannot take files in the older Word, Excel or PowerPoint format (.doc, .xls, .ppt), because we cannot"
                " reliably remove what could identify you from them; please save it as .docx, .xlsx, .pptx or PDF and send that."
            )
        )
    )


def macros() -> EvidenceRefused:
    return EvidenceRefused(
        Say(
            N_(
                "We cannot take documents that contain macros; please save it as an ordinary Word, Excel or PowerPoint"
                " document, or as a PDF, and send that."
            )
        )
    )


def embedded_object() -> EvidenceRefused:
    return EvidenceRefused(
        Say(
            N_(
                "This document contains an embedded object or archive that we cannot clean; please save it as a PDF and send that."
            )
        )
    )
