"""The cleaner's own words, marked for translation: what it removed, what a refused file looks like.

The modules write these as plain English (``removed.append("date taken")``,
``errors.damaged("picture")``); each is also a message id of the site's
catalogues, so the site shows it in the reporter's language (reporter_web
translates ``removed`` items and the labels inside a refusal). Listed here so
that ``pybabel extract`` finds them; tests/web/test_upload.py checks that
what the cleaner says about real files is translated.
"""

from ..i18n import N_

REMOVED = (
    N_("account identifiers"),
    N_("attached files"),
    N_("author"),
    N_("camera make and model"),
    N_("camera maker's notes"),
    N_("camera serial number"),
    N_("caption and author details (IPTC)"),
    N_("colour profile"),
    N_("colour profile (colours converted to standard ones)"),
    N_("comment"),
    N_("company"),
    N_("converted from HEIC to JPEG"),
    N_("custom document properties"),
    N_("date taken"),
    N_("dates created and modified"),
    N_("dates created, modified and printed"),
    N_("dates of comments"),
    N_("dates of comments and changes"),
    N_("document library details"),
    N_("editing details (XMP)"),
    N_("editing software"),
    N_("editing software's private data"),
    N_("extra pictures stored inside the photo (previews, depth)"),
    N_("file locations on the author's computer"),
    N_("invisible and control characters"),
    N_("last editor"),
    N_("location (GPS)"),
    N_("manager"),
    N_("names of the authors of comments"),
    N_("names of the authors of comments and changes"),
    N_("other document properties"),
    N_("other picture details"),
    N_("photo details (EXIF)"),
    N_("printer name"),
    N_("revision number"),
    N_("rotation setting (the picture was turned upright)"),
    N_("scripts and automatic actions"),
    N_("template name"),
    N_("text notes"),
    N_("title, subject and keywords"),
    N_("total editing time"),
)

# What a refused file looks like ("We cannot take this kind of file (a GIF picture).").
LABELS = (
    N_("a BMP picture"),
    N_("a GIF picture"),
    N_("a TIFF picture"),
    N_("an AVIF picture"),
    N_("an RTF document"),
    N_("a program"),
    N_("a compressed archive"),
    N_("an empty ZIP archive"),
    N_("a ZIP archive"),
    N_("an OpenDocument file"),
    N_("an e-book"),
    N_("an Office file of a kind we cannot clean, such as a template or a show"),
    N_("a sound recording"),
    N_("a sound or video recording"),
    N_("a video or sound recording"),
    N_("a video"),
    N_("a web page"),
    N_("an XML file"),
    N_("text we cannot read"),
    N_("we could not tell what it is"),
)

# The file in "This {noun} seems to be damaged…".
NOUNS = (
    N_("file"),
    N_("picture"),
    N_("PDF"),
    N_("document"),
    N_("spreadsheet"),
    N_("presentation"),
    N_("text file"),
)
