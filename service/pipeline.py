"""The one path an article takes: detect -> segment -> (protect terms) -> translate -> restore -> report.

Faces (CLI, HTTP, batch) call ``Pipeline.translate`` / ``translate_many``; they never touch the
engine. All sentences of all texts in one call go to the engine together, per route hop, so a
batch of articles costs one ``translate_batch`` per model rather than one per sentence.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Iterable

from service import SUPPORTED_LANGUAGES
from service.config import Settings
from service.errors import InputError, NothingToTranslateError, SourceMismatchError, UnsupportedLanguageError
from service.formats import Replacement, parse as parse_document
from service.inputs import validate_text

FORMATS = ("text", "markdown", "html")
LANGUAGE_NAMES = {"en": "English", "ko": "Korean", "ru": "Russian"}
# A translation with fewer than 1/_INCOMPLETE_RATIO of its source's pieces is flagged as possibly
# incomplete (no pair of ours shrinks text that much); short sentences vary too much to judge.
_INCOMPLETE_RATIO = 4
_INCOMPLETE_MIN_PIECES = 32


@dataclass
class TermReport:
    """One occurrence of a glossary concept in the source text and what became of it."""

    concept: str
    category: str
    source_start: int
    source_end: int
    source_text: str
    rendering: str
    status: str  # "applied" | "missed" | "unexpected" (in the translation, not in the source)
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


@dataclass
class TranslationRequest:
    text: str
    target: str
    source: str = "auto"
    format: str = "text"
    glossary: bool = True
    force_source: bool = False  # take a given source on trust (see resolve_source)


@dataclass(eq=False)
class PreparedText:
    """One request between ``Pipeline.prepare`` and ``Pipeline.finish``."""

    request: TranslationRequest
    document: Any
    result: TranslationResult
    sentences: list[_Sentence] = field(default_factory=list)
    demo: bool = False  # a demo model translated some of it
    mentions_found: set[str] = field(default_factory=set)  # source languages whose mentions are known


@dataclass(eq=False)
class _Sentence:
    """A sentence on its way through the route: where it came from and what it became."""

    owner: PreparedText
    unit: int
    start: int  # offsets inside the unit's text
    end: int
    text: str
    source: str
    output: str = ""
    terms: list[TermReport] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # from preparing it
    # From translating it: replaced, not extended, when a sentence is translated again (the HTTP
    # queue retries the requests of a failed round).
    translation_warnings: list[str] = field(default_factory=list)
    mentions: list[Any] = field(default_factory=list)  # its second mentions, found in prepare()


def check_language_code(code: str, role: str) -> str:
    code = (code or "").strip().lower()
    if code not in SUPPORTED_LANGUAGES:
        raise UnsupportedLanguageError(
            f"{role} language {code!r} is not supported",
            hint=f"supported: {', '.join(SUPPORTED_LANGUAGES)}",
        )
    return code


def resolve_source(requested: str, text: str, detection: Any = None, *,
                   force: bool = False) -> tuple[str, dict[str, Any] | None]:
    """(source language, detection info or None): the requested code, checked against the text,
    or the detected language when ``requested`` is "auto", refusing languages Glossa does not
    translate. The pipeline and batch runs decide the same way here. ``detection``:
    ``detect(text)`` if the caller already has it. ``force``: take a given source on trust."""
    if requested and requested != "auto":
        code = check_language_code(requested, "source")
        if not force:
            _check_given_source(code, text, detection)
        return code, None
    if detection is None:
        from service.detect import detect

        detection = detect(text)
    info = {"language": detection.language, "confidence": round(detection.confidence, 4)}
    if not detection.supported:
        raise UnsupportedLanguageError(
            f"the text looks like {detection.language!r} (confidence {detection.confidence:.2f}), "
            "which Glossa does not translate",
            hint=f"supported: {', '.join(SUPPORTED_LANGUAGES)}; give the source language explicitly if the guess is wrong",
        )
    return detection.language, info


# Detection confidence from which a given source naming another supported language is refused.
CONTRADICTION_CONFIDENCE = 0.8


def _check_given_source(code: str, text: str, detection: Any) -> None:
    """Refuse a given source that the text contradicts: translating Korean text "from Russian"
    returns confident garbage, never an error, so the mistake must be caught here."""
    from service.detect import detect, script_letters

    letters = script_letters(text)
    if not any(letters.values()):
        return  # numbers and punctuation: nothing to contradict
    if detection is None:
        detection = detect(text)
    found = None
    if code == "ko" and not letters["HANGUL"]:
        found = "it has no Hangul"
    elif code == "ru" and not letters["CYRILLIC"]:
        found = "it has no Cyrillic letters"
    elif code == "en" and detection.language in ("ko", "ru") and detection.confidence >= 0.5:
        found = f"it is written in {'Hangul' if detection.language == 'ko' else 'Cyrillic'}"
    elif (detection.supported and detection.language != code
          and detection.confidence >= CONTRADICTION_CONFIDENCE):
        found = "detection disagrees"
    if found:
        raise SourceMismatchError(
            f"source {code!r} ({LANGUAGE_NAMES[code]}) contradicts the text: {found}; it looks like "
            f"{detection.language!r} (confidence {detection.confidence:.2f})",
            hint="give the right source or auto; force_source (HTTP) / --force-source (CLI) "
                 "translates from the given source anyway")


def _written_in(text: str, language: str) -> bool:
    """Most of the paragraph's letters are in the script of ``language``."""
    from service.detect import script_letters

    letters = script_letters(text)
    script = {"ko": "HANGUL", "ru": "CYRILLIC", "en": "LATIN"}[language]
    return letters[script] * 2 > sum(letters.values())


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
                  glossary: bool = True, force_source: bool = False) -> TranslationResult:
        return self.translate_many([TranslationRequest(text, target, source, format, glossary, force_source)])[0]

    def translate_many(self, requests: Iterable[TranslationRequest]) -> list[TranslationResult]:
        """Translate several texts; their sentences share engine batches. The first bad request
        raises; ``prepare`` each request yourself to keep the good ones (the HTTP queue does)."""
        prepared = [self.prepare(req) for req in requests]
        self.translate_sentences([s for p in prepared for s in p.sentences])
        return [self.finish(p) for p in prepared]

    # A request is translated in three steps so that the HTTP queue can validate each request on
    # its own (one bad request never joins a shared batch) and interleave the sentences of many
    # requests fairly (a large article cannot hold the engine for everybody else).
    def prepare(self, req: TranslationRequest) -> PreparedText:
        """Validate, parse, detect and segment one request; its sentences are ready for the engine.
        Raises a GlossaError for bad input. No model decodes anything here."""
        from service import segment

        target = check_language_code(req.target, "target")
        if req.format not in FORMATS:
            raise InputError(f"format {req.format!r} is not one of {', '.join(FORMATS)}")
        validate_text(req.text, name="text", max_chars=self.settings.max_chars)
        document = parse_document(req.text, req.format)
        source, detected = resolve_source(req.source, document.plain_text(), force=req.force_source)
        if source == target and req.source != "auto":
            raise InputError(f"source and target are both {source}: nothing to translate")
        result = TranslationResult(translation="", source=source, target=target, detected=detected)
        result.warnings.extend(document.notes)  # blocks the format layer left untranslated
        prepared = PreparedText(req, document, result)
        for unit_index, unit in enumerate(document.units):
            paragraphs = self._paragraph_languages(unit.text, source, req.source)
            if detected is not None:  # the JSON result shows each paragraph's language
                detected.setdefault("paragraphs", []).extend(
                    {"start": unit.source_offset(a), "end": unit.source_offset(b), "language": lang}
                    for a, b, lang in paragraphs)
            for para_start, para_end, para_lang in paragraphs:
                if para_lang == target:
                    continue  # already in the target language: kept as it is
                if para_lang not in SUPPORTED_LANGUAGES:
                    result.warnings.append(
                        f"a paragraph at offset {unit.source_offset(para_start)} looks like {para_lang!r}, "
                        "which Glossa does not translate; it was left as it is")
                    continue
                for span in segment.split_sentences(unit.text[para_start:para_end], para_lang):
                    start = para_start + span.start
                    prepared.sentences.append(_Sentence(prepared, unit_index, start, start + len(span.text),
                                                        span.text, para_lang))
        if source == target:
            if not prepared.sentences:
                # One behaviour on every face (README, CLI, HTTP): nothing to translate is an error.
                raise NothingToTranslateError(
                    f"the text is already in {LANGUAGE_NAMES[target]} (detected): nothing to translate",
                    hint="choose another target language, or give the source language if the guess is wrong")
            result.warnings.append(f"the text is mostly in {LANGUAGE_NAMES[target]} already; only the "
                                   "paragraphs in other languages were translated")
        for language in {s.source for s in prepared.sentences}:
            self.store.route(language, target)  # a missing model is this request's error, found now
        prepared.sentences = self._fit_to_models(prepared)
        return prepared

    def translate_sentences(self, sentences: list[_Sentence]) -> None:
        """Translate prepared sentences of any requests together (fills each sentence's output)."""
        self._translate_sentences(sentences)

    def finish(self, prepared: PreparedText) -> TranslationResult:
        """Put the translated sentences back into the document: the request's result."""
        document, result = prepared.document, prepared.result
        per_unit: list[list[Replacement]] = [[] for _ in document.units]
        for s in prepared.sentences:
            per_unit[s.unit].append(Replacement(s.start, s.end, s.output))
            unit = document.units[s.unit]
            for term in s.terms:
                term.source_start = unit.source_offset(s.start + term.source_start)
                term.source_end = unit.source_offset(s.start + term.source_end)
                result.terms.append(term)
            result.warnings.extend(s.warnings + s.translation_warnings)
        if prepared.demo:
            result.warnings.append(
                "translated with DEMO models (tiny models trained on a synthetic vocabulary): "
                "not real translation; install official models with `glossa models install`")
        result.translation, alignments, markup_warnings = document.render(per_unit)
        result.sentences = [SentenceAlignment(*a) for a in alignments]
        result.warnings.extend(markup_warnings)
        result.terms.sort(key=lambda t: t.source_start)
        return result

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
            elif language in SUPPORTED_LANGUAGES and language != source and not _written_in(text[start:end], language):
                # "Kim Jong-un (김정은)" inside English copy: a Hangul name in brackets does not make
                # the paragraph Korean; a paragraph changes language only in that language's script.
                language = source
            spans.append((start, end, language))
        return spans

    def _fit_to_models(self, prepared: PreparedText) -> list[_Sentence]:
        """Sentences cut to what the model can take. A "sentence" without sentence punctuation can
        run to thousands of characters; a model trained on sentences stops early on it and the
        rest is silently lost. So any sentence over ``max_sentence_pieces`` SentencePiece pieces
        (of the route's first model) is cut at clause, then word, then character boundaries, each
        part translated, and a warning names what was cut."""
        from service import segment

        limit = self.settings.max_sentence_pieces
        out: list[_Sentence] = []
        counters: dict[str, Any] = {}
        for s in prepared.sentences:
            if len(s.text) * 4 <= limit:  # a character is at most 4 pieces (byte fallback): fits
                out.append(s)
                continue
            if s.source not in counters:
                package = self.store.route(s.source, prepared.result.target)[0]
                counters[s.source] = lambda text, package=package: len(self.engine.tokenize(package, [text])[0])
            count = counters[s.source]
            parts = segment.fit_pieces(s.text, count, limit)
            if len(parts) == 1:
                out.append(s)
                continue
            unit = prepared.document.units[s.unit]
            s.warnings.append(
                f"the sentence at offset {unit.source_offset(s.start)} ({len(s.text):,} characters) is longer "
                f"than the model takes ({limit} pieces, GLOSSA_MAX_SENTENCE_PIECES); it was cut at clause or "
                f"word boundaries and translated in {len(parts)} parts")
            for a, b in parts:
                out.append(_Sentence(prepared, s.unit, s.start + a, s.start + b, s.text[a:b], s.source,
                                     warnings=s.warnings if a == 0 else []))
        return out

    def _translate_sentences(self, sentences: list[_Sentence]) -> None:
        groups: dict[tuple[str, str, bool], list[_Sentence]] = {}
        for s in sentences:
            groups.setdefault((s.source, s.owner.result.target, s.owner.request.glossary), []).append(s)
        for (source, target, use_glossary), group in groups.items():
            route = self.store.route(source, target)
            used = [p.describe() for p in route]
            for s in group:
                models = s.owner.result.models
                models.extend(m for m in used if m not in models)
                if any(p.demo for p in route):
                    s.owner.demo = True
            if use_glossary:
                enforcer = self.glossary_enforcer()
                # Found once per article over all its sentences in order (not only this round's),
                # so that a short form binds to a full mention translated in an earlier round.
                termbase = enforcer.store.termbase()
                for owner in {id(s.owner): s.owner for s in group}.values():
                    if source not in owner.mentions_found:
                        article = [x for x in owner.sentences if x.source == source]
                        for x, found in zip(article, _article_mentions(termbase, source, target, article)):
                            x.mentions = found
                        owner.mentions_found.add(source)
                mentions = [s.mentions for s in group]
                outcomes = enforcer.translate(route, [s.text for s in group], source, target, mentions=mentions)
                for s, outcome in zip(group, outcomes):
                    s.output = outcome.text
                    s.translation_warnings = list(outcome.warnings)
                    s.terms = list(outcome.terms)  # sentence-relative; placed in the document later
                _settle_mentions(enforcer.store.snapshot(), target, group, mentions)
                _report_unexpected(enforcer.store.snapshot(), source, target, group)
            else:
                texts = [s.text for s in group]
                for package in route:
                    texts = self.engine.translate(package, texts)
                for s, text in zip(group, texts):
                    s.output, s.translation_warnings, s.terms = text, [], []
            self._flag_incomplete(route, group)

    def _flag_incomplete(self, route: list[Any], group: list[_Sentence]) -> None:
        """A warning on each sentence whose translation is far shorter than its source: a model
        that stops early must not lose text silently."""
        long = [s for s in group if len(s.text) >= _INCOMPLETE_MIN_PIECES]
        if not long:
            return
        sources = self.engine.tokenize(route[0], [s.text for s in long])
        outputs = self.engine.tokenize(route[-1], [s.output for s in long])
        for s, source_pieces, output_pieces in zip(long, sources, outputs):
            short = len(output_pieces) * _INCOMPLETE_RATIO < len(source_pieces)
            if len(source_pieces) >= _INCOMPLETE_MIN_PIECES and short:
                offset = s.owner.document.units[s.unit].source_offset(s.start)
                s.translation_warnings.append(
                    f"the translation of the text at offset {offset} ({len(s.text):,} characters: "
                    f"{s.text[:40]!r}...) looks incomplete ({len(source_pieces)} pieces in, "
                    f"{len(output_pieces)} out): the model may have left part of it untranslated")


