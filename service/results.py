"""What a translation returns, shared by every layer: the pipeline builds these, the glossary's
enforcer reports ``TermReport``s, and the faces serialise them (``to_dict``).

They live apart from ``service.pipeline`` so that lower layers (the glossary) can name them
without importing the pipeline that imports them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from service.formats.base import Document
from service.models.package import InstalledPackage

__all__ = ["Article", "SentenceAlignment", "TermReport", "TranslationRequest", "TranslationResult", "Verification"]


@dataclass
class TermReport:
    """One occurrence of a glossary concept in the source text and what became of it."""

    concept: str
    category: str
    source_start: int
    source_end: int
    source_text: str
    rendering: str
    status: str  # "applied" | "misinflected" | "missed" | "unexpected" (see docs/glossary.md)
    strategy: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "concept": self.concept,
            "category": self.category,
            "source": {"start": self.source_start, "end": self.source_end, "text": self.source_text},
            "rendering": self.rendering,
            "status": self.status,
            "strategy": self.strategy,
        }


@dataclass
class SentenceAlignment:
    source_start: int
    source_end: int
    target_start: int
    target_end: int


@dataclass
class TranslationResult:
    translation: str
    source: str
    target: str
    detected: dict[str, Any] | None
    terms: list[TermReport] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    models: list[str] = field(default_factory=list)
    sentences: list[SentenceAlignment] = field(default_factory=list)
    # Other translations of the whole text, when the request asked for them
    # (``TranslationRequest.alternatives``); the faces that offer them serialise them.
    alternatives: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "translation": self.translation,
            "source": self.source,
            "target": self.target,
            "detected": self.detected,
            "terms": [t.to_dict() for t in self.terms],
            "warnings": list(self.warnings),
            "models": list(self.models),
            "sentences": [s.__dict__ for s in self.sentences],
        }


@dataclass(frozen=True)
class Article:
    """A text as the pipeline read it (``Pipeline.read``): validated, parsed for its format, its
    source language decided (``detected`` when that took a detection). Reused, not redone, when
    passed back in a ``TranslationRequest``."""

    text: str
    format: str
    document: Document
    requested_source: str  # "auto" or a checked language code
    source: str
    detected: dict[str, Any] | None
    detection: Any = None  # the whole text's Detection when one was made (a given source is checked with it)
    # Per document unit: (start, end, language) of each paragraph, unit-relative.
    paragraphs: list[list[tuple[int, int, str]]] = field(default_factory=list)


@dataclass
class TranslationRequest:
    text: str
    target: str
    source: str = "auto"
    format: str = "text"
    # True: the house glossary; False: none; a name: that named glossary, whose entries override
    # the house glossary's for the same term (the house one still applies unless house_glossary
    # is False).
    glossary: bool | str = True
    force_source: bool = False  # take a given source on trust (see pipeline.resolve_source)
    name: str = "text"  # how errors name the text ("texts[2]", a file name)
    article: Article | None = None  # the text already read: not validated, parsed or detected again
    house_glossary: bool = True
    # How many other translations of the whole text to return beside the best one: real model
    # hypotheses (see Pipeline.translate_sentences), possibly fewer; 0: none and no extra work.
    alternatives: int = 0


@dataclass
class Verification:
    """A probe sentence translated through a route, and what is wrong with the output (None: right)."""

    packages: list[InstalledPackage]
    probe: str
    output: str
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None
