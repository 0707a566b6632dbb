"""Input formats: which parts of a document are human text to translate, and how to put the
translations back without touching anything else.

Every format yields ``Unit``s: runs of translatable text with their offset in the original
document. The pipeline splits units into sentences and hands back a translation per sentence
span (absolute offsets); ``Document.render`` rebuilds the document around them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from service.errors import InputError


@dataclass(frozen=True)
class Unit:
    start: int
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass
class Document:
    source: str
    format: str
    units: list[Unit] = field(default_factory=list)

    def plain_text(self) -> str:
        """The human text only, for language detection."""
        return "\n\n".join(unit.text for unit in self.units)

    def render(self, outputs: dict[tuple[int, int], str]):
        """The document with each (start, end) span replaced by its output, and the sentence
        alignments (source span -> target span) for every replaced span."""
        from service.pipeline import SentenceAlignment

        pieces: list[str] = []
        alignments: list[SentenceAlignment] = []
        cursor = 0
        length = 0
        for (start, end), output in sorted(outputs.items()):
            if start < cursor:
                raise ValueError(f"overlapping spans at {start}")
            kept = self.source[cursor:start]
            pieces.append(kept)
            length += len(kept)
            pieces.append(output)
            alignments.append(SentenceAlignment(start, end, length, length + len(output)))
            length += len(output)
            cursor = end
        pieces.append(self.source[cursor:])
        return "".join(pieces), alignments


def parse(text: str, format: str) -> Document:
    if format == "text":
        return Document(text, format, [Unit(0, text)])
    if format == "markdown":
        from service.formats.markdown import parse_markdown

        return parse_markdown(text)
    if format == "html":
        from service.formats.html import parse_html

        return parse_html(text)
    raise InputError(f"unknown format {format!r}", hint="use text, markdown or html")
