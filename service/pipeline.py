"""The one path an article takes: read (validate, parse, detect) -> segment -> (protect terms) ->
translate -> restore -> report.

Faces (CLI, HTTP, batch) call the pipeline's public operations and nothing below it:
``read`` (an article validated, parsed and its source language decided, once), ``translate`` /
``translate_many`` (raise on the first bad text) and ``translate_each`` (each text's result or
its error: one bad text never spoils the others), the three steps they are made of (``prepare``,
``translate_sentences``, ``finish``), ``route`` and ``packages`` (which models), ``verify`` (the
models translate their probe correctly). All sentences of all texts in one call
go to the engine together, per route hop, so a batch of articles costs one ``translate_batch``
per model rather than one per sentence.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from service import segment
from service.config import Settings
from service.detect import Detection, detect, detect_paragraphs, script_letters
from service.engine import Engine
from service.errors import (
    GlossaError,
    InputError,
    NothingToTranslateError,
    PackageError,
    SourceMismatchError,
    UnsupportedLanguageError,
)
from service.formats import PLACEHOLDER_RE, Document, Replacement
from service.formats import parse as parse_document
from service.formats.base import number_from_zero, source_index, unit_names
from service.glossary.enforce import Enforcer
from service.glossary.mentions import article_mentions, shorten_full_names
from service.glossary.service import Glossaries, GlossaryView
from service.glossary.unexpected import unexpected_concepts, warning_for
from service.inputs import validate_text
from service.languages import LANGUAGES, SUPPORTED_LANGUAGES, check_language_code, language_name
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

__all__ = ["Article", "Pipeline", "PreparedText", "TermReport", "TranslationRequest", "TranslationResult",
           "resolve_source"]

# What translate_each returns per request: its result, or the error that stopped it (a
# GlossaError for bad input; anything else is a bug the face reports as such).
Outcome = TranslationResult | Exception
# A translation with fewer than 1/_INCOMPLETE_RATIO of its source's pieces is flagged as possibly
# incomplete (no pair of ours shrinks text that much); short sentences vary too much to judge.
_INCOMPLETE_RATIO = 4
_INCOMPLETE_MIN_PIECES = 32


@dataclass(eq=False)
class PreparedText:
    """One request between ``Pipeline.prepare`` and ``Pipeline.finish``."""

    request: TranslationRequest
    article: Article
    result: TranslationResult
    sentences: list[_Sentence] = field(default_factory=list)
    demo: bool = False  # a demo model translated some of it
    # Source languages whose second mentions are known: found over all the article's sentences
    # when it is first translated, since the HTTP queue translates an article over several rounds.
    mentions_found: set[str] = field(default_factory=set)
    # The route of each source language it has, looked up while preparing it (a missing model is
    # this request's own error, found before it joins a shared batch) and used when translating.
    routes: dict[str, list[InstalledPackage]] = field(default_factory=dict)

    @property
    def document(self) -> Document:
        return self.article.document


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
    mentions: list[Any] = field(default_factory=list)  # its second mentions, found on first translation
    alternatives: list[str] = field(default_factory=list)  # other outputs, best first (see _alternatives)
    # ``text`` has its placeholders numbered from 0 (formats.base.number_from_zero): the unit's names.
    marks: dict[str, str] = field(default_factory=dict)


def resolve_source(requested: str, text: str, detection: Detection | None = None, *,
                   force: bool = False) -> tuple[str, dict[str, Any] | None]:
    """(source language, detection info or None): the requested code, checked against the text,
    or the detected language when ``requested`` is "auto", refusing languages Glossa does not
    translate. ``detection``: ``detect(text)`` if the caller already has it. ``force``: take a
    given source on trust."""
    if requested and requested != "auto":
        code = check_language_code(requested, "source")
        if not force:
            _check_given_source(code, text, detection)
        return code, None
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


# Detection confidence from which a given source naming another supported language is refused.
CONTRADICTION_CONFIDENCE = 0.8


def _check_given_source(code: str, text: str, detection: Detection | None) -> None:
    """Refuse a given source that the text contradicts: translating Korean text "from Russian"
    returns confident garbage, never an error, so the mistake must be caught here."""
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
            f"source {code!r} ({language_name(code)}) contradicts the text: {found}; it looks like "
            f"{detection.language!r} (confidence {detection.confidence:.2f})",
            hint="give the right source or auto; force_source (HTTP) / --force-source (CLI) "
                 "translates from the given source anyway")


def _written_in(text: str, language: str) -> bool:
    """Most of the paragraph's letters are in the script of ``language`` (the language registry's)."""
    letters = script_letters(text)
    return sum(letters[script] for script in LANGUAGES[language].scripts) * 2 > sum(letters.values())


class Pipeline:
    """Shared, thread-safe; build one per process and reuse it (models load once).

    ``settings`` come from the face's entry point; ``store`` and ``engine`` may be passed in to
    share them, otherwise they are created on first use so that building a Pipeline is free.
    """

    def __init__(self, settings: Settings, *, store: ModelStore | None = None, engine: Engine | None = None) -> None:
        self.settings = settings
        self._store = store
        self._engine = engine
        self._lock = threading.RLock()  # glossary_enforcer() builds the engine while holding it
        self._glossaries: Glossaries | None = None
        self._enforcers: dict[tuple[str | None, bool], Enforcer] = {}

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

    @property
    def glossaries(self) -> Glossaries:
        """The glossary root (house and named glossaries): one store per folder per process,
        shared with the faces (the HTTP app state, batch) through this pipeline."""
        if self._glossaries is None:
            with self._lock:
                if self._glossaries is None:
                    self._glossaries = Glossaries(self.settings.glossary_dir)
        return self._glossaries

    def glossary_view(self, glossary: bool | str = True, house: bool = True) -> GlossaryView | None:
        """What a request enforces (``TranslationRequest.glossary``), or None for nothing;
        an unknown glossary name raises (404) before any translation work."""
        if glossary is False:
            return None
        return self.glossaries.view(None if glossary is True else glossary, house=house)

    def glossary_enforcer(self, glossary: bool | str = True, house: bool = True) -> Enforcer | None:
        """The enforcer of one glossary view (one per view per process), or None for none."""
        view = self.glossary_view(glossary, house)
        if view is None:
            return None
        with self._lock:
            enforcer = self._enforcers.get(view.key)
            if enforcer is None:
                enforcer = self._enforcers[view.key] = Enforcer(self.engine, view)
        return enforcer

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

    def prove(self, package: InstalledPackage, *, keep: bool) -> None:
        """Load ``package`` and translate its probe sentence; raises PackageError when it cannot.
        Unless ``keep``, a package no request had loaded is released after its probe, so proving
        every installed model holds one model at a time (``GLOSSA_PRELOAD``)."""
        was_loaded = self.engine.is_loaded(package)
        try:
            self._translate_probe(package, probe_for(package.from_code))
        finally:
            if not keep and not was_loaded:
                self.engine.release(package)

    def _verify_route(self, packages: list[InstalledPackage]) -> Verification:
        probe = probe_for(packages[0].from_code)
        text = probe
        for package in packages:
            text = self._translate_probe(package, text)
        return Verification(packages=packages, probe=probe, output=text, problem=check_probe(packages, text))

    def _translate_probe(self, package: InstalledPackage, text: str) -> str:
        """``text`` through one package's model; a model that cannot translate is a PackageError."""
        try:
            return self.engine.translate(package, [text])[0]
        except GlossaError:
            raise
        except Exception as exc:  # CTranslate2 / SentencePiece errors carry their own text
            raise PackageError(f"{package.pair} ({package.path.name}) fails to translate: {exc}") from None

    # -- translating -----------------------------------------------------------------------

    def read(self, text: str, *, source: str = "auto", format: str = "text", name: str = "text",
             force_source: bool = False, detection: Detection | None = None) -> Article:
        """Validate, parse, decide the source language of a text (a given source is checked
        against the text unless ``force_source``) and the language of each paragraph, once; pass
        the Article in a TranslationRequest (``article=``) to translate it without doing any of
        that again. ``detection``: the detection of the document's plain text, if the caller has it."""
        validate_text(text, name=name, max_chars=self.settings.max_chars)
        document = parse_document(text, format)
        plain = document.plain_text()
        requested = (source or "").strip().lower() or "auto"
        if detection is None and (requested == "auto" or not force_source):
            detection = detect(plain)
        resolved, detected = resolve_source(requested, plain, detection, force=force_source)  # checks the code
        requested = "auto" if requested == "auto" else resolved
        paragraphs = [self._paragraph_languages(unit.text, resolved, requested) for unit in document.units]
        if detected is not None:  # the JSON result shows each paragraph's language
            detected["paragraphs"] = [
                {"start": unit.source_offset(a), "end": unit.source_offset(b), "language": language}
                for unit, spans in zip(document.units, paragraphs) for a, b, language in spans]
        return Article(text=text, format=format, document=document, requested_source=requested,
                       source=resolved, detected=detected, detection=detection, paragraphs=paragraphs)

    def translate(self, text: str, *, target: str, source: str = "auto", format: str = "text",
                  glossary: bool | str = True, force_source: bool = False, name: str = "text",
                  house_glossary: bool = True) -> TranslationResult:
        return self.translate_many([TranslationRequest(text, target, source, format, glossary, force_source,
                                                       name=name, house_glossary=house_glossary)])[0]

    def translate_many(self, requests: Iterable[TranslationRequest]) -> list[TranslationResult]:
        """Translate several texts; their sentences share engine batches. The first bad text
        raises its error (before anything is translated when its input is bad)."""
        prepared = [self.prepare(req) for req in requests]
        self.translate_sentences([s for p in prepared for s in p.sentences])
        return [self.finish(p) for p in prepared]

    def translate_each(self, requests: Iterable[TranslationRequest]) -> list[Outcome]:
        """Like translate_many, but each request gets its result or its own error: a bad text, a
        missing model or a failure inside the engine affects only the requests it belongs to."""
        outcomes: list[Outcome | PreparedText] = []
        for req in requests:
            try:
                outcomes.append(self.prepare(req))
            except GlossaError as exc:
                outcomes.append(exc)
        prepared = [p for p in outcomes if isinstance(p, PreparedText)]
        failed: dict[int, Exception] = {}
        try:
            self.translate_sentences([s for p in prepared for s in p.sentences])
        except Exception:  # noqa: BLE001 - redone text by text below, so the failure finds its owner
            for p in prepared:
                try:
                    self.translate_sentences(p.sentences)
                except Exception as exc:  # noqa: BLE001 - that text's error, reported to its caller
                    failed[id(p)] = exc
        results: list[Outcome] = []
        for outcome in outcomes:
            if isinstance(outcome, PreparedText):
                results.append(failed[id(outcome)] if id(outcome) in failed else self.finish(outcome))
            else:
                results.append(outcome)
        return results

    # A request is translated in three steps (prepare, translate_sentences, finish) so that a face
    # can check each request on its own (one bad request never joins a shared batch), put the
    # sentences of many requests in one batch, and interleave them fairly (the HTTP queue's
    # rounds: a large article cannot hold the engine for everybody else).

    def prepare(self, req: TranslationRequest) -> PreparedText:
        """Check one request and split it into the sentences the engine must translate (reusing
        ``req.article`` when the text was already read). Raises a GlossaError for bad input."""
        target = check_language_code(req.target, "target")
        self.glossary_view(req.glossary, req.house_glossary)  # an unknown name: refused before reading
        if req.article is None and (req.source or "").strip().lower() == target:
            # Before the text is read: "both ru" says more than the source check would.
            raise InputError(f"source and target are both {target}: nothing to translate")
        article = req.article or self.read(req.text, source=req.source, format=req.format, name=req.name,
                                           force_source=req.force_source)
        if article.source == target and article.requested_source != "auto":
            raise InputError(f"source and target are both {target}: nothing to translate")
        result = TranslationResult(translation="", source=article.source, target=target, detected=article.detected)
        result.warnings.extend(article.document.notes)  # blocks the format layer left untranslated
        prepared = PreparedText(req, article, result)
        for unit_index, (unit, paragraphs) in enumerate(zip(article.document.units, article.paragraphs)):
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
                    text, marks = number_from_zero(span.text)
                    prepared.sentences.append(_Sentence(prepared, unit_index, start, start + len(span.text), text,
                                                        para_lang, marks=marks))
        if article.source == target:
            if not prepared.sentences:
                # One behaviour on every face (README, CLI, HTTP): nothing to translate is an error.
                raise NothingToTranslateError(
                    f"the text is already in {language_name(target)} (detected): nothing to translate",
                    hint="choose another target language, or give the source language if the guess is wrong")
            result.warnings.append(f"the text is mostly in {language_name(target)} already; only the "
                                   "paragraphs in other languages were translated")
        for language in sorted({s.source for s in prepared.sentences}):
            prepared.routes[language] = self.route(language, target)  # a missing model: refused now
        prepared.sentences = self._fit_to_models(prepared)
        return prepared

    def translate_sentences(self, sentences: list[_Sentence]) -> None:
        """Translate prepared sentences of any requests together: one engine batch per route hop
        and glossary setting. Fills each sentence's output, terms and translation warnings
        (replaced, not added to, when a sentence is translated again)."""
        groups: dict[tuple[str, str, bool | str, bool], list[_Sentence]] = {}
        for s in sentences:
            req = s.owner.request
            groups.setdefault((s.source, s.owner.result.target, req.glossary, req.house_glossary), []).append(s)
        for (source, target, glossary, house), group in groups.items():
            route = self._group_route(group, source, target)
            used = [p.describe() for p in route]
            for s in group:
                models = s.owner.result.models
                models.extend(m for m in used if m not in models)
                s.owner.demo = s.owner.demo or any(p.demo for p in route)
            enforcer = self.glossary_enforcer(glossary, house)
            if enforcer is not None:
                termbase = enforcer.store.termbase()
                _note_unreadable(termbase, group)
                # Found once per article over all its sentences in order (not only this round's),
                # so that a short form binds to a full mention translated in an earlier round.
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
        self._alternatives([s for s in sentences if s.owner.request.alternatives > 0])

    def _group_route(self, group: list[_Sentence], source: str, target: str) -> list[InstalledPackage]:
        """The route looked up when the group's requests were prepared (they share the target)."""
        return group[0].owner.routes.get(source) or self.route(source, target)

    def _alternatives(self, sentences: list[_Sentence]) -> None:
        """Other translations of each sentence whose request asks for alternatives: the model's
        own n-best list (CTranslate2 ``num_hypotheses``, beam search as for the best one), one
        extra decode per route, glossary view and count (a request's answer never depends on
        what shares its batch). Through the English pivot the first hop gives its best
        translation and the last hop its hypotheses. A hypothesis is kept when it differs from
        the sentence's translation, keeps the sentence's placeholders (markup) exactly and names
        the same glossary concepts with their renderings as the translation does (so the
        translation's term report holds for it; ``Enforcer.alternatives`` also makes verbs agree
        with person terms as in the translation); the model may give fewer than asked, or none."""
        groups: dict[tuple[str, str, bool | str, bool, int], list[_Sentence]] = {}
        for s in sentences:
            req = s.owner.request
            groups.setdefault((s.source, s.owner.result.target, req.glossary, req.house_glossary,
                               req.alternatives), []).append(s)
        for (source, target, glossary, house, count), group in groups.items():
            route = self._group_route(group, source, target)
            texts = [s.text for s in group]
            for package in route[:-1]:
                texts = self.engine.translate(package, texts)
            last = route[-1]
            hypotheses = self.engine.translate_tokens(last, self.engine.tokenize(last, texts),
                                                      num_hypotheses=count + 1)
            enforcer = self.glossary_enforcer(glossary, house)
            for s, hyps in zip(group, hypotheses):
                marks = sorted(PLACEHOLDER_RE.findall(s.text))
                texts = list(dict.fromkeys(h.text for h in hyps if h.text.strip() and h.text != s.output
                                           and sorted(PLACEHOLDER_RE.findall(h.text)) == marks))
                kept = enforcer.alternatives(target, s.output, texts) if enforcer is not None and texts else texts
                s.alternatives = list(dict.fromkeys(t for t in kept if t is not None and t != s.output))[:count]

    def finish(self, prepared: PreparedText) -> TranslationResult:
        """Put the translated sentences back into the document and the terms at their source
        offsets: the request's result."""
        document, result = prepared.article.document, prepared.result
        if prepared.demo:
            result.warnings.append(
                "translated with DEMO models (tiny models trained on a synthetic vocabulary): "
                "not real translation; install official models with `glossa models install`")
        per_unit: list[list[Replacement]] = [[] for _ in document.units]
        for s in prepared.sentences:
            per_unit[s.unit].append(Replacement(s.start, s.end, unit_names(s.output, s.marks)))
            unit = document.units[s.unit]
            for term in s.terms:
                term.source_start = unit.source_offset(s.start + source_index(s.text, s.marks, term.source_start))
                term.source_end = unit.source_offset(s.start + source_index(s.text, s.marks, term.source_end))
                result.terms.append(term)
            result.warnings.extend(s.warnings + s.translation_warnings)
        result.translation, alignments, markup_warnings = document.render(per_unit)
        result.sentences = [SentenceAlignment(*a) for a in alignments]
        result.warnings.extend(markup_warnings)
        result.terms.sort(key=lambda t: t.source_start)
        result.alternatives = self._render_alternatives(prepared)
        return result

    @staticmethod
    def _render_alternatives(prepared: PreparedText) -> list[str]:
        """Alternative k of the text: every sentence's k-th alternative where it has one, its
        translation elsewhere; distinct, and never the translation itself."""
        wanted = prepared.request.alternatives
        found: list[str] = []
        for k in range(wanted):
            if not any(len(s.alternatives) > k for s in prepared.sentences):
                break
            swapped: list[list[Replacement]] = [[] for _ in prepared.document.units]
            for s in prepared.sentences:
                output = s.alternatives[k] if len(s.alternatives) > k else s.output
                swapped[s.unit].append(Replacement(s.start, s.end, unit_names(output, s.marks)))
            text = prepared.document.render(swapped)[0]
            if text != prepared.result.translation and text not in found:
                found.append(text)
        return found

    # -- steps -------------------------------------------------------------------------------

    @staticmethod
    def _paragraph_languages(text: str, source: str, requested: str) -> list[tuple[int, int, str]]:
        """(start, end, language) per paragraph: mixed articles are detected paragraph by paragraph
        when the source is auto; an explicit source applies to the whole text."""
        if requested != "auto":
            return [(0, len(text), source)]
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
        limit = self.settings.max_sentence_pieces
        out: list[_Sentence] = []
        counters: dict[str, Any] = {}
        for s in prepared.sentences:
            if len(s.text) * 4 <= limit:  # a character is at most 4 pieces (byte fallback): fits
                out.append(s)
                continue
            if s.source not in counters:
                package = prepared.routes[s.source][0]
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
            for index, (a, b) in enumerate(parts):
                # ``text`` is renumbered (number_from_zero): its positions are mapped back to the unit's.
                out.append(_Sentence(prepared, s.unit, s.start + source_index(s.text, s.marks, a),
                                     s.start + source_index(s.text, s.marks, b), s.text[a:b], s.source,
                                     warnings=s.warnings if index == 0 else [], marks=s.marks))
        return out

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


