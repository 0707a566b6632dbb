"""What every format shares: the placeholder syntax for protected markup, the ``Unit`` of
translatable text, and the ``Document`` that puts translations back.

The placeholder syntax is defined here once; the glossary's enforcer uses the same ``⟦n⟧``
markers (numbered after the markup's, so the two never collide).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["PLACEHOLDER", "PLACEHOLDER_RE", "Document", "Replacement", "Unit", "number_from_zero",
           "source_index", "unit_names"]

# A placeholder stands for markup (or a glossary term) inside translatable text: ``⟦0⟧``, ``⟦1⟧``...
PLACEHOLDER = "⟦{}⟧"
PLACEHOLDER_RE = re.compile(r"⟦(\d+)⟧")
# What a placeholder the model invented is renamed to: no unit has it, so render drops it.
_INVENTED = PLACEHOLDER.format(10**9)


def number_from_zero(sentence: str) -> tuple[str, dict[str, str]]:
    """(the sentence with its placeholders renumbered ``⟦0⟧``, ``⟦1⟧``... in order, their unit
    names by new name). A unit numbers its placeholders across all its sentences; a model
    trained with placeholders saw each sentence's numbered from 0 (and a later sentence's
    ``⟦7⟧`` comes back as ``⟦0⟧``), so the model is given the sentence renumbered."""
    names: dict[str, str] = {}

    def local(match: re.Match[str]) -> str:
        name = match.group(0)
        if name not in names:
            names[name] = PLACEHOLDER.format(len(names))
        return names[name]

    text = PLACEHOLDER_RE.sub(local, sentence)
    return text, {new: old for old, new in names.items()}


def unit_names(output: str, names: dict[str, str]) -> str:
    """A translation of a ``number_from_zero`` sentence with the unit's names back; a placeholder
    the sentence did not have gets a name no unit has (render drops it with a warning)."""
    if not names and "⟦" not in output:
        return output
    return PLACEHOLDER_RE.sub(lambda m: names.get(m.group(0), _INVENTED), output)


def source_index(sentence: str, names: dict[str, str], index: int) -> int:
    """Position in the unit-named sentence of position ``index`` of its renumbered text."""
    shift = sum(len(names.get(m.group(0), m.group(0))) - len(m.group(0))
                for m in PLACEHOLDER_RE.finditer(sentence, 0, index))
    return index + shift


@dataclass(frozen=True)
class Unit:
    """Translatable text. ``start``/``end``: its span in the source document, replaced whole on
    render. ``protected`` maps a placeholder in ``text`` to the markup it stands for."""

    start: int
    end: int
    text: str
    protected: dict[str, str] = field(default_factory=dict)

    def source_offset(self, index: int) -> int:
        """Position in the source document of position ``index`` of ``text`` (exact when the unit
        holds no placeholders, as for plain text; otherwise the nearest approximation)."""
        if not self.protected:
            return self.start + index
        shift = 0
        for match in PLACEHOLDER_RE.finditer(self.text, 0, index):
            shift += len(self.protected.get(match.group(0), match.group(0))) - len(match.group(0))
        return min(self.start + index + shift, self.end)

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The source span of ``text[start:end]``."""
        return self.source_offset(start), self.source_offset(end)


@dataclass(frozen=True)
class Replacement:
    """A sentence span of a unit's text (unit-relative offsets) and its translation."""

    start: int
    end: int
    output: str


