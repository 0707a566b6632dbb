"""The one path an article takes: read (validate, parse, detect) -> segment -> (protect terms) ->
translate -> restore -> report.

Faces (CLI, HTTP, batch) call the pipeline's public operations and nothing below it:
``read`` (an article validated, parsed and its source language decided, once), ``translate`` /
``translate_many`` (raise on the first bad text) and ``translate_each`` (each text's result or
its error: one bad text never spoils the others), ``route`` and ``packages`` (which models),
``verify`` (the models translate their probe correctly). All sentences of all texts in one call
go to the engine together, per route hop, so a batch of articles costs one ``translate_batch``
per model rather than one per sentence.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from service import segment
from service.config import Settings
from service.detect import Detection, detect, detect_paragraphs
from service.engine import Engine
from service.errors import GlossaError, InputError, PackageError, UnsupportedLanguageError
from service.formats import Replacement
from service.formats import parse as parse_document
from service.glossary.enforce import Enforcer
from service.glossary.store import GlossaryStore
from service.inputs import validate_text
from service.languages import SUPPORTED_LANGUAGES, check_language_code, language_name
from service.models.package import InstalledPackage
from service.models.probes import check_probe, probe_for
from service.models.store import ModelStore
from service.results import (
    Article,
    SentenceAlignment,
    TermReport,
    TranslationRequest,
    TranslationResult,
    Verification,
)

__all__ = ["Article", "Pipeline", "TermReport", "TranslationRequest", "TranslationResult", "resolve_source"]

# What translate_each returns per request: its result, or the error that stopped it (a
# GlossaError for bad input; anything else is a bug the face reports as such).
Outcome = TranslationResult | Exception


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


def resolve_source(requested: str, text: str, detection: Detection | None = None) -> tuple[str, dict[str, Any] | None]:
    """(source language, detection info or None): the requested code, checked, or the detected
    language when ``requested`` is "auto", refusing languages Glossa does not translate.
    ``detection``: ``detect(text)`` if the caller already has it."""
    if requested and requested != "auto":
        return check_language_code(requested, "source"), None
    if detection is None:
        detection = detect(text)
    info = {"language": detection.language, "confidence": round(detection.confidence, 4)}
    if not detection.supported:
        raise UnsupportedLanguageError(
            f"the text looks like {detection.language!r} (confidence {detection.confidence:.2f}), "
            "which Glossa does not translate",
            hint=f"supported: {', '.join(SUPPORTED_LANGUAGES)}; "
                 "give the source language explicitly if the guess is wrong",
            detected=info,
        )
    return detection.language, info


class Pipeline:
    """Shared, thread-safe; build one per process and reuse it (models load once).

    ``settings`` come from the face's entry point; ``store`` and ``engine`` may be passed in to
    share them, otherwise they are created on first use so that building a Pipeline is free.
    """

    def __init__(self, settings: Settings, *, store: ModelStore | None = None, engine: Engine | None = None) -> None:
        self.settings = settings
        self._store = store
        self._engine = engine
        self._enforcer: Enforcer | None = None
        self._lock = threading.RLock()  # glossary_enforcer() builds the engine while holding it

    @property
    def store(self) -> ModelStore:
        if self._store is None:
            with self._lock:
                if self._store is None:
                    self._store = ModelStore(self.settings)
        return self._store

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            with self._lock:
                if self._engine is None:
                    self._engine = Engine(self.settings)
        return self._engine

    def glossary_enforcer(self) -> Enforcer:
        with self._lock:
            if self._enforcer is None:
                self._enforcer = Enforcer(self.engine, GlossaryStore(self.settings.glossary_dir))
        return self._enforcer

    # -- models ----------------------------------------------------------------------------

    def route(self, source: str, target: str) -> list[InstalledPackage]:
        """The packages a text goes through, in order: [direct] or [source->en, en->target];
        ModelNotFoundError names what to install."""
        return self.store.route(source, target)

    def packages(self) -> tuple[list[InstalledPackage], list[str]]:
        """(installed packages, one line per package directory that could not be read)."""
        return self.store.scan()

    def verify(self, source: str | None = None, target: str | None = None) -> list[Verification]:
        """Translate the probe sentence through the route ``source -> target``, or through each
        installed package when no pair is given, and check the output (``models.probes``).
        Raises PackageError when a model fails to load or translate at all."""
        if source is not None and target is not None:
            routes = [self.route(source, target)]
        else:
            installed = self.store.installed()
            if not installed:
                raise PackageError(
                    f"no packages installed in {self.store.packages_dir}",
                    hint="run `glossa models ensure` or `glossa models install en ko`",
                )
            routes = [[p] for p in installed]
        return [self._verify_route(route) for route in routes]

    def _verify_route(self, packages: list[InstalledPackage]) -> Verification:
        probe = probe_for(packages[0].from_code)
        text = probe
        for package in packages:
            try:
                text = self.engine.translate(package, [text])[0]
            except GlossaError:
                raise
            except Exception as exc:  # CTranslate2 / SentencePiece errors carry their own text
                raise PackageError(f"{package.pair} ({package.path.name}) fails to translate: {exc}") from None
        return Verification(packages=packages, probe=probe, output=text, problem=check_probe(packages, text))

    # -- translating -----------------------------------------------------------------------

    def read(self, text: str, *, source: str = "auto", format: str = "text", name: str = "text",
             detection: Detection | None = None) -> Article:
        """Validate, parse and decide the source language of a text, once; pass the Article in
        a TranslationRequest (``article=``) to translate it without doing any of that again.
        ``detection``: the detection of the document's plain text, if the caller has it."""
        validate_text(text, name=name, max_chars=self.settings.max_chars)
        document = parse_document(text, format)
        requested = (source or "").strip().lower() or "auto"
        resolved, detected = resolve_source(requested, document.plain_text(), detection)  # checks the code
        return Article(text=text, format=format, document=document,
                       requested_source="auto" if requested == "auto" else resolved,
                       source=resolved, detected=detected)

    def translate(self, text: str, *, target: str, source: str = "auto", format: str = "text",
                  glossary: bool = True, name: str = "text") -> TranslationResult:
        return self.translate_many([TranslationRequest(text, target, source, format, glossary, name=name)])[0]

    def translate_many(self, requests: Iterable[TranslationRequest]) -> list[TranslationResult]:
        """Translate several texts; their sentences share engine batches. The first bad text
        raises its error (before anything is translated when its input is bad)."""
        return [o for o in self._run(list(requests), isolate=False) if isinstance(o, TranslationResult)]

    def translate_each(self, requests: Iterable[TranslationRequest]) -> list[Outcome]:
        """Like translate_many, but each request gets its result or its own error: a bad text, a
        missing model or a failure inside the engine affects only the requests it belongs to."""
        return self._run(list(requests), isolate=True)

    def _run(self, requests: list[TranslationRequest], *, isolate: bool) -> list[Outcome]:
        outcomes: list[Outcome] = []
        articles: dict[int, Article] = {}
        sentences: list[_Sentence] = []
        for index, req in enumerate(requests):
            try:
                target = check_language_code(req.target, "target")
                article = req.article or self.read(req.text, source=req.source, format=req.format, name=req.name)
                if article.source == target and article.requested_source != "auto":
                    raise InputError(f"source and target are both {target}: nothing to translate")
            except GlossaError as exc:
                if not isolate:
                    raise
                outcomes.append(exc)
                continue
            articles[index] = article
            result = TranslationResult(translation="", source=article.source, target=target,
                                       detected=article.detected)
            result.warnings.extend(article.document.notes)  # blocks the format layer left untranslated
            sentences.extend(self._sentences(index, article, target, result))
            if article.source == target:
                result.warnings.append(f"the text is already in {language_name(target)}; returned unchanged")
            outcomes.append(result)

        failed = self._translate_sentences(sentences, requests, outcomes, isolate=isolate)
        for job, error in failed.items():
            outcomes[job] = error

        by_job: dict[int, list[_Sentence]] = {}
        for s in sentences:
            by_job.setdefault(s.job, []).append(s)
        for index, outcome in enumerate(outcomes):
            if isinstance(outcome, TranslationResult):
                self._assemble(articles[index], outcome, by_job.get(index, []))
        return outcomes

    # -- steps -------------------------------------------------------------------------------

    def _sentences(self, job: int, article: Article, target: str, result: TranslationResult) -> list[_Sentence]:
        """The sentences of an article that need translating (paragraphs already in the target,
        or in a language Glossa does not translate, are kept as they are)."""
        found = []
        for unit_index, unit in enumerate(article.document.units):
            for para_start, para_end, para_lang in self._paragraph_languages(unit.text, article):
                if para_lang == target:
                    continue  # already in the target language: kept as it is
                if para_lang not in SUPPORTED_LANGUAGES:
                    result.warnings.append(
                        f"a paragraph at offset {unit.source_offset(para_start)} looks like {para_lang!r}, "
                        "which Glossa does not translate; it was left as it is")
                    continue
                for span in segment.split_sentences(unit.text[para_start:para_end], para_lang):
                    start = para_start + span.start
                    found.append(_Sentence(job, unit_index, start, start + len(span.text), span.text, para_lang))
        return found

    def _paragraph_languages(self, text: str, article: Article) -> list[tuple[int, int, str]]:
        """(start, end, language) per paragraph: mixed articles are detected paragraph by paragraph
        when the source is auto; an explicit source applies to the whole text."""
        source = article.source
        if article.requested_source != "auto":
            return [(0, len(text), source)]
        spans = []
        for start, end, detection in detect_paragraphs(text):
            language = detection.language
            if language == "und" or (language != source and detection.confidence < 0.8):
                language = source  # too little to go on: trust the article's language
            spans.append((start, end, language))
        return spans

    def _translate_sentences(self, sentences: list[_Sentence], requests: list[TranslationRequest],
                             outcomes: list[Outcome], *, isolate: bool) -> dict[int, Exception]:
        """Fill each sentence's output; returns the jobs that failed (only when ``isolate``)."""
        groups: dict[tuple[str, str, bool], list[_Sentence]] = {}
        for s in sentences:
            result = outcomes[s.job]
            assert isinstance(result, TranslationResult)
            groups.setdefault((s.source, result.target, requests[s.job].glossary), []).append(s)
        failed: dict[int, Exception] = {}
        demo_jobs: set[int] = set()
        for (source, target, use_glossary), group in groups.items():
            try:
                route = self.route(source, target)
            except GlossaError as exc:
                if not isolate:
                    raise
                failed.update((s.job, exc) for s in group)
                continue
            used = [p.describe() for p in route]
            for s in group:
                result = outcomes[s.job]
                assert isinstance(result, TranslationResult)
                result.models.extend(m for m in used if m not in result.models)
                if any(p.demo for p in route):
                    demo_jobs.add(s.job)
            if not isolate:
                self._translate_group(route, group, source, target, use_glossary)
                continue
            try:
                self._translate_group(route, group, source, target, use_glossary)
            except Exception:  # noqa: BLE001 - redone per job below, so the failure finds its owner
                for job in sorted({s.job for s in group}):
                    try:
                        self._translate_group(route, [s for s in group if s.job == job], source, target,
                                              use_glossary)
                    except Exception as exc:  # noqa: BLE001 - that job's error, reported to its caller
                        failed[job] = exc
        for job in sorted(demo_jobs - set(failed)):
            result = outcomes[job]
            assert isinstance(result, TranslationResult)
            result.warnings.append(
                "translated with DEMO models (tiny models trained on a synthetic vocabulary): "
                "not real translation; install official models with `glossa models install`")
        return failed

    def _translate_group(self, route: list[InstalledPackage], group: list[_Sentence], source: str, target: str,
                         use_glossary: bool) -> None:
        if use_glossary:
            outcomes = self.glossary_enforcer().translate(route, [s.text for s in group], source, target)
            for s, outcome in zip(group, outcomes):
                s.output = outcome.text
                s.warnings = list(outcome.warnings)
                s.terms = list(outcome.terms)  # sentence-relative; placed in the document later
        else:
            texts = [s.text for s in group]
            for package in route:
                texts = self.engine.translate(package, texts)
            for s, text in zip(group, texts):
                s.output = text

    @staticmethod
    def _assemble(article: Article, result: TranslationResult, sentences: Sequence[_Sentence]) -> None:
        """Put the translated sentences back into the document and the terms into source offsets."""
        document = article.document
        per_unit: list[list[Replacement]] = [[] for _ in document.units]
        for s in sentences:
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
