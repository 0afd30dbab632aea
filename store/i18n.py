"""Words the store says to reporters, kept translatable without the store knowing any language but English.

A sentence a reporter may read (a refused field, a wrong code) is made as
``Say(N_("… {limit} …"), limit=200)``: the English text is the message id
the catalogues translate (reporter_web/locales), the values stay apart so
the site can write them the reporter's way (20,000 or 20.000). ``str()`` of
one is its English sentence, which is what the adviser app, the command line
and the logs use. The store never imports a translation library or the web:
the site translates (reporter_web/i18n.py).

``N_`` only marks a text for extraction (``pybabel extract`` finds it); it
returns the text unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def N_(text: str) -> str:
    """Mark ``text`` as a message to translate; it is returned as it is."""
    return text


class Say(str):
    """A sentence to translate: it *is* its English text (so everything that shows
    English — the adviser app, the command line, the logs — uses it as a str),
    and keeps its message id (with ``{name}`` places) and their values apart.

    With ``plural`` it is a plural message: ``quantity`` picks the form, in
    English "one" for 1 and the plural otherwise, and in other languages by
    their own rules (Welsh has six forms).
    """

    msgid: str
    plural: str | None
    quantity: int  # (not "count": that is str.count)
    values: dict[str, Any]

    def __new__(cls, msgid: str, plural: str | None = None, quantity: int = 1, **values: Any) -> Say:
        english = _render(
            msgid, plural, quantity, values, lambda s: s, lambda s, p, n: s if n == 1 else p, lambda n: f"{n:,}"
        )
        said = super().__new__(cls, english)
        said.msgid, said.plural, said.quantity, said.values = msgid, plural, quantity, values
        return said

    def render(
        self, gettext: Callable[[str], str], ngettext: Callable[[str, str, int], str], number: Callable[[int], str]
    ) -> str:
        """The sentence through the given translation functions; ``number`` writes a whole number."""
        return _render(self.msgid, self.plural, self.quantity, self.values, gettext, ngettext, number)


Gettext = Callable[[str], str]
Ngettext = Callable[[str, str, int], str]
Number = Callable[[int], str]


def _render(
    msgid: str,
    plural: str | None,
    quantity: int,
    values: dict[str, Any],
    gettext: Gettext,
    ngettext: Ngettext,
    number: Number,
) -> str:
    text = gettext(msgid) if plural is None else ngettext(msgid, plural, quantity)
    shown = {name: _value(value, gettext, ngettext, number) for name, value in values.items()}
    if plural is not None:
        shown.setdefault("count", number(quantity))
    return text.format(**shown)


def _value(value: Any, gettext: Gettext, ngettext: Ngettext, number: Number) -> str:
    if isinstance(value, Say):
        return value.render(gettext, ngettext, number)
    if isinstance(value, int) and not isinstance(value, bool):
        return number(value)
    return str(value)
