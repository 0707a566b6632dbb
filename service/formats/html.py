"""HTML: translate text nodes, keep markup and attributes byte for byte.

A unit is the inline content of one block (``<p>``, ``<li>``, ``<td>``, ``<h1>``..., or the text
between two blocks): ``<p>Kim <b>Jong-un</b> visited <a href="...">Moscow</a>.</p>`` is one
unit, ``Kim ⟦0⟧Jong-un⟦1⟧ visited ⟦2⟧Moscow⟦3⟧.``, so inline tags never cut a sentence in two.
``<br>`` separates units, like a line break in plain text.

Never translated: the content of ``script``, ``style``, ``code``, ``pre``, ``textarea``,
``noscript``, ``template``, ``svg`` and ``math`` (inside a paragraph, inline code is part of a
placeholder), comments, the doctype and processing instructions. ``<title>`` and the ``alt`` and
``title`` attributes are left as they are too: they are markup here, and a translated page keeps
its metadata until someone decides otherwise.

For the model, character references are decoded (``&amp;`` -> ``&``) and whitespace runs are one
space; a translation is escaped on the way back (``&``, ``<``, ``>``), while a sentence returned
unchanged keeps its exact source bytes, entities and line wrapping included.

Offsets come from the standard library's ``html.parser``: every event's position is where its
source starts, and it ends where the next one starts, so the whole document is accounted for.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from service.formats.mapped import MappedDocument, UnitBuilder

__all__ = ["HtmlDocument", "parse_html"]

# Elements whose start or end closes the current run of inline text. (script, style, noscript and
# template are not among them: invisible, they must not cut the sentence they sit in.)
BLOCK_ELEMENTS = frozenset("""
    address article aside audio blockquote body br canvas caption center col colgroup dd details
    dialog dir div dl dt embed fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5
    h6 head header hgroup hr html iframe legend li link main menu meta nav noframes object ol
    optgroup option p param pre section select source summary table tbody td textarea tfoot th
    thead title tr track ul video
""".split())
# Elements whose content is never prose to translate.
SKIPPED_ELEMENTS = frozenset(
    "script style code pre textarea noscript template title svg math".split())
# Skipped elements that may be left open by sloppy HTML; the next block boundary closes them so
# that one unclosed <code> does not swallow the rest of the page.
_INLINE_SKIPPED = frozenset({"code", "svg", "math"})
VOID_ELEMENTS = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split())

_CHARREF_RE = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;?)")


class HtmlDocument(MappedDocument):
    def encode_output(self, text: str, *, unit_start: bool) -> str:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class _Events(HTMLParser):
    """Records (kind, source offset, tag) per parser event; the text itself is re-read from the
    source, so what the parser decodes or normalises does not matter."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple[str, int, str]] = []
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", source)]

    def _mark(self, kind: str, tag: str = "") -> None:
        line, column = self.getpos()
        self.events.append((kind, self._line_starts[line - 1] + column, tag))

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self._mark("start", tag)

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self._mark("void", tag)

    def handle_endtag(self, tag: str) -> None:
        self._mark("end", tag)

    def handle_data(self, data: str) -> None:
        self._mark("data")

    def handle_comment(self, data: str) -> None:
        self._mark("other")

    def handle_decl(self, decl: str) -> None:
        self._mark("other")

    def handle_pi(self, data: str) -> None:
        self._mark("other")

    def unknown_decl(self, data: str) -> None:
        self._mark("other")


_BROKEN_TAG_RE = re.compile(r"<[A-Za-z/!?]")


def _events(source: str) -> list[tuple[str, int, int, str]]:
    """(kind, start, end, tag) covering the source in order."""
    parser = _Events(source)
    parser.feed(source)
    parser.close()
    marks = parser.events
    out: list[tuple[str, int, int, str]] = []
    for index, (kind, start, tag) in enumerate(marks):
        end = marks[index + 1][1] if index + 1 < len(marks) else len(source)
        if end <= start:
            continue
        if out and out[-1][0] == kind == "data" and out[-1][2] == start:
            out[-1] = (kind, out[-1][1], end, tag)  # the parser may deliver text in several calls
        else:
            out.append((kind, start, end, tag))
    # A tag the parser could not finish (a truncated "<b" at the end) comes back as text; it is
    # still markup and must not reach the model.
    for index, (kind, start, end, tag) in enumerate(out):
        broken = _BROKEN_TAG_RE.search(source, start, end) if kind == "data" else None
        if broken:
            out[index:index + 1] = [(kind, start, broken.start(), tag), ("other", broken.start(), end, "")]
    out = [event for event in out if event[2] > event[1]]
    if out and out[0][1] > 0:  # nothing is expected before the first event; keep it as markup
        out.insert(0, ("other", 0, out[0][1], ""))
    return out


def parse_html(text: str) -> HtmlDocument:
    document = HtmlDocument(text, "html")
    builder = UnitBuilder(text, collapse_whitespace=True)
    skipping: list[str] = []

    def flush() -> None:
        unit = builder.build()
        if unit is not None:
            document.units.append(unit)

    for kind, start, end, tag in _events(text):
        is_block = kind in ("start", "end", "void") and tag in BLOCK_ELEMENTS
        if is_block:
            while skipping and skipping[-1] in _INLINE_SKIPPED:
                skipping.pop()
        if kind == "start" and tag in SKIPPED_ELEMENTS and tag not in VOID_ELEMENTS:
            skipping.append(tag)
        elif kind == "end" and tag in skipping:
            while skipping.pop() != tag:
                pass
            if not is_block:
                builder.add_markup(start, end)  # the end of inline code: part of its placeholder
                continue
        if is_block:
            flush()
        elif kind == "data" and not skipping:
            _add_text(builder, start, end)
        else:
            builder.add_markup(start, end)
    flush()
    return document


def _add_text(builder: UnitBuilder, start: int, end: int) -> None:
    """Text with its character references decoded for the model."""
    source = builder.source
    pos = start
    for match in _CHARREF_RE.finditer(source, start, end):
        decoded = html.unescape(match.group(0))
        if decoded == match.group(0):
            continue  # not a reference HTML knows: plain text
        builder.add_text(pos, match.start())
        builder.add_subst(match.start(), match.end(), decoded)
        pos = match.end()
    builder.add_text(pos, end)
