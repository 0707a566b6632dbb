"""LibreTranslate-compatible endpoints: POST /translate, POST /detect, GET /languages.

Same paths, field names and shapes as LibreTranslate, JSON or form bodies, so existing clients
(libretranslatepy, browser extensions, CAT tool plugins) work unchanged. Confidence is 0-100 as
LibreTranslate reports it. ``alternatives`` returns real model hypotheses (see
``Pipeline._alternatives``), never padding. Errors use LibreTranslate's shape (``api.errors``).
"""

from __future__ import annotations

import json
import urllib.parse
from typing import Any, TypeVar

from fastapi import APIRouter, Depends, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool

from service.api.dependencies import check_translate_key, get_state
from service.api.routers.catalog import language_routes
from service.api.schemas import (
    ERROR_RESPONSES,
    LibreDetected,
    LibreDetectRequest,
    LibreLanguage,
    LibreTranslateRequest,
    LibreTranslateResponse,
)
from service.api.state import AppState
from service.api.translating import detect_texts, report_extension, translate_texts
from service.errors import InputError

router = APIRouter(tags=["LibreTranslate-compatible"])

Model = TypeVar("Model", bound=BaseModel)

# Other translations one request may ask for per text: beam search keeps 4 hypotheses (Argos's
# beam), the best one and three others. LibreTranslate's own limit is an operator setting
# (--alternatives-limit); above it, it answers this route's error below.
MAX_ALTERNATIVES = 3

_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _body_schema(model: type[BaseModel]) -> dict[str, Any]:
    """OpenAPI: the same fields as JSON or as a form."""
    schema = model.model_json_schema()  # inline: these models are not otherwise in components
    return {"requestBody": {"required": True, "content": {
        "application/json": {"schema": schema},
        "application/x-www-form-urlencoded": {"schema": schema},
    }}}


async def _parse(request: Request, model: type[Model]) -> Model:
    """The body (JSON or form) over the query string: LibreTranslate reads parameters from both."""
    query: dict[str, Any] = {}
    for key in request.query_params:
        values = request.query_params.getlist(key)
        query[key] = values if key == "q" and len(values) > 1 else values[0]
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    data: dict[str, Any]
    if content_type == "application/x-www-form-urlencoded":
        data = _form_fields(urllib.parse.parse_qsl(_utf8(await request.body(), "form body"),
                                                   keep_blank_values=True, errors="strict"))
    elif content_type in _FORM_TYPES:
        raw = await request.body()
        form = await request.form()
        pairs = [(k, v) for k, v in form.multi_items() if isinstance(v, str)]
        # Starlette falls back to Latin-1 for a part that is not UTF-8; such a value is not in the
        # body as UTF-8. Refuse it rather than translate mojibake.
        if any(v.encode("utf-8") not in raw for _, v in pairs):
            raise InputError("a form field is not valid UTF-8", hint="send form fields encoded as UTF-8")
        data = _form_fields(pairs)
    else:
        raw = await request.body()
        if not raw.strip():
            if query:
                return _validate(model, query)
            raise InputError("the request body is empty: send JSON or a form with q, source and target")
        try:
            data = json.loads(raw)
        except RecursionError:
            raise InputError("the JSON body nests too deeply") from None
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise RequestValidationError([{"type": "json_invalid", "loc": ("body",), "msg": "invalid JSON",
                                           "ctx": {"error": str(exc)}}]) from None
        if not isinstance(data, dict):
            raise RequestValidationError([{"type": "model_type", "loc": ("body",),
                                           "msg": "the body must be a JSON object"}])
    return _validate(model, {**query, **data})


def _validate(model: type[Model], data: dict[str, Any]) -> Model:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise RequestValidationError(exc.errors(include_url=False)) from None


