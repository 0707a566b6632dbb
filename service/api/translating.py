"""The one way both APIs (/v1 and LibreTranslate's) translate and detect: request limits, then
the micro-batching queue (the pipeline checks languages and texts); metrics on the way out."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool

from service.api import requestlog
from service.api.state import AppState
from service.detect import Detection, detect
from service.errors import GlossaError, InputTooLargeError, TooManyTextsError
from service.inputs import validate_text
from service.results import TranslationRequest, TranslationResult


def check_request(state: AppState, texts: list[str]) -> None:
    """Per-request limits (texts in one request, characters of all together); each text itself
    is checked once, by the pipeline (translation) or by ``detect_texts``."""
    limits = state.settings
    if len(texts) > limits.max_batch_texts:
        raise TooManyTextsError(
            f"{len(texts)} texts in one request; the limit is {limits.max_batch_texts} (GLOSSA_MAX_BATCH_TEXTS)")
    total = sum(len(t) for t in texts)
    if total > limits.max_request_chars:
        raise InputTooLargeError(
            f"the request has {total:,} characters; the limit is {limits.max_request_chars:,} "
            "(GLOSSA_MAX_REQUEST_CHARS)", hint="split it into several requests")


def _name(texts: list[str], index: int) -> str:
    return "text" if len(texts) == 1 else f"texts[{index}]"


async def translate_texts(state: AppState, texts: list[str], *, source: str, target: str,
                          format: str = "text", glossary: bool | str = True,
                          house_glossary: bool = True, force_source: bool = False,
                          alternatives: int = 0) -> list[TranslationResult]:
    """Languages, text, source == target and the glossary name are checked by the pipeline (one
    place for all faces; each text gets its own error). ``alternatives``: other translations
    wanted per text (``TranslationRequest.alternatives``)."""
    check_request(state, texts)
    requests = [TranslationRequest(t, target, source.strip() or "auto", format, glossary, force_source,
                                   name=_name(texts, i), house_glossary=house_glossary, alternatives=alternatives)
                for i, t in enumerate(texts)]
    results = await state.batcher.submit(requests)
    _count(state, texts, results)
    return results


async def detect_texts(state: AppState, texts: list[str]) -> list[Detection]:
    check_request(state, texts)
    for i, text in enumerate(texts):
        validate_text(text, name=_name(texts, i))
    return await run_in_threadpool(lambda: [detect(t) for t in texts])


def _count(state: AppState, texts: list[str], results: list[Any]) -> None:
    requestlog.note(**requestlog.translation_fields(texts, results, _used_demo(state, results)))
    metrics = state.metrics
    for text, result in zip(texts, results):
        pair = {"source": result.source, "target": result.target}
        metrics.inc("glossa_translated_characters_total", len(text), **pair)
        metrics.inc("glossa_translated_texts_total", 1, **pair)
        for term in result.terms:
            metrics.inc("glossa_glossary_terms_total", 1, status=term.status)


def report_extension(result: Any) -> dict[str, Any]:
    """Glossa's report for APIs whose own shape has no room for it (LibreTranslate's, DeepL's):
    terms, warnings and the demo flag, in a ``glossa`` field their clients ignore. ``None`` (a
    text that was not translated, e.g. an empty string in a list) reports nothing."""
    if result is None:
        return {"terms": [], "warnings": [], "demo": False}
    return {"terms": [t.to_dict() for t in result.terms], "warnings": list(result.warnings),
            "demo": any("[DEMO" in m for m in result.models)}


def _used_demo(state: AppState, results: list[Any]) -> bool | None:
    """Whether any text went through a demo model (None: the models changed since)."""
    try:
        return any(p.demo for r in results if r.source != r.target
                   for p in state.pipeline.route(r.source, r.target))
    except GlossaError:
        return None
