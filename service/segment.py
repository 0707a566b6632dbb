"""Paragraphs and sentences with exact character offsets.

The contract: every sentence is a ``Span`` whose ``text`` equals ``text[start:end]``; spans are in
order, never overlap, never contain a line break and never begin or end with whitespace. Everything
outside the spans (paragraph breaks, blank lines, indentation, the spaces between sentences,
trailing spaces) belongs to the layout, so ``rebuild`` can replace each span by its translation and
give back a document shaped exactly like the input.

Layout rules (what a user sees):
- A paragraph is a run of non-blank lines; blank (or whitespace-only) lines separate paragraphs.
- A sentence never crosses a line break. News feeds put one paragraph per line far more often than
  they hard-wrap text, and keeping every line break where it was is what preserves layout. A
  hard-wrapped sentence is therefore translated line by line.

Sentence boundaries inside a line come from ``sentencex`` (rule based, no model, fast), followed by a
few corrections for what it gets wrong on Korean and Russian news text (see ``_should_merge``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

__all__ = [
    "MAX_SENTENCE_CHARS",
    "Paragraph",
    "Span",
    "fit_pieces",
    "rebuild",
    "segment",
    "sentences",
    "split_paragraphs",
    "split_sentences",
]

# A "sentence" longer than this (a table dump, a text without punctuation) is cut at whitespace so
# that no single translation request explodes: Argos models are trained on sentences and their
# decoding is bounded (256 tokens by default).
MAX_SENTENCE_CHARS = 1000

# Everything str.splitlines() treats as a line break, with CRLF first so it stays one break.
_LINE_BREAK = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")

# Characters that may open a sentence before its first letter: quotes, brackets, dashes.
_OPENERS = "\"'«„“”‘’‹›「『（(【[—–-‐―…*•▲△◇◆■□○●·"
# Characters that close a quotation or a bracket.
_CLOSERS = "\"'»“”’›」』）)】]"
# A lone number with a period (or closing bracket): a Korean date part ("2024. 6. 19.") or a list
# marker ("1.", "2)"), possibly several in a row. sentencex splits after each of them.
_NUMBER_MARKER = re.compile(r"(?:\(?\d{1,4}[.)]\s*)+")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    start: int
    end: int
    sentences: list[Span]

    @property
    def spans(self) -> list[tuple[int, int]]:
        return [(s.start, s.end) for s in self.sentences]


def _lines(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each line's content, line breaks excluded."""
    pos = 0
    for brk in _LINE_BREAK.finditer(text):
        yield pos, brk.start()
        pos = brk.end()
    yield pos, len(text)


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_paragraphs(text: str) -> list[Span]:
    """Runs of non-blank lines, trimmed of surrounding whitespace (indentation stays layout)."""
    paragraphs: list[Span] = []
    block: tuple[int, int] | None = None
    for start, end in _lines(text):
        if text[start:end].strip() == "":
            if block is not None:
                paragraphs.append(_trimmed_span(text, *block))
                block = None
            continue
        block = (start, end) if block is None else (block[0], end)
    if block is not None:
        paragraphs.append(_trimmed_span(text, *block))
    return paragraphs


def _trimmed_span(text: str, start: int, end: int) -> Span:
    start, end = _strip(text, start, end)
    return Span(start, end, text[start:end])


def _sentencex_pieces(line: str, lang: str) -> list[tuple[int, int]]:
    """Consecutive pieces covering ``line`` exactly, cut where sentencex puts boundaries."""
    import sentencex  # a small native extension; imported here so `import service` stays light

    # The Rust extension refuses lone surrogates; a same-length stand-in keeps offsets valid.
    probe = _SURROGATE.sub("\ufffd", line)
    try:
        boundaries = sentencex.get_sentence_boundaries(lang, probe)
    except Exception:  # noqa: BLE001 - a segmenter failure must not lose text: one piece then
        boundaries = []
    # Only the cut points are trusted, and they are clamped, so the pieces always tile the line.
    cuts = sorted({min(max(int(b["end_index"]), 0), len(line)) for b in boundaries} - {0, len(line)})
    edges = [0, *cuts, len(line)]
    return [(a, b) for a, b in zip(edges, edges[1:]) if a < b]


def _first_letter(piece: str) -> str:
    """The first character after leading whitespace and opening punctuation ("" if none)."""
    for ch in piece:
        if ch.isspace() or ch in _OPENERS:
            continue
        return ch
    return ""


def _should_merge(prev: str, nxt: str) -> bool:
    """Corrections to sentencex on news text; each rule answers a split it makes wrongly."""
    prev_core = prev.strip()
    # A continuation starting in lower case is not a new sentence. sentencex splits after
    # abbreviations it does not know or ellipses: "т.е. посол", "5 янв. в Пхеньян",
    # "Дальше... тишина", "«Да!» — сказал он". (Korean has no case, so this never fires there.)
    if _first_letter(nxt).islower():
        return True
    # Korean dates "2024. 6. 19." and list markers "1." are not sentences of their own.
    if _NUMBER_MARKER.fullmatch(prev_core):
        return True
    # A quotation glued to what follows is part of the sentence: Korean news quotes as
    # '"좋다."라고 말했다' / '"..."고 밝혔다' and sentencex cuts after the closing quote.
    if prev and not prev[-1].isspace() and prev_core[-1:] in _CLOSERS:
        first = nxt[:1]
        if first and (first.isalnum()):
            return True
    return False