@dataclass
class Document:
    source: str
    format: str
    units: list[Unit] = field(default_factory=list)
    # Parts of the document the format layer could not map exactly and left untranslated.
    notes: list[str] = field(default_factory=list)

    def plain_text(self) -> str:
        """The human text only (placeholders removed), for language detection."""
        return "\n\n".join(PLACEHOLDER_RE.sub(" ", unit.text) for unit in self.units)

    def encode_output(self, text: str, *, unit_start: bool) -> str:
        """A translation as it must appear in the format's source (placeholders untouched):
        HTML escapes ``&<>``, Markdown escapes what would start markup; plain text is as is.
        ``unit_start``: the sentence begins its unit (for formats where a line start matters)."""
        return text

    def render(self, replacements: list[list[Replacement]]) -> tuple[str, list[tuple[int, int, int, int]], list[str]]:
        """(document, alignments, warnings). ``replacements[i]`` are unit i's translated sentences.

        A sentence returned unchanged gives back its exact source bytes (entities, line wraps
        included), so rendering untranslated text is the identity. Alignments are (source_start,
        source_end, target_start, target_end) per sentence, in document offsets. Placeholders
        the model repeated or invented are dropped, markup whose placeholder it lost is appended
        to the sentence (nothing is lost); both are reported as warnings.
        """
        pieces: list[str] = []
        alignments: list[tuple[int, int, int, int]] = []
        warnings: list[str] = []
        length = cursor = 0

        def emit(piece: str) -> None:
            nonlocal length
            pieces.append(piece)
            length += len(piece)

        for unit, unit_replacements in zip(self.units, replacements):
            emit(self.source[cursor:unit.start])
            raw_cursor = unit.start
            for rep in sorted(unit_replacements, key=lambda r: r.start):
                raw_start, raw_end = unit.source_span(rep.start, rep.end)
                raw_start = max(raw_start, raw_cursor)
                raw_end = max(raw_end, raw_start)
                emit(self.source[raw_cursor:raw_start])
                target_start = length
                view = unit.text[rep.start:rep.end]
                if rep.output == view:
                    emit(self.source[raw_start:raw_end])
                else:
                    # A sentence restores only its own markup (another sentence's would be doubled).
                    own = {name: markup for name, markup in unit.protected.items() if name in view}
                    translated, extra = _drop_extra_placeholders(rep.output, own)
                    if extra:
                        warnings.append(f"placeholders {', '.join(extra)} repeated or invented by the model "
                                        f"near offset {raw_start} were removed")
                    output, lost = _restore_checked(view, self.encode_output(translated, unit_start=rep.start == 0),
                                                   unit.protected)
                    emit(output)
                    if lost:
                        warnings.append(f"markup {', '.join(repr(m) for m in lost)} near offset {raw_start} "
                                        "was moved to the end of its sentence")
                alignments.append((raw_start, raw_end, target_start, length))
                raw_cursor = raw_end
            emit(self.source[raw_cursor:unit.end])
            cursor = max(cursor, unit.end)
        emit(self.source[cursor:])
        return "".join(pieces), alignments, warnings


def _restore(text: str, protected: dict[str, str]) -> str:
    if not protected:
        return text
    return PLACEHOLDER_RE.sub(lambda m: protected.get(m.group(0), m.group(0)), text)


def _drop_extra_placeholders(output: str, protected: dict[str, str]) -> tuple[str, list[str]]:
    """Keep the first occurrence of each known placeholder; drop repeats (markup restored twice
    would unbalance tags) and unknown ones (they stand for nothing)."""
    if not protected and "⟦" not in output:
        return output, []
    seen: set[str] = set()
    extra: list[str] = []

    def keep_once(match: re.Match[str]) -> str:
        name = match.group(0)
        if name in protected and name not in seen:
            seen.add(name)
            return name
        extra.append(name)
        return ""

    cleaned = PLACEHOLDER_RE.sub(keep_once, output)
    if extra:
        cleaned = re.sub(r"[ \t]{2,}", " ", cleaned)
    return cleaned, extra


def _restore_checked(source: str, output: str, protected: dict[str, str]) -> tuple[str, list[str]]:
    """Restore markup in a translated sentence; markup missing from the output is appended."""
    if not protected:
        return output, []
    wanted = [m.group(0) for m in PLACEHOLDER_RE.finditer(source) if m.group(0) in protected]
    present = {m.group(0) for m in PLACEHOLDER_RE.finditer(output)}
    lost = [p for p in wanted if p not in present]
    restored = _restore(output, protected)
    if lost:
        restored = restored.rstrip() + " " + " ".join(protected[p] for p in lost)
    return restored, [protected[p] for p in lost]
