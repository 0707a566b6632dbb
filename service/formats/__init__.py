"""Input formats: which parts of a document are human text to translate, and how to put the
translations back without touching anything else.

Every format yields ``Unit``s: runs of human text (a paragraph, a heading, an HTML text node) in
which inline markup that must survive translation (inline code, link targets, tags) has been
replaced by placeholders ``⟦n⟧``. The pipeline splits a unit into sentences and translates them;
``Document.render`` puts each sentence's translation back, restores the placeholders' markup and
rebuilds the document around the units.
"""

from __future__ import annotations

from service.errors import InputError
from service.formats.base import PLACEHOLDER, PLACEHOLDER_RE, Document, Replacement, Unit

__all__ = ["PLACEHOLDER", "PLACEHOLDER_RE", "Document", "Replacement", "Unit", "parse"]


def parse(text: str, format: str) -> Document:
    if format == "text":
        return Document(text, format, [Unit(0, len(text), text)])
    if format == "markdown":
        from service.formats.markdown import parse_markdown

        return parse_markdown(text)
    if format == "html":
        from service.formats.html import parse_html

        return parse_html(text)
    raise InputError(f"unknown format {format!r}", hint="use text, markdown or html")