# -- glossary hooks: mentions across an article, concepts the translation invents ---------------


def _article_mentions(termbase: Any, source: str, target: str, group: list[_Sentence]) -> list[list[Any]]:
    """Per sentence of ``group``, its second mentions ("Lyubimova said"), each article (job)
    read in order so that a short form finds the full mention before it."""
    from service.glossary.mentions import article_mentions

    by_job: dict[int, list[int]] = {}
    for index, s in enumerate(group):
        by_job.setdefault(id(s.owner), []).append(index)
    found: list[list[Any]] = [[] for _ in group]
    for indices in by_job.values():
        article = [group[i].text for i in indices]
        for index, mentions in zip(indices, article_mentions(termbase, source, article, target)):
            found[index] = mentions
    return found


def _settle_mentions(snapshot: Any, target: str, group: list[_Sentence], mentions: list[list[Any]]) -> None:
    """A mention the translation gave the full name for gets its short form there
    (``service.glossary.mentions.shorten_full_names``); its warning goes with its miss."""
    from service.glossary.mentions import shorten_full_names

    for s, found in zip(group, mentions):
        missed = {id(t) for t in s.terms if t.status == "missed"}
        if not found or not missed:
            continue
        s.output = shorten_full_names(snapshot, target, s.output, found, s.terms)
        settled = [t for t in s.terms if id(t) in missed and t.status == "applied"]
        for term in settled:
            s.translation_warnings = [w for w in s.translation_warnings
                                      if not (f"({term.concept})" in w and repr(term.source_text) in w)]


def _report_unexpected(snapshot: Any, source: str, target: str, group: list[_Sentence]) -> None:
    """Report concepts a sentence's translation names that its source does not (status
    ``unexpected``; the source span is the empty span at the start of the sentence)."""
    from service.glossary.unexpected import unexpected_concepts, warning_for

    for s in group:
        source_keys = {(t.category, t.concept) for t in s.terms}
        for match in unexpected_concepts(snapshot, target, s.output, source_keys, s.text, source):
            s.terms.append(TermReport(concept=match.concept.msgid, category=match.concept.category,
                                      source_start=0, source_end=0, source_text="",
                                      rendering=match.surface, status="unexpected"))
            s.translation_warnings.append(warning_for(match))
