"""Markdown: translate the prose, keep every byte of markup.

Units are the inline content of paragraphs, headings (without the ``#``s or the setext underline),
list items and blockquotes (without their markers), and table cells. Left untouched: fenced and
indented code, HTML blocks, front matter (``---``/``+++`` at the top), link reference definitions,
thematic breaks. Inside a unit, code spans, autolinks and bare URLs, link destinations
(``](url "title")``; the link text is prose, except in ``[label]`` and ``[label][]`` references,
where it names the definition and stays whole), whole images, inline HTML, emphasis markers, escapes,
entities and hard breaks become placeholders; adjacent ones share one. A line break inside a
paragraph is one space for the model (a translated sentence comes back on one line, which
Markdown renders the same), while an untranslated one keeps its source bytes.

Block structure and inline tokens come from markdown-it-py (CommonMark + GFM tables and
strikethrough). Its inline tokens carry no offsets, so each one is located by walking the
inline source in token order, asking markdown-it's own inline rules where a code span, link or
image ends. Anything that cannot be located exactly (tabs split by indentation, an escaped ``|``
in a table cell, a NUL) is left untouched and named in ``Document.notes`` rather than guessed.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from service.formats.mapped import MappedDocument, UnitBuilder

__all__ = ["MarkdownDocument", "parse_markdown"]

_LINE_END_RE = re.compile(r"\r\n|\r|\n")  # what markdown-it normalises to "\n"
_FRONT_MATTER_RE = re.compile(r"(?:---|\+\+\+)[ \t]*$")
_SOFTBREAK_RE = re.compile(r" *\n[ \t]*")
_HARDBREAK_RE = re.compile(r"(?:\\| *)\n[ \t]*")
_EMPHASIS = {"em_open", "em_close", "strong_open", "strong_close", "s_open", "s_close"}
_UNIT_PARENTS = {"paragraph_open", "heading_open", "th_open", "td_open"}


# In a translation, characters that could open inline markup are escaped ("\\*" renders as "*"), and
# so is a line start that would turn a paragraph into a heading, list or quote.
_INLINE_SPECIAL_RE = re.compile(r"([\\`*_<\[|~])")
_BLOCK_START_RE = re.compile(r"^(\s*)([#>+=-]|\d{1,9}(?=[.)]))")


class MarkdownDocument(MappedDocument):
    def encode_output(self, text: str, *, unit_start: bool) -> str:
        text = _INLINE_SPECIAL_RE.sub(r"\\\1", text)
        if unit_start:
            text = _BLOCK_START_RE.sub(lambda m: m.group(1) + (
                m.group(2) + "\\" if m.group(2).isdigit() else "\\" + m.group(2)), text)
        return text


class _Unmapped(Exception):
    """An inline token whose source could not be located exactly."""


@lru_cache(maxsize=1)
def _parser() -> Any:
    from markdown_it import MarkdownIt

    # text_join would fold escapes and entities into plain text and hide their source form.
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).disable("text_join")


class _Lines:
    """Source lines (terminators excluded) with their offsets."""

    def __init__(self, text: str) -> None:
        self.starts: list[int] = [0]
        self.ends: list[int] = []
        for match in _LINE_END_RE.finditer(text):
            self.ends.append(match.start())
            self.starts.append(match.end())
        self.ends.append(len(text))
        self.text = text

    def __len__(self) -> int:
        return len(self.starts)

    def line(self, index: int) -> str:
        return self.text[self.starts[index]:self.ends[index]]


def _front_matter_lines(lines: _Lines) -> int:
    """Number of lines of YAML (``---``) or TOML (``+++``) front matter at the top, or 0."""
    if len(lines) < 2 or not _FRONT_MATTER_RE.fullmatch(lines.line(0)):
        return 0
    fence = lines.line(0).strip()
    closers = {fence, "..."} if fence == "---" else {fence}
    for index in range(1, len(lines)):
        if lines.line(index).rstrip() in closers:
            return index + 1
    return 0


def parse_markdown(text: str) -> MarkdownDocument:
    document = MarkdownDocument(text, "markdown")
    lines = _Lines(text)
    skip = _front_matter_lines(lines)
    parse_source = text
    if skip:
        # Blank the front matter (same line count) so markdown-it sees none of it.
        parse_source = "\n" * skip + text[lines.starts[skip]:] if skip < len(lines) else "\n" * skip
    md = _parser()
    env: dict[str, Any] = {}
    tokens = md.parse(parse_source, env)
    table_cells: list[tuple[int, Any]] = []
    for index, token in enumerate(tokens):
        if token.type != "inline" or index == 0 or tokens[index - 1].type not in _UNIT_PARENTS:
            continue
        if token.map is None or not token.content.strip():
            continue
        if tokens[index - 1].type in ("th_open", "td_open"):
            table_cells.append((token.map[0], token))
            continue
        _flush_cells(document, lines, md, env, table_cells)
        try:
            segments = _locate_block(lines, token.map[0], token.content)
            _add_unit(document, lines, md, env, token, segments)
        except _Unmapped as exc:
            document.notes.append(f"line {token.map[0] + 1}: left untranslated ({exc})")
    _flush_cells(document, lines, md, env, table_cells)
    document.units.sort(key=lambda unit: unit.start)
    return document


def _add_unit(document: MarkdownDocument, lines: _Lines, md: Any, env: dict, token: Any,
              segments: list[tuple[int, int, int]]) -> None:
    builder = UnitBuilder(lines.text)
    for kind, start, end in _inline_pieces(md, env, token):
        raw_start, raw_end = _to_source(segments, start), _to_source(segments, end)
        if kind == "text":
            if lines.text[raw_start:raw_end] != token.content[start:end]:
                raise _Unmapped("text does not match its source")
            builder.add_text(raw_start, raw_end)
        elif kind == "break":
            builder.add_subst(raw_start, raw_end, " ")
        else:
            builder.add_markup(raw_start, raw_end)
    unit = builder.build()
    if unit is not None:
        document.units.append(unit)


# -- where an inline token's content lies in the source -------------------------------------------


def _locate_block(lines: _Lines, first_line: int, content: str) -> list[tuple[int, int, int]]:
    """(content_start, source_start, length) for each line of a paragraph's or heading's content.

    markdown-it's content is the block's lines with container markers and indentation removed,
    joined by "\\n" and stripped; so every content line is the tail of its source line, except the
    last (and a one-line heading), which may be followed by spaces or a closing ``#`` sequence.
    """
    parts = content.split("\n")
    if first_line + len(parts) > len(lines):
        raise _Unmapped("content runs past the end")
    segments = []
    content_pos = 0
    for offset, part in enumerate(parts):
        line_index = first_line + offset
        line = lines.line(line_index)
        if offset == len(parts) - 1:
            # The last line: rstripped; a heading's closing "#"s may follow, so take the last match.
            pos = line.rstrip().rfind(part)
        else:
            pos = len(line) - len(part) if line.endswith(part) else -1
        if pos < 0:
            raise _Unmapped("content differs from the source (tabs or normalised characters)")
        segments.append((content_pos, lines.starts[line_index] + pos, len(part)))
        content_pos += len(part) + 1
    return segments


def _to_source(segments: list[tuple[int, int, int]], pos: int) -> int:
    for content_start, source_start, length in segments:
        if pos <= content_start + length:
            return source_start + max(0, pos - content_start)
    content_start, source_start, length = segments[-1]
    return source_start + length


def _flush_cells(document: MarkdownDocument, lines: _Lines, md: Any, env: dict,
                 cells: list[tuple[int, Any]]) -> None:
    """Table cells, row by row: a row's cells are found by splitting its line at unescaped pipes,
    as markdown-it does; a cell whose content differs from its source (``\\|``) stays as it is."""
    rows: dict[int, list[Any]] = {}
    for line_index, token in cells:
        rows.setdefault(line_index, []).append(token)
    cells.clear()
    for line_index, tokens in rows.items():
        columns = _row_columns(lines, line_index)
        # markdown-it gives one inline token per header column, empty ones included, so cell k of
        # the row is column k; only non-empty cells were collected, so match them by content.
        column = 0
        for token in tokens:
            found = column
            while found < len(columns) and lines.text[columns[found][0]:columns[found][1]] != token.content:
                found += 1
            if found == len(columns):
                document.notes.append(f"line {line_index + 1}: a table cell left untranslated "
                                      "(its source differs from its text, e.g. an escaped '|')")
                continue
            start, end = columns[found]
            column = found + 1
            try:
                _add_unit(document, lines, md, env, token, [(0, start, end - start)])
            except _Unmapped as exc:
                document.notes.append(f"line {line_index + 1}: a table cell left untranslated ({exc})")


def _row_columns(lines: _Lines, line_index: int) -> list[tuple[int, int]]:
    """Stripped source spans of a table row's cells (container prefix and edge pipes excluded)."""
    line = lines.line(line_index)
    base = lines.starts[line_index]
    pos = len(line) - len(line.lstrip(" \t>"))  # blockquote markers and indentation
    # A leading pipe opens the first cell; without one the first cell starts at ``pos``.
    cuts = [pos] if line.startswith("|", pos) else [pos - 1]
    escaped = False
    for index in range(cuts[0] + 1, len(line)):
        ch = line[index]
        if ch == "|" and not escaped:
            cuts.append(index)
        escaped = ch == "\\"
    spans = []
    for left, right in zip(cuts, [*cuts[1:], len(line)]):
        start, end = left + 1, right
        while start < end and line[start] in " \t":
            start += 1
        while end > start and line[end - 1] in " \t":
            end -= 1
        spans.append((base + start, base + end))
    return spans


