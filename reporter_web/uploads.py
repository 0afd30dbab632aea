"""The reporter's files on the pages: cleaning what a form sent, and showing what was kept.

Which kinds are taken is store.evidence's decision, and it is the only one:
a file the cleaner cannot clean is refused, never kept as sent (videos,
sound recordings, archives, GIF/TIFF, .doc/.xls/.ppt, RTF…). Those can all
carry what identifies the sender (a place, a voice, an author) and we could
not tell the reporter what stays in them; a refusal says why and what we do
take, and the form says it before anything is chosen.
"""

from store.attachments import evidence_limits
from store.evidence import EvidenceRefused, Kind, clean
from store.evidence import errors as refusals
from store.i18n import N_, Say
from store.sanitize import clean_text

KIND_WORDS = {
    Kind.JPEG: N_("JPEG picture"),
    Kind.PNG: N_("PNG picture"),
    Kind.WEBP: N_("WebP picture"),
    Kind.HEIC: N_("HEIC picture"),
    Kind.PDF: N_("PDF document"),
    Kind.TEXT: N_("Text file"),
    Kind.DOCX: N_("Word document"),
    Kind.XLSX: N_("Excel spreadsheet"),
    Kind.PPTX: N_("PowerPoint presentation"),
}


def shown_name(filename, length=60):
    """The name a browser gave a file, fit to show back beside a refusal (no folders, controls or bidi)."""
    base = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = clean_text(base, multiline=False)
    return name if len(name) <= length else name[: length - 1] + "…"


def cleaned_files(upload, config):
    """(files cleaned and ready to store, None) or ([], the sentence saying why they cannot be taken)."""
    limits = evidence_limits(config)
    if not upload.files:
        return [], None
    if config.attachments_max_files == 0:
        return [], Say(N_("This site does not take files."))
    if len(upload.files) > limits.max_files:
        return [], refusals.too_many(limits.max_files)
    cleaned = []
    for data, filename in upload.files:
        try:
            cleaned.append(clean(data, filename, limits))
        except EvidenceRefused as refusal:
            return [], Say(N_("{name}: {reason}"), name=shown_name(filename) or "?", reason=refusal.sentence)
    return cleaned, None


def too_large(config):
    """What a form too large to read is told (its files were not opened)."""
    return Say(
        N_(
            "Together your files are larger than {size}, the most we can take at once, so nothing was sent. "
            "Everything you typed is kept below: choose fewer or smaller files and send it again."
        ),
        size=size_words(config.attachments_max_bytes),
    )


def size_words(size):
    """A file's size as a reporter reads it: 840 bytes, 12 KB, 3.4 MB (KB and MB of 1,024)."""
    if size < 1024:
        return Say(N_("{size} bytes"), size=size)
    if size < 1024 * 1024:
        return Say(N_("{size} KB"), size=round(size / 1024))
    megabytes = size / (1024 * 1024)
    return Say(N_("{size} MB"), size=f"{megabytes:.1f}".removesuffix(".0") if megabytes < 10 else round(megabytes))


def shown_files(lang, infos):
    """AttachmentInfo list → what the page shows of each file, in the page's language."""
    return [
        {
            "name": info.name,
            "kind": lang.gettext(KIND_WORDS[info.kind]),
            "size": lang.say(size_words(info.size)),
            "removed": [lang.gettext(item) for item in info.removed],
        }
        for info in infos
    ]


def field_hint(lang, config):
    """The words beside the file field: the limits, what is taken, what is done to it, what is refused."""
    _ = lang.gettext
    limit = lang.ngettext(
        "You can attach up to {count} file, {size} together.",
        "You can attach up to {count} files, {size} together.",
        config.attachments_max_files,
    ).format(count=lang.number(config.attachments_max_files), size=lang.say(size_words(config.attachments_max_bytes)))
    return [
        limit,
        _(
            "We take photos and screenshots (JPEG, PNG, WebP, HEIC), PDFs, text files, and Word, Excel and PowerPoint "
            "documents (.docx, .xlsx, .pptx)."
        ),
        _(
            "Before we keep a file we remove what could identify you, such as where and with which phone a photo was "
            "taken, or a document's author, and we show you what we removed."
        ),
        _(
            "We cannot take other kinds of file (such as videos, sound recordings, archives, or older .doc, .xls and "
            ".ppt files), because we cannot remove what could identify you from them."
        ),
    ]
