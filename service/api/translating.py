"""The one way both APIs (/v1 and LibreTranslate's) translate and detect: limits, language checks,
then the micro-batching queue; metrics on the way out."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool

from service.api import requestlog
from service.api.state import AppState
from service.errors import GlossaError, InputError, InputTooLargeError
from service.inputs import validate_text


class TooManyTextsError(InputTooLargeError):
    code = "too_many_texts"


def check_texts(state: AppState, texts: list[str]) -> None:
    """Per-request limits and per-text emptiness, each with a message that names the text."""
    limits = state.settings
    if len(texts) > limits.max_batch_texts:
        raise TooManyTextsError(
            f"{len(texts)} texts in one request; the limit is {limits.max_batch_texts} (GLOSSA_MAX_BATCH_TEXTS)")
    total = sum(len(t) for t in texts)
    if total > limits.max_request_chars:
        raise InputTooLargeError(
            f"the request has {total:,} characters; the limit is {limits.max_request_chars:,} "
            "(GLOSSA_MAX_REQUEST_CHARS)", hint="split it into several requests")
    for i, text in enumerate(texts):
        validate_text(text, name="text" if len(texts) == 1 else f"texts[{i}]")


def check_languages(source: str, target: str) -> tuple[str, str]:
    from service.pipeline import check_language_code

    target = check_language_code(target, "target")
    source = source.strip().lower() or "auto"
    if source != "auto":
        source = check_language_code(source, "source")
        if source == target:
            raise InputError(f"source and target are both {source}: nothing to translate")
    return source, target


async def translate_texts(state: AppState, texts: list[str], *, source: str, target: str,
                          format: str = "text", glossary: bool = True,
                          force_source: bool = False) -> list[Any]:
    from service.pipeline import TranslationRequest

    check_texts(state, texts)
    source, target = check_languages(source, target)
    requests = [TranslationRequest(t, target, source, format, glossary, force_source) for t in texts]
    results = await state.batcher.submit(requests)
    _count(state, texts, results)
    return results


async def detect_texts(state: AppState, texts: list[str]) -> list[Any]:
    from service.detect import detect

    check_texts(state, texts)
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
                   for p in state.model_store.route(r.source, r.target))
    except GlossaError:
        return None
