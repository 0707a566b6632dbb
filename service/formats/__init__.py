"""Input formats: which parts of a document are human text to translate, and how to put the
translations back without touching anything else.

Every format yields ``Unit``s: runs of human text (a paragraph, a heading, an HTML text node) in
which inline markup that must survive translation (inline code, link targets, tags) has been
replaced by placeholders ``⟦n⟧``. The pipeline splits a unit into sentences and translates them;
``Document.render`` puts each sentence's translation back, restores the placeholders' markup and
rebuilds the document around the units.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from service.errors import InputError
from service.formats.base import PLACEHOLDER, PLACEHOLDER_RE, Document, Replacement, Unit

__all__ = ["FORMATS", "PLACEHOLDER", "PLACEHOLDER_RE", "Document", "Format", "Replacement", "Unit",
           "format_for_path", "parse"]


def _parse_text(text: str) -> Document:
    from service.formats.mapped import TEXT_PLACEHOLDER_RE, protected_text_unit

    if TEXT_PLACEHOLDER_RE.search(text):
        # Software placeholders ([X12X], %s, {name}) and literal look-alikes of Glossa's own
        # ⟦n⟧ are protected like markup: they must come back unchanged, and the format layer
        # owns the ⟦n⟧ namespace.
        unit = protected_text_unit(text)
        return Document(text, "text", [unit] if unit is not None else [])
    return Document(text, "text", [Unit(0, len(text), text)])


def _parse_markdown(text: str) -> Document:
    from service.formats.markdown import parse_markdown  # defers markdown-it

    return parse_markdown(text)


def _parse_html(text: str) -> Document:
    from service.formats.html import parse_html  # defers the HTML parser

    return parse_html(text)


@dataclass(frozen=True)
class Format:
    name: str
    extensions: tuple[str, ...]  # lower case, with the dot; the first is the usual one
    parser: Callable[[str], Document]


# The one registry of input formats: adding a format or a file extension is one edit here.
FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("text", (".txt",), _parse_text),
        Format("markdown", (".md", ".markdown"), _parse_markdown),
        Format("html", (".html", ".htm"), _parse_html),
    )
}
FORMAT_BY_EXTENSION: dict[str, str] = {ext: f.name for f in FORMATS.values() for ext in f.extensions}


def format_for_path(path: str | PurePath) -> str | None:
    """The format a file is read as, by its extension; None for any other file."""
    return FORMAT_BY_EXTENSION.get(PurePath(path).suffix.lower())


def parse(text: str, format: str) -> Document:
    found = FORMATS.get(format)
    if found is None:
        raise InputError(f"format {format!r} is not one of {', '.join(FORMATS)}")
    return found.parser(text)
