"""Every value from the database or the configuration made inert for the terminal (the second layer of the
security model: see ARCHITECTURE.md).

Not only reporter text: references, ways, roles, categories, statuses,
adviser names, audit details, closure notes, pattern labels, the
organisation's name, mail errors, error sentences that quote a value — all of
it goes through here on its way to the screen. The store cleans text on the
way in (``store.sanitize``); everything shown is cleaned again on the way out,
because a row written by an older version, a bug or a hand-edited database
must still not reach the terminal as an escape sequence. The result is always
a ``Content`` or ``rich.text.Text`` object (or a cleaned ``str`` for Content
assembly and notifications, which the app shows with markup off), never raw
text: Textual parses markup in strings handed to ``Static``, ``Label``,
``DataTable`` and ``OptionList``, so ``[@click=app.quit]`` would otherwise
write an action into the screen. Toasts are cleaned in one place,
``AdviserApp.notify``.
"""

from rich.text import Text
from textual.content import Content

from store.sanitize import clean_text, one_line


def clean(value):
    """Multi-line text with every control, escape and bidi character removed."""
    return clean_text("" if value is None else str(value), multiline=True)


def line(value, width=None):
    """One line of text for lists, headings and notifications."""
    return one_line(clean_text("" if value is None else str(value), multiline=False), width)


def content(value, style=""):
    """Reporter text as a widget's content (literal, never markup)."""
    text = clean(value)
    return Content.styled(text, style) if style else Content(text)


def line_content(value, width=None, style=""):
    text = line(value, width)
    return Content.styled(text, style) if style else Content(text)


def cell(value, width=None, style=""):
    """A DataTable cell: a Text object, which DataTable does not parse as markup."""
    return Text(line(value, width), style=style, no_wrap=True, end="")