def _utf8(raw: bytes, what: str) -> str:
    """Form bodies decoded as UTF-8 (percent-escapes included), strictly: LibreTranslate's
    clients send UTF-8, and a body that is not is refused rather than translated as mojibake."""
    try:
        text = raw.decode("utf-8")
        urllib.parse.unquote_to_bytes(text.replace("+", " ")).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"the {what} is not valid UTF-8 (byte 0x{exc.object[exc.start]:02x})",
                         hint="send form fields encoded as UTF-8") from None
    return text


def _form_fields(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Form fields as the models take them: ``q`` repeated is a list, any other field its first value."""
    values: dict[str, list[str]] = {}
    for key, value in pairs:
        values.setdefault(key, []).append(value)
    return {key: vals if key == "q" and len(vals) > 1 else vals[0] for key, vals in values.items()}


def _lt_detected(language: str, confidence: float) -> dict[str, Any]:
    return LibreDetected(language=language, confidence=round(confidence * 100, 2)).model_dump()


@router.post("/translate", response_model=LibreTranslateResponse, response_model_exclude_none=True,
             responses=ERROR_RESPONSES, openapi_extra=_body_schema(LibreTranslateRequest))
async def lt_translate(request: Request, state: AppState = Depends(get_state)) -> dict:
    body = await _parse(request, LibreTranslateRequest)
    check_translate_key(request, state, body.api_key)
    single = isinstance(body.q, str)
    texts = [body.q] if isinstance(body.q, str) else list(body.q)
    if not texts:
        raise InputError("q is an empty list")
    alternatives = max(0, body.alternatives)  # LibreTranslate reads a negative count as none
    if alternatives > MAX_ALTERNATIVES:
        raise InputError(f"Invalid request: alternatives parameter must be <= {MAX_ALTERNATIVES}")
    # Inside a list, empty strings come back empty (as LibreTranslate answers); alone, q="" is an error.
    wanted = [i for i, t in enumerate(texts) if single or t.strip()]
    results = await translate_texts(state, [texts[i] for i in wanted], source=body.source, target=body.target,
                                    format=body.format, glossary=body.glossary or True,
                                    house_glossary=body.house_glossary,
                                    alternatives=alternatives) if wanted else []
    by_index = dict(zip(wanted, results))
    translated = [by_index[i].translation if i in by_index else texts[i] for i in range(len(texts))]
    extension = [report_extension(by_index.get(i)) for i in range(len(texts))]
    response: dict[str, Any] = {"translatedText": translated[0] if single else translated,
                                "glossa": extension[0] if single else extension}
    if alternatives:  # LibreTranslate: a list per text (a list of lists for a batch), maybe empty
        others = [by_index[i].alternatives if i in by_index else [] for i in range(len(texts))]
        response["alternatives"] = others[0] if single else others
    if body.source.strip().lower() == "auto":
        detected = [_lt_detected(r.source, (r.detected or {}).get("confidence", 1.0)) if r else
                    _lt_detected("en", 0.0) for r in (by_index.get(i) for i in range(len(texts)))]
        response["detectedLanguage"] = detected[0] if single else detected
    return response



@router.post("/detect", response_model=list[LibreDetected], responses=ERROR_RESPONSES,
             openapi_extra=_body_schema(LibreDetectRequest))
async def lt_detect(request: Request, state: AppState = Depends(get_state)) -> list[dict]:
    body = await _parse(request, LibreDetectRequest)
    check_translate_key(request, state, body.api_key)
    detection = (await detect_texts(state, [body.q]))[0]
    answers = [_lt_detected(detection.language, detection.confidence)]
    answers += [_lt_detected(a.language, a.confidence) for a in detection.alternatives]
    return answers


@router.get("/languages", response_model=list[LibreLanguage])
async def lt_languages(state: AppState = Depends(get_state)) -> list[dict]:
    """Languages with at least one installed direction, and the targets reachable from each."""
    languages = await run_in_threadpool(language_routes, state)
    return [
        {"code": lang["code"], "name": lang["name"],
         "targets": [r["target"] for r in lang["routes"] if r["available"]]}
        for lang in languages
        if any(r["available"] for r in lang["routes"])
    ]