def _note_unreadable(termbase: Any, group: list[_Sentence]) -> None:
    """A glossary with entries its reader skipped still translates; each text says so once."""
    if not termbase.problems:
        return
    count = len(termbase.problems)
    note = (f"the glossary has {count} unreadable entr{'y' if count == 1 else 'ies'}, "
            "skipped (run `glossa glossary check`)")
    for s in group:
        if note not in s.owner.result.warnings:
            s.owner.result.warnings.append(note)


def _article_mentions(termbase: Any, source: str, target: str, group: list[_Sentence]) -> list[list[Any]]:
    """Per sentence of ``group``, its second mentions ("Lyubimova said"), each article (request)
    read in order so that a short form finds the full mention before it."""
    by_owner: dict[int, list[int]] = {}
    for index, s in enumerate(group):
        by_owner.setdefault(id(s.owner), []).append(index)
    found: list[list[Any]] = [[] for _ in group]
    for indices in by_owner.values():
        article = [group[i].text for i in indices]
        for index, mentions in zip(indices, article_mentions(termbase, source, article, target)):
            found[index] = mentions
    return found


def _settle_mentions(snapshot: Any, target: str, group: list[_Sentence], mentions: list[list[Any]]) -> None:
    """A mention the translation gave the full name for gets its short form there
    (``service.glossary.mentions.shorten_full_names``); its warning goes with its miss."""
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
    for s in group:
        source_keys = {(t.category, t.concept) for t in s.terms}
        for match in unexpected_concepts(snapshot, target, s.output, source_keys, s.text, source):
            s.terms.append(TermReport(concept=match.concept.msgid, category=match.concept.category,
                                      source_start=0, source_end=0, source_text="",
                                      rendering=match.surface, status="unexpected"))
            s.translation_warnings.append(warning_for(match))
