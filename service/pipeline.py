"""The one path an article takes: detect -> segment -> (protect terms) -> translate -> restore -> report.

Faces (CLI, HTTP, batch) call ``Pipeline.translate`` / ``translate_many``; they never touch the
engine. All sentences of all texts in one call go to the engine together, per route hop, so a
batch of articles costs one ``translate_batch`` per model rather than one per sentence.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from service.config import Settings
from service.errors import InputError, UnsupportedLanguageError
from service.formats import Replacement
from service.formats import parse as parse_document
from service.inputs import validate_text
from service.languages import SUPPORTED_LANGUAGES, check_language_code, language_name
from service.results import SentenceAlignment, TermReport, TranslationRequest, TranslationResult


@dataclass
class _Sentence:
    """A sentence on its way through the route: where it came from and what it became."""

    job: int
    unit: int
    start: int  # offsets inside the unit's text
    end: int
    text: str
    source: str
    output: str = ""
    terms: list[TermReport] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def resolve_source(requested: str, text: str, detection: Any = None) -> tuple[str, dict[str, Any] | None]:
    """(source language, detection info or None): the requested code, checked, or the detected
    language when ``requested`` is "auto", refusing languages Glossa does not translate. The
    pipeline and batch runs decide the same way here. ``detection``: ``detect(text)`` if the
    caller already has it."""
    if requested and requested != "auto":
        return check_language_code(requested, "source"), None
    if detection is None:
        from service.detect import detect

        detection = detect(text)
    info = {"language": detection.language, "confidence": round(detection.confidence, 4)}
    if not detection.supported:
        raise UnsupportedLanguageError(
            f"the text looks like {detection.language!r} (confidence {detection.confidence:.2f}), "
            "which Glossa does not translate",
            hint=f"supported: {', '.join(SUPPORTED_LANGUAGES)}; "
                 "give the source language explicitly if the guess is wrong",
        )
    return detection.language, info


class Pipeline:
    """Shared, thread-safe; build one per process and reuse it (models load once)."""

    def __init__(self, settings: Settings | None = None, *, store: Any = None, engine: Any = None) -> None:
        self.settings = settings or Settings.from_env()
        self._store = store
        self._engine = engine
        self._lock = threading.RLock()  # glossary_enforcer() builds the engine while holding it

    # Heavy parts are created on first use so that building a Pipeline (e.g. for --help) is free.
    @property
    def store(self):
        if self._store is None:
            with self._lock:
                if self._store is None:
                    from service.models.store import ModelStore

                    self._store = ModelStore(self.settings)
        return self._store

    @property
    def engine(self):
        if self._engine is None:
            with self._lock:
                if self._engine is None:
                    from service.engine import Engine

                    self._engine = Engine(self.settings)
        return self._engine

    def glossary_enforcer(self):
        from service.glossary.enforce import Enforcer

        with self._lock:
            if getattr(self, "_enforcer", None) is None:
                from service.glossary.store import GlossaryStore

                self._enforcer = Enforcer(self.engine, GlossaryStore(self.settings.glossary_dir))
        return self._enforcer

    def translate(self, text: str, *, target: str, source: str = "auto", format: str = "text",
                  glossary: bool = True) -> TranslationResult:
        return self.translate_many([TranslationRequest(text, target, source, format, glossary)])[0]

    def translate_many(self, requests: Iterable[TranslationRequest]) -> list[TranslationResult]:
        """Translate several texts; their sentences share engine batches."""
        from service import segment

        requests = list(requests)
        results: list[TranslationResult] = []
        documents = []
        sentences: list[_Sentence] = []
        for index, req in enumerate(requests):
            target = check_language_code(req.target, "target")
            validate_text(req.text, name="text", max_chars=self.settings.max_chars)
            document = parse_document(req.text, req.format)
            source, detected = resolve_source(req.source, document.plain_text())
            if source == target and req.source != "auto":
                raise InputError(f"source and target are both {source}: nothing to translate")
            result = TranslationResult(translation="", source=source, target=target, detected=detected)
            result.warnings.extend(document.notes)  # blocks the format layer left untranslated
            for unit_index, unit in enumerate(document.units):
                for para_start, para_end, para_lang in self._paragraph_languages(unit.text, source, req.source):
                    if para_lang == target:
                        continue  # already in the target language: kept as it is
                    if para_lang not in SUPPORTED_LANGUAGES:
                        result.warnings.append(
                            f"a paragraph at offset {unit.source_offset(para_start)} looks like {para_lang!r}, "
                            "which Glossa does not translate; it was left as it is")
                        continue
                    for span in segment.split_sentences(unit.text[para_start:para_end], para_lang):
                        start = para_start + span.start
                        sentences.append(_Sentence(index, unit_index, start, start + len(span.text),
                                                   span.text, para_lang))
            if source == target:
                result.warnings.append(f"the text is already in {language_name(target)}; returned unchanged")
            documents.append(document)
            results.append(result)

        self._translate_sentences(sentences, requests, results)

        by_job: dict[int, list[_Sentence]] = {}
        for s in sentences:
            by_job.setdefault(s.job, []).append(s)
        for index, (document, result) in enumerate(zip(documents, results)):
            per_unit: list[list[Replacement]] = [[] for _ in document.units]
            for s in by_job.get(index, []):
                per_unit[s.unit].append(Replacement(s.start, s.end, s.output))
                unit = document.units[s.unit]
                for term in s.terms:
                    term.source_start = unit.source_offset(s.start + term.source_start)
                    term.source_end = unit.source_offset(s.start + term.source_end)
                    result.terms.append(term)
                result.warnings.extend(s.warnings)
            result.translation, alignments, markup_warnings = document.render(per_unit)
            result.sentences = [SentenceAlignment(*a) for a in alignments]
            result.warnings.extend(markup_warnings)
            result.terms.sort(key=lambda t: t.source_start)
        return results

    # -- steps -------------------------------------------------------------------------------

    def _paragraph_languages(self, text: str, source: str, requested: str) -> list[tuple[int, int, str]]:
        """(start, end, language) per paragraph: mixed articles are detected paragraph by paragraph
        when the source is auto; an explicit source applies to the whole text."""
        if requested and requested != "auto":
            return [(0, len(text), source)]
        from service.detect import detect_paragraphs

        spans = []
        for start, end, detection in detect_paragraphs(text):
            language = detection.language
            if language == "und" or (language != source and detection.confidence < 0.8):
                language = source  # too little to go on: trust the article's language
            spans.append((start, end, language))
        return spans

    def _translate_sentences(self, sentences: list[_Sentence], requests: list[TranslationRequest],
                             results: list[TranslationResult]) -> None:
        groups: dict[tuple[str, str, bool], list[_Sentence]] = {}
        for s in sentences:
            target = results[s.job].target
            groups.setdefault((s.source, target, requests[s.job].glossary), []).append(s)
        demo_jobs: set[int] = set()
        for (source, target, use_glossary), group in groups.items():
            route = self.store.route(source, target)
            used = [p.describe() for p in route]
            for s in group:
                models = results[s.job].models
                models.extend(m for m in used if m not in models)
                if any(p.demo for p in route):
                    demo_jobs.add(s.job)
            if use_glossary:
                outcomes = self.glossary_enforcer().translate(route, [s.text for s in group], source, target)
                for s, outcome in zip(group, outcomes):
                    s.output = outcome.text
                    s.warnings.extend(outcome.warnings)
                    s.terms.extend(outcome.terms)  # sentence-relative; placed in the document later
            else:
                texts = [s.text for s in group]
                for package in route:
                    texts = self.engine.translate(package, texts)
                for s, text in zip(group, texts):
                    s.output = text
        for job in sorted(demo_jobs):
            results[job].warnings.append(
                "translated with DEMO models (tiny models trained on a synthetic vocabulary): "
                "not real translation; install official models with `glossa models install`")

