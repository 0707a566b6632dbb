"""Units whose text is a *view* of the source, not a copy: the machinery Markdown and HTML share.

The model must see clean human text, which is not the source bytes: HTML entities are decoded
(``&amp;`` -> ``&``), whitespace that only wraps lines is one space, inline markup is a placeholder
``⟦n⟧``. A ``MappedUnit`` therefore keeps, next to its text, the list of ``Piece``s that tie each
stretch of the text to the stretch of source it came from. ``Document.render`` uses them to

- give back the exact source bytes of any sentence the caller returned unchanged (so rendering
  with every sentence "translated" into itself is the identity, entities and line wrapping
  included), and of everything between sentences;
- encode a real translation for the format (``encode_output``: HTML escapes ``&``, ``<``, ``>``,
  Markdown backslash-escapes what would start markup) before its placeholders are turned back
  into markup, so markup is never escaped and text never becomes markup.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property

from service.formats.base import PLACEHOLDER, Document, Unit

# Text that is not prose even outside markup: bare URLs (the model would mangle them) and literal
# placeholder look-alikes (they would be confused with real placeholders on the way back).
_PROTECTED_TEXT_RE = re.compile(
    r"(?:https?|ftp)://[^\s<>\"'`]+|www\.[^\s<>\"'`]+\.[^\s<>\"'`]+|⟦\d+⟧",
    re.IGNORECASE,
)
# Punctuation that ends a sentence rather than a URL ("see https://example.com.").
_URL_TRAILING = ".,;:!?'\"»”’)]}>"


def split_url_trailer(url: str) -> int:
    """Length of ``url`` once sentence punctuation after it is left out (balanced ')' kept)."""
    end = len(url)
    while end and url[end - 1] in _URL_TRAILING:
        if url[end - 1] == ")" and url[:end].count("(") >= url[:end].count(")"):
            break
        end -= 1
    return end


@dataclass(frozen=True)
class Piece:
    """``text[view_start:view_end]`` stands for ``source[raw_start:raw_end]``.

    kind "text": the two are equal, character for character.
    kind "subst": a decoded or normalised stand-in (an entity, a line break), atomic.
    kind "markup": a placeholder ``⟦n⟧`` (``name``) for markup, atomic.
    """

    kind: str
    view_start: int
    view_end: int
    raw_start: int
    raw_end: int
    name: str = ""


@dataclass(frozen=True)
class MappedUnit(Unit):
    pieces: tuple[Piece, ...] = ()

    @cached_property
    def _view_starts(self) -> list[int]:
        return [piece.view_start for piece in self.pieces]

    def _piece_at(self, index: int) -> Piece | None:
        at = bisect_right(self._view_starts, index) - 1
        if at >= 0 and index < self.pieces[at].view_end:
            return self.pieces[at]
        return None

    def source_offset(self, index: int) -> int:
        """Exact source position of text position ``index`` (start of an atomic piece)."""
        piece = self._piece_at(index)
        if piece is None:
            return self.end if index >= len(self.text) else self.start
        if piece.kind == "text":
            return piece.raw_start + index - piece.view_start
        return piece.raw_start

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The source span that text span ``start:end`` stands for (atomic pieces whole)."""
        if end <= start:
            pos = self.source_offset(start)
            return pos, pos
        first = self._piece_at(start)
        last = self._piece_at(end - 1)
        raw_start = self.start if first is None else (
            first.raw_start + start - first.view_start if first.kind == "text" else first.raw_start)
        raw_end = self.end if last is None else (
            last.raw_start + end - last.view_start if last.kind == "text" else last.raw_end)
        return raw_start, max(raw_start, raw_end)


