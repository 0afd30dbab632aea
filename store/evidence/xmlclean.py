"""Rewrite an XML part event by event, keeping its prefixes exactly.

Office files name their namespaces by prefix in places a namespace-aware
serialiser cannot see (``mc:Ignorable="w14 w15"``), so a part is not rebuilt
from a tree: expat reads it without namespace processing, and each element is
written back with the same qualified names, unless the rules change it.
Document type declarations are refused (Office never writes them; they are
how entity bombs and external entities get in), and XML comments are dropped.
"""

import xml.parsers.expat
from collections.abc import Callable
from dataclasses import dataclass, field


class XmlRefused(Exception):
    """The part is not XML we will read (malformed, or with a DTD)."""


@dataclass
class Element:
    """One element as the rules see it: names resolved, attributes in order."""

    uri: str
    local: str
    attributes: list[tuple[str, str]]  # (qualified name, value), as written
    depth: int
    namespaces: dict[str, str] = field(repr=False, default_factory=dict)

    def attribute_name(self, qname: str) -> tuple[str, str]:
        """(namespace URI, local name) of an attribute's qualified name."""
        prefix, _, local = qname.rpartition(":")
        return (self.namespaces.get(prefix, "") if prefix else ""), local


class Rules:
    """What to change; the default changes nothing."""

    def drop(self, element: Element) -> bool:
        """True to leave out the element and everything inside it."""
        return False

    def dropped(self, element: Element, text: str) -> None:
        """Told about each dropped element with the text it held."""

    def attributes(self, element: Element) -> list[tuple[str, str]]:
        return element.attributes

    def text(self, element: Element) -> Callable[[str], str] | None:
        """A function to replace the element's whole text, or None to keep it."""
        return None


def rewrite(data: bytes, rules: Rules) -> bytes:
    writer = _Writer(rules)
    parser = xml.parsers.expat.ParserCreate()
    parser.ordered_attributes = True
    parser.buffer_text = True
    parser.XmlDeclHandler = writer.declaration
    parser.StartDoctypeDeclHandler = writer.refuse
    parser.EntityDeclHandler = writer.refuse
    parser.StartElementHandler = writer.start
    parser.EndElementHandler = writer.end
    parser.CharacterDataHandler = writer.characters
    parser.ProcessingInstructionHandler = writer.instruction
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as exc:
        raise XmlRefused(str(exc)) from None
    return "".join(writer.out).encode("utf-8")


def _escape(text: str, quote: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    if quote:
        text = text.replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")
    return text


class _Writer:
    def __init__(self, rules: Rules):
        self.rules = rules
        self.out: list[str] = []
        self.scopes: list[dict[str, str]] = [{"xml": "http://www.w3.org/XML/1998/namespace"}]
        self.stack: list[Element] = []
        self.open_tag = False  # a start tag written without its closing ">" yet
        self.skip_depth = 0  # inside a dropped element when > 0
        self.dropped_text: list[str] = []
        self.replacing: list[tuple[int, Callable[[str], str], list[str]]] = []

    def refuse(self, *args: object) -> None:
        raise XmlRefused("document type declarations are not accepted")

    def declaration(self, version: str | None, encoding: str | None, standalone: int) -> None:
        extra = ' standalone="yes"' if standalone == 1 else ' standalone="no"' if standalone == 0 else ""
        self.out.append(f'<?xml version="1.0" encoding="UTF-8"{extra}?>\n')

    def _close_start_tag(self) -> None:
        if self.open_tag:
            self.out.append(">")
            self.open_tag = False

    def start(self, qname: str, flat: list[str]) -> None:
        pairs = list(zip(flat[::2], flat[1::2]))
        scope = dict(self.scopes[-1])
        for name, value in pairs:
            if name == "xmlns":
                scope[""] = value
            elif name.startswith("xmlns:"):
                scope[name[6:]] = value
        self.scopes.append(scope)
        prefix, _, local = qname.rpartition(":")
        element = Element(scope.get(prefix, ""), local, pairs, len(self.stack), scope)
        self.stack.append(element)
        if self.skip_depth:
            self.skip_depth += 1
            return
        if self.rules.drop(element):
            self.skip_depth = 1
            self.dropped_text = []
            return
        self._close_start_tag()
        attributes = "".join(f' {name}="{_escape(value, True)}"' for name, value in self.rules.attributes(element))
        self.out.append(f"<{qname}{attributes}")
        self.open_tag = True
        replace = self.rules.text(element)
        if replace is not None:
            self.replacing.append((len(self.stack), replace, []))

    def end(self, qname: str) -> None:
        element = self.stack.pop()
        self.scopes.pop()
        if self.skip_depth:
            self.skip_depth -= 1
            if not self.skip_depth:
                self.rules.dropped(element, "".join(self.dropped_text))
            return
        if self.replacing and self.replacing[-1][0] == len(self.stack) + 1:
            _, replace, parts = self.replacing.pop()
            new = replace("".join(parts))
            if new:
                self._close_start_tag()
                self.out.append(_escape(new))
        if self.open_tag:
            self.out.append("/>")
            self.open_tag = False
        else:
            self.out.append(f"</{qname}>")

    def characters(self, text: str) -> None:
        if self.skip_depth:
            self.dropped_text.append(text)
        elif self.replacing:
            self.replacing[-1][2].append(text)
        else:
            self._close_start_tag()
            self.out.append(_escape(text))

    def instruction(self, target: str, data: str) -> None:
        if not self.skip_depth and not self.replacing:
            self._close_start_tag()
            self.out.append(f"<?{target} {data}?>" if data else f"<?{target}?>")