def _cut_long(text: str, start: int, end: int, limit: int) -> Iterator[tuple[int, int]]:
    """Cut an over-long sentence at whitespace (at a comma/semicolon if possible) under ``limit``."""
    while end - start > limit:
        window = text[start : start + limit]
        cut = -1
        for pattern in (r"[,;:،、]\s", r"\s"):
            hits = [m.end() for m in re.finditer(pattern, window)]
            # Ignore cuts in the first half: they would leave a long remainder for little gain.
            hits = [h for h in hits if h > limit // 2]
            if hits:
                cut = hits[-1]
                break
        piece_end = start + (cut if cut > 0 else limit)
        a, b = _strip(text, start, piece_end)
        if a < b:
            yield a, b
        start, end = _strip(text, piece_end, end)
    if start < end:
        yield start, end


# Where a clause ends inside a sentence: after a comma, semicolon or colon (Latin, CJK, Arabic),
# or before a dash set off by spaces.
_CLAUSE_END = re.compile(r"[,;:،、，；：]\s*|\s(?=[—–]\s)")
_WHITESPACE_RUN = re.compile(r"\s+")


def fit_pieces(text: str, count: Callable[[str], int], max_pieces: int) -> list[tuple[int, int]]:
    """(start, end) parts of ``text`` of at most ``max_pieces`` pieces each, as ``count`` (a
    tokenizer's piece count) measures them; together they hold every non-space character.

    Each part is as long as fits: it ends at a clause boundary if one keeps the part at least half
    full, else at whitespace, else (text without spaces) between two characters. A text that
    already fits is one part. Parts never begin or end with whitespace."""
    parts: list[tuple[int, int]] = []
    start, end = _strip(text, 0, len(text))
    while start < end:
        if count(text[start:end]) <= max_pieces:
            parts.append((start, end))
            break
        cut = _fitting_cut(text, start, end, count, max_pieces)
        a, b = _strip(text, start, cut)
        if a < b:
            parts.append((a, b))
        start, end = _strip(text, cut, end)
    return parts


def _fitting_cut(text: str, start: int, end: int, count: Callable[[str], int], limit: int) -> int:
    """The furthest cut after ``start`` whose part fits ``limit`` pieces (clause, word, char)."""

    def fits(cut: int) -> bool:
        return count(text[start:cut].rstrip()) <= limit

    def furthest(cuts: list[int]) -> int | None:
        # Piece counts grow with the prefix, so the fitting cuts are a prefix of ``cuts``.
        lo, hi, best = 0, len(cuts) - 1, None
        while lo <= hi:
            mid = (lo + hi) // 2
            if fits(cuts[mid]):
                best, lo = cuts[mid], mid + 1
            else:
                hi = mid - 1
        return best

    for pattern, at_least in ((_CLAUSE_END, limit // 2), (_WHITESPACE_RUN, 1)):
        cut = furthest([m.end() for m in pattern.finditer(text, start, end) if start < m.end() < end])
        if cut is not None and count(text[start:cut].rstrip()) >= at_least:
            return cut
    cut = furthest(list(range(start + 1, end)))
    return cut if cut is not None else start + 1  # one character always goes: no endless loop


def split_sentences(text: str, lang: str, *, max_chars: int = MAX_SENTENCE_CHARS) -> list[Span]:
    """Sentences of ``text`` (any number of lines/paragraphs), offsets relative to ``text``."""
    spans: list[Span] = []
    for line_start, line_end in _lines(text):
        line = text[line_start:line_end]
        if not line.strip():
            continue
        merged: list[list[int]] = []
        for a, b in _sentencex_pieces(line, lang):
            if merged and _should_merge(line[merged[-1][0] : merged[-1][1]], line[a:b]):
                merged[-1][1] = b
            else:
                merged.append([a, b])
        for a, b in merged:
            a, b = _strip(line, a, b)
            for s, e in _cut_long(line, a, b, max_chars):
                spans.append(Span(line_start + s, line_start + e, line[s:e]))
    return spans


def segment(text: str, lang: str, *, max_chars: int = MAX_SENTENCE_CHARS) -> list[Paragraph]:
    """Paragraphs with their sentences; all offsets relative to ``text``."""
    result: list[Paragraph] = []
    for para in split_paragraphs(text):
        sents = [
            Span(para.start + s.start, para.start + s.end, s.text)
            for s in split_sentences(para.text, lang, max_chars=max_chars)
        ]
        result.append(Paragraph(para.start, para.end, sents))
    return result


def sentences(paragraphs: list[Paragraph]) -> list[Span]:
    """All sentences of all paragraphs, in document order."""
    return [s for p in paragraphs for s in p.sentences]


def rebuild(text: str, replacements: Mapping[tuple[int, int], str]) -> str:
    """``text`` with each ``(start, end)`` range replaced; every other character kept as is.

    Ranges must lie inside ``text`` and must not overlap (ValueError otherwise). An empty mapping
    gives back ``text`` unchanged.
    """
    out: list[str] = []
    pos = 0
    for (start, end), new in sorted(replacements.items()):
        if not 0 <= start <= end <= len(text):
            raise ValueError(f"range ({start}, {end}) lies outside a text of {len(text)} characters")
        if start < pos:
            raise ValueError(f"range ({start}, {end}) overlaps the previous one (ends at {pos})")
        out.append(text[pos:start])
        out.append(new)
        pos = end
    out.append(text[pos:])
    return "".join(out)