class UnitBuilder:
    """Collects a run of inline content in source order and turns it into one ``MappedUnit``.

    Leading and trailing markup and whitespace stay outside the unit (the model need not see
    ``<p><b>`` or a list item's trailing ``**``); adjacent markup pieces become one placeholder.
    """

    def __init__(self, source: str, *, collapse_whitespace: bool = False) -> None:
        self.source = source
        self.collapse_whitespace = collapse_whitespace
        # (kind, raw_start, raw_end, view)
        self._pieces: list[list] = []

    def __bool__(self) -> bool:
        return bool(self._pieces)

    def add_markup(self, raw_start: int, raw_end: int) -> None:
        if raw_end <= raw_start:
            return
        if self._pieces and self._pieces[-1][0] == "markup" and self._pieces[-1][2] == raw_start:
            self._pieces[-1][2] = raw_end
        else:
            self._pieces.append(["markup", raw_start, raw_end, ""])

    def add_subst(self, raw_start: int, raw_end: int, view: str) -> None:
        """A stand-in: ``view`` is what the model sees for ``source[raw_start:raw_end]``."""
        if raw_end <= raw_start:
            return
        if view == self.source[raw_start:raw_end]:
            self.add_text(raw_start, raw_end)
        else:
            self._pieces.append(["subst", raw_start, raw_end, view])

    def add_text(self, raw_start: int, raw_end: int) -> None:
        """Verbatim text; URLs in it become markup, whitespace runs are split off (and collapsed
        to one space for formats where whitespace is not significant)."""
        pos = raw_start
        for match in _PROTECTED_TEXT_RE.finditer(self.source, raw_start, raw_end):
            end = match.start() + split_url_trailer(match.group(0))
            self._add_words(pos, match.start())
            self.add_markup(match.start(), end)
            pos = end
        self._add_words(pos, raw_end)

    def _add_words(self, raw_start: int, raw_end: int) -> None:
        pos = raw_start
        for match in re.finditer(r"\s+", self.source[raw_start:raw_end]):
            ws_start, ws_end = raw_start + match.start(), raw_start + match.end()
            self._append_text(pos, ws_start)
            if self.collapse_whitespace and match.group(0) != " ":
                self._pieces.append(["subst", ws_start, ws_end, " "])
            else:
                self._append_text(ws_start, ws_end)
            pos = ws_end
        self._append_text(pos, raw_end)

    def _append_text(self, raw_start: int, raw_end: int) -> None:
        if raw_end > raw_start:
            self._pieces.append(["text", raw_start, raw_end, self.source[raw_start:raw_end]])

    def build(self, *, trim_markup: bool = True) -> MappedUnit | None:
        """The unit, or None when the run holds no human text (only markup, spaces, digits).
        ``trim_markup=False``: markup at the edges stays in the unit (a placeholder that stands
        for a word, such as a sentence's subject, is part of the sentence the model sees)."""
        pieces = self._pieces
        self._pieces = []

        def is_edge(p: list) -> bool:
            return trim_markup if p[0] == "markup" else not p[3].strip()

        lo, hi = 0, len(pieces)
        while lo < hi and is_edge(pieces[lo]):
            lo += 1
        while hi > lo and is_edge(pieces[hi - 1]):
            hi -= 1
        # Words and the spaces between them were separate pieces only so that edges could be
        # trimmed; one piece per run of verbatim text keeps long units cheap to map.
        merged: list[list] = []
        for piece in pieces[lo:hi]:
            last = merged[-1] if merged else None
            if last and piece[0] == "text" and last[0] == "text" and last[2] == piece[1]:
                last[2], last[3] = piece[2], last[3] + piece[3]
            else:
                merged.append(list(piece))
        pieces = merged
        if not any(ch.isalpha() for p in pieces if p[0] != "markup" for ch in p[3]):
            return None
        text: list[str] = []
        out: list[Piece] = []
        protected: dict[str, str] = {}
        view_pos = 0
        for kind, raw_start, raw_end, view in pieces:
            name = ""
            if kind == "markup":
                name = PLACEHOLDER.format(len(protected))
                protected[name] = self.source[raw_start:raw_end]
                view = name
            text.append(view)
            out.append(Piece(kind, view_pos, view_pos + len(view), raw_start, raw_end, name))
            view_pos += len(view)
        return MappedUnit(out[0].raw_start, out[-1].raw_end, "".join(text), protected, tuple(out))


# Placeholders that plain text carries for software, never prose, so they are protected like
# markup and come back unchanged (the model sees ``⟦n⟧``): literal look-alikes of Glossa's own
# ``⟦n⟧``; Weblate's ``[X12X]`` (what it sends LibreTranslate for each placeholder of a
# string); printf conversions with an optional position, ``(name)``, flags (not the space flag:
# "50% off" is prose), width and precision (``%s``, ``%d``, ``%1$s``, ``%(name)s``, ``%.2f``,
# ``%%``); brace fields, Python/ICU/.NET style and i18next's double braces (``{name}``, ``{0}``,
# ``{0:.2f}``, ``{user.name}``, ``{{count}}``, ``{}``). A field needs no space inside it, so "{see
# below}" stays prose.
TEXT_PLACEHOLDER_RE = re.compile(
    r"⟦\d+⟧"
    r"|\[X\d+X\]"
    r"|%(?:\d+\$|\([A-Za-z_]\w*\))?[-+#0]*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh?|ll?|[Lqjzt])?[diouxXeEfFgGcrsa%]"
    r"|\{\{\s*[A-Za-z_][\w.-]*\s*\}\}"
    r"|\{(?:[A-Za-z_]\w*(?:\.\w+|\[\w+\])*|\d+)?(?:![rsa])?(?::[^{}\s]{0,16})?\}"
)


def protected_text_unit(text: str) -> MappedUnit | None:
    """Plain text as one unit in which only the software placeholders of
    ``TEXT_PLACEHOLDER_RE`` are protected as markup (URLs and whitespace stay as written, as for
    any plain text), those at the edges included (they stand for words: "%s was elected"); None
    when nothing but placeholders is left to translate."""
    builder = UnitBuilder(text)
    pos = 0
    for match in TEXT_PLACEHOLDER_RE.finditer(text):
        builder._add_words(pos, match.start())
        builder.add_markup(match.start(), match.end())
        pos = match.end()
    builder._add_words(pos, len(text))
    return builder.build(trim_markup=False)


# Markdown and HTML documents are plain ``Document``s whose units are ``MappedUnit``s and whose
# ``encode_output`` escapes for the format; the name says what they hold.
MappedDocument = Document