# -- inline tokens -> pieces of the content ----------------------------------------------------


def _inline_pieces(md: Any, env: dict, token: Any) -> list[tuple[str, int, int]]:
    """(kind, start, end) over ``token.content``, kinds "text", "markup" and "break", in order
    and covering the content exactly."""
    from markdown_it.rules_inline import autolink, backtick, image, link
    from markdown_it.rules_inline.state_inline import StateInline

    content: str = token.content
    state = StateInline(content, md, env, [])

    def rule_end(rule: Any, pos: int) -> int:
        # markdown-it's own rule, run silently, says where the construct that starts here ends.
        state.pos, state.posMax = pos, len(content)
        if not rule(state, True):
            raise _Unmapped(f"{rule.__name__} did not match where its token is")
        return state.pos

    pieces: list[tuple[str, int, int]] = []
    pos = 0

    def take(kind: str, end: int) -> None:
        nonlocal pos
        if end > pos:
            pieces.append((kind, pos, end))
        pos = end

    def expect(kind: str, literal: str) -> None:
        if not content.startswith(literal, pos):
            raise _Unmapped(f"expected {literal[:20]!r} at {pos}")
        take(kind, pos + len(literal))

    children = list(token.children or [])
    link_ends: list[tuple[int, int, int]] = []  # (end, index of its first piece, start)
    index = 0
    while index < len(children):
        child = children[index]
        kind = child.type
        if kind == "text":
            expect("text", child.content)
        elif kind == "text_special" or kind in _EMPHASIS:
            expect("markup", child.markup)
        elif kind == "html_inline":
            expect("markup", child.content)
        elif kind in ("softbreak", "hardbreak"):
            match = (_SOFTBREAK_RE if kind == "softbreak" else _HARDBREAK_RE).match(content, pos)
            if match is None:
                raise _Unmapped(f"no line break at {pos}")
            take("break" if kind == "softbreak" else "markup", match.end())
        elif kind == "code_inline":
            take("markup", rule_end(backtick, pos))
        elif kind == "image":
            take("markup", rule_end(image, pos))
        elif kind == "link_open" and child.markup in ("autolink", "linkify"):
            take("markup", rule_end(autolink, pos))
            while index < len(children) and children[index].type != "link_close":
                index += 1  # the autolink's text and close are inside the markup just taken
        elif kind == "link_open":
            link_ends.append((rule_end(link, pos), len(pieces), pos))
            expect("markup", "[")
        elif kind == "link_close":
            if not link_ends or not content.startswith("]", pos):
                raise _Unmapped(f"link end not found at {pos}")
            end, first_piece, start = link_ends.pop()
            if content[pos:end] in ("]", "][]"):
                # A shortcut or collapsed reference: the text is the label that finds the
                # definition, so translating it would break the link. Keep it whole.
                del pieces[first_piece:]
                pos = start
            take("markup", end)
        else:
            raise _Unmapped(f"unexpected inline token {kind!r}")
        index += 1
    if pos != len(content):
        raise _Unmapped(f"tokens cover {pos} of {len(content)} characters")
    return pieces
