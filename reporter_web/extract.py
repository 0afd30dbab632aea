"""Babel extraction for the site's Bottle templates (views/*.tpl), which Babel cannot read by itself.

Named in babel.cfg (``[extractors] bottle = reporter_web.extract:extract_bottle``).
A template's Python — ``% code`` lines and ``{{expression}}`` — is turned into
Python source line for line, and Babel's own Python extractor reads it, so
``_()``/``ngettext()`` in a template are found exactly as in a module and
keep their line numbers. Everything else in a template (the HTML) is left out.
"""

import io
import re

from babel.messages.extract import extract_python

_INLINE = re.compile(r"\{\{!?(.*?)\}\}")


def template_as_python(text):
    """The template's Python parts, one line of output per line of input (indentation dropped: only
    the calls matter, and Babel's extractor reads tokens, not statements)."""
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("%"):
            lines.append(stripped[1:].strip())
        else:
            lines.append("; ".join(f"({expression})" for expression in _INLINE.findall(line)))
    return "\n".join(lines) + "\n"


def extract_bottle(fileobj, keywords, comment_tags, options):
    """Babel's extraction method interface: yields (line, function, message, comments)."""
    source = template_as_python(fileobj.read().decode(options.get("encoding", "utf-8")))
    yield from extract_python(io.BytesIO(source.encode("utf-8")), keywords, comment_tags, options)
