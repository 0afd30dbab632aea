"""The catalogues: every message translated, no template text outside them, the template extractor complete."""

import io
import pathlib
import re
import subprocess
import sys

import pytest
from babel.messages.pofile import read_po

from reporter_web.extract import extract_bottle
from reporter_web.i18n import LOCALES, catalogue_path, catalogued_languages

ROOT = pathlib.Path(__file__).resolve().parents[2]
VIEWS = ROOT / "reporter_web" / "views"
PLACE = re.compile(r"\{(\w*)[^}]*\}")
TRANSLATED = sorted(catalogued_languages() - {"en"})


def messages(path):
    with open(path, "rb") as po:
        return [m for m in read_po(po) if m.id]


def ids(path):
    return {m.id for m in messages(path)}


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(code):
    with catalogue_path(code).open("rb") as po:
        catalog = read_po(po, locale=code)
    untranslated = [m.id for m in catalog if m.id and not (all(m.string) if isinstance(m.string, tuple) else m.string)]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert untranslated == [] and fuzzy == []
    for m in catalog:
        if isinstance(m.id, tuple):
            assert len(m.string) == catalog.num_plurals, m.id  # Welsh: six forms
    assert len(catalog) > 150


@pytest.mark.parametrize("code", TRANSLATED)
def test_translations_keep_every_place_and_every_tag(code):
    for m in messages(catalogue_path(code)):
        sources = m.id if isinstance(m.id, tuple) else (m.id,)
        for text in m.string if isinstance(m.string, tuple) else (m.string,):
            # A plural form may leave out {count} (Welsh "un" for 1), nothing else.
            wanted = set(PLACE.findall(sources[0])) | set(PLACE.findall(sources[-1]))
            assert set(PLACE.findall(text)) <= wanted and wanted - {"count"} <= set(PLACE.findall(text)), (m.id, text)
            assert re.findall(r"</?\w+", text) == re.findall(r"</?\w+", sources[0]), (m.id, text)
            assert text.strip() == text and "  " not in text, (m.id, text)


def test_the_template_catalogue_holds_every_text_the_code_and_templates_mark(tmp_path):
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "-k",
            "N_",
            "-c",
            "TRANSLATORS:",
            "--no-location",
            "-o",
            str(fresh),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    assert ids(fresh) == ids(LOCALES / "messages.pot"), "run the extraction in babel.cfg to update the .pot"
    for code in TRANSLATED:
        assert ids(catalogue_path(code)) == ids(fresh), f"update {code}'s catalogue from the .pot (pybabel update)"


def test_no_template_text_is_left_outside_gettext():
    """Anything a person could read in a template (text between tags, a title or label attribute) is in _()."""
    readable_attributes = re.compile(r'\b(?:title|alt|placeholder|aria-label|value)="([^"{]*[A-Za-z][^"{]*)"')
    problems = []
    for template in sorted(VIEWS.glob("*.tpl")):
        for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), 1):
            if line.lstrip().startswith("%"):
                continue
            bare = re.sub(r"\{\{.*?\}\}", " ", line)
            for value in readable_attributes.findall(bare):
                if value not in ("on", "anonymous", "named", "post"):
                    problems.append(f"{template.name}:{number}: {value}")
            text = re.sub(r"<[^>]*>", " ", bare)
            text = re.sub(r"&\w+;", " ", text)
            if re.search(r"[A-Za-z]{2,}", text):
                problems.append(f"{template.name}:{number}: {text.strip()}")
    assert problems == []


def test_the_template_extractor_finds_every_call():
    for template in sorted(VIEWS.glob("*.tpl")):
        source = template.read_bytes()
        calls = len(re.findall(rb"\b(?:_|ngettext)\(", source))
        found = list(extract_bottle(io.BytesIO(source), {"_": None, "ngettext": (1, 2)}, [], {}))
        assert len(found) == calls, template.name
        for line, _function, message, _comments in found:
            first = message[0] if isinstance(message, tuple) else message
            assert first.split("{")[0][:20].encode() in source.splitlines()[line - 1].replace(b'\\"', b'"'), (
                template.name,
                line,
            )
