"""DeepL-compatible API: /v2/translate, /v2/languages, /v2/usage (glossaries: ``deepl_glossaries``).

Scripts, CAT tools and the official ``deepl`` client library take a custom server URL; pointed at
Glossa they get offline translation with Glossa's glossary enforcement. Parameters come the ways
DeepL accepts them (JSON body, form body, query string), languages are DeepL's upper-case codes
(EN, EN-GB and EN-US all mean en), errors are DeepL's ``{"message": ...}`` with its status codes
(see ``api/errors.py``), and the key is ``Authorization: DeepL-Auth-Key KEY`` checked against
Glossa's keys. Each translation also carries a ``glossa`` field (terms, warnings, demo flag)
that DeepL clients ignore.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool

from service import SUPPORTED_LANGUAGES
from service.api.auth import bearer_token
from service.api.dependencies import get_state
from service.api.state import AppState
from service.api.translating import report_extension, translate_texts
from service.errors import InputError, UnsupportedLanguageError
from service.glossary.deepl import DeepLGlossaries

router = APIRouter(prefix="/v2", tags=["DeepL-compatible"])

# DeepL's names for Glossa's languages; target EN-GB / EN-US are accepted and mean en.
DEEPL_NAMES = {"en": "English", "ko": "Korean", "ru": "Russian"}
_TARGET_ALIASES = {"EN-GB": "en", "EN-US": "en"}
_TAG_HANDLING = {"html": "html", "xml": "html"}  # XML goes through the HTML parser (tags kept)
_SPLIT_SENTENCES = {"0", "1", "nonewlines"}
# Glossa has no formal/informal switch: the "prefer_" values may fall back, the others may not.
_FORMALITY_ACCEPTED = {"default", "prefer_more", "prefer_less"}
# Reported as the character limit: Glossa meters nothing, and DeepL clients treat 0 as "reached".
UNLIMITED = 10**12


def deepl_key(request: Request) -> str | None:
    """The key from ``Authorization: DeepL-Auth-Key KEY`` (Bearer and ``auth_key`` work too)."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "deepl-auth-key" and token.strip():
        return token.strip()
    return bearer_token(request) or request.query_params.get("auth_key")


def check_key(request: Request, state: AppState, *, write: bool = False) -> None:
    """Glossary writes always need a key; translation only with ``translate_requires_key``."""
    if write or state.settings.translate_requires_key:
        state.keys.check(deepl_key(request), action="glossary changes" if write else "translation")


async def read_params(request: Request) -> dict[str, Any]:
    """Query string, then the body (JSON or form) on top: DeepL takes parameters either way.
    Repeated form fields (``text=a&text=b``) become lists."""
    params: dict[str, Any] = {}
    for key in request.query_params:
        values = request.query_params.getlist(key)
        params[key] = values if len(values) > 1 else values[0]
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    raw = await request.body()
    if not raw.strip():
        return params
    if content_type == "application/json":
        try:
            body = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise InputError("the request body is not valid JSON") from None
        if not isinstance(body, dict):
            raise InputError("the request body must be a JSON object")
        params.update(body)
    elif content_type in ("application/x-www-form-urlencoded", "multipart/form-data", ""):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError("the form body is not valid UTF-8") from None
        form = await request.form()
        for key in set(form.keys()):
            values = [v for v in form.getlist(key) if isinstance(v, str)]
            if values:
                params[key] = values if len(values) > 1 else values[0]
    else:
        raise InputError(f"unsupported content type {content_type!r}: send JSON or a form")
    return params


def source_code(value: Any) -> str:
    """DeepL source code (EN, KO, RU; any case) -> Glossa code."""
    code = str(value or "").strip().lower()
    if code not in SUPPORTED_LANGUAGES:
        raise UnsupportedLanguageError(f"Value for 'source_lang' not supported: {value!r}",
                                       hint=f"supported: {', '.join(c.upper() for c in SUPPORTED_LANGUAGES)}")
    return code


def target_code(value: Any) -> str:
    """DeepL target code (EN-GB, EN-US, EN, KO, RU) -> Glossa code."""
    raw = str(value or "").strip().upper()
    code = _TARGET_ALIASES.get(raw, raw.lower())
    if code not in SUPPORTED_LANGUAGES:
        raise UnsupportedLanguageError(
            f"Value for 'target_lang' not supported: {value!r}" if raw else "Parameter 'target_lang' not specified.",
            hint="supported: EN-GB, EN-US, KO, RU")
    return code


def _texts(params: dict[str, Any]) -> list[str]:
    texts = params.get("text")
    if texts is None:
        raise InputError("Parameter 'text' not specified.")
    if isinstance(texts, str):
        texts = [texts]
    if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
        raise InputError("Parameter 'text' must be a string or a list of strings.")
    if not texts:
        raise InputError("Parameter 'text' is empty.")
    return texts


def _choice(params: dict[str, Any], name: str, allowed: set[str] | dict[str, str], default: str) -> str:
    value = params.get(name)
    if value is None or value == "":
        return default
    value = str(value).lower() if not isinstance(value, bool) else ("1" if value else "0")
    if value not in allowed:
        raise InputError(f"Value for '{name}' not supported: {value!r}",
                         hint=f"accepted: {', '.join(sorted(allowed))}")
    return value


def translation_options(params: dict[str, Any]) -> dict[str, Any]:
    """The request's DeepL options, checked; what Glossa cannot honour is refused, not ignored."""
    target = target_code(params.get("target_lang"))
    source = source_code(params["source_lang"]) if params.get("source_lang") else "auto"
    tag_handling = _choice(params, "tag_handling", _TAG_HANDLING, "")
    _choice(params, "split_sentences", _SPLIT_SENTENCES, "1")  # Glossa always segments itself
    formality = _choice(params, "formality", _FORMALITY_ACCEPTED | {"more", "less"}, "default")
    if formality in ("more", "less"):
        raise InputError(f"'formality' is not supported for the target language {target.upper()}",
                         hint="Glossa has no formality control; use prefer_more / prefer_less or default")
    if source != "auto" and source == target:
        raise InputError(f"source_lang and target_lang are both {source.upper()}")
    glossary_id = _glossary_id(params)
    if glossary_id and source == "auto":
        raise InputError("Use of a glossary requires the source_lang parameter to be set.")
    return {"source": source, "target": target,
            "format": _TAG_HANDLING[tag_handling] if tag_handling else "text",
            "glossary_id": glossary_id,
            "house_glossary": _choice(params, "glossa_house_glossary", {"0", "1", "true", "false"}, "1")
            in ("1", "true")}


def _glossary_id(params: dict[str, Any]) -> str | None:
    """``glossary_id``, or ``glossary_ids`` (newer clients) holding one id: Glossa enforces one
    named glossary per request (over the house glossary)."""
    ids = params.get("glossary_ids")
    if ids not in (None, "", []):
        if params.get("glossary_id"):
            raise InputError("glossary_ids cannot be used together with glossary_id.")
        ids = ids if isinstance(ids, list) else str(ids).split(",")
        if len(ids) != 1:
            raise InputError(f"glossary_ids holds {len(ids)} glossaries; Glossa applies one per request",
                             hint="merge them into one glossary, or translate with each in turn")
        return str(ids[0]).strip() or None
    value = params.get("glossary_id")
    return str(value).strip() or None if value else None


@router.post("/translate")
async def deepl_translate(request: Request, state: AppState = Depends(get_state)) -> dict:
    """DeepL's translate: ``text`` (one or a list), ``target_lang``, optional ``source_lang``,
    ``glossary_id``, ``tag_handling``; answers ``translations`` in order."""
    check_key(request, state)
    params = await read_params(request)
    texts = _texts(params)
    options = translation_options(params)
    glossary: Any = True
    if options["glossary_id"]:
        deepl_glossaries = DeepLGlossaries(state.glossaries)
        glossary = await run_in_threadpool(deepl_glossaries.for_translation, options["glossary_id"],
                                           options["source"], options["target"])
    # DeepL translates empty strings to empty strings; Glossa refuses empty texts, so skip them.
    wanted = [i for i, t in enumerate(texts) if t.strip()]
    results = await translate_texts(state, [texts[i] for i in wanted], source=options["source"],
                                    target=options["target"], format=options["format"],
                                    glossary=glossary, house_glossary=options["house_glossary"]) if wanted else []
    by_index = dict(zip(wanted, results))
    translations = []
    for i, text in enumerate(texts):
        result = by_index.get(i)
        if result is None:
            source = options["source"] if options["source"] != "auto" else "en"
            translations.append({"detected_source_language": source.upper(), "text": text,
                                 "billed_characters": len(text)})
            continue
        translations.append({
            "detected_source_language": result.source.upper(),
            "text": result.translation,
            "billed_characters": len(text),
            "glossa": report_extension(result),
        })
    state.deepl_characters += sum(len(t) for t in texts)
    return {"translations": translations}


@router.get("/languages")
async def deepl_languages(request: Request, state: AppState = Depends(get_state)) -> list[dict]:
    """Source languages, or target languages with ``type=target`` (query or body)."""
    check_key(request, state)
    params = await read_params(request)
    kind = str(params.get("type", "source")).lower()
    if kind not in ("source", "target"):
        raise InputError(f"Value for 'type' not supported: {kind!r}", hint="source or target")
    if kind == "source":
        return [{"language": code.upper(), "name": DEEPL_NAMES[code]} for code in SUPPORTED_LANGUAGES]
    answer = []
    for code in SUPPORTED_LANGUAGES:
        if code == "en":
            answer += [{"language": "EN-GB", "name": "English (British)", "supports_formality": False},
                       {"language": "EN-US", "name": "English (American)", "supports_formality": False}]
        else:
            answer.append({"language": code.upper(), "name": DEEPL_NAMES[code], "supports_formality": False})
    return answer


@router.get("/usage")
async def deepl_usage(request: Request, state: AppState = Depends(get_state)) -> dict:
    """Characters translated through this API by this process; Glossa has no quota."""
    check_key(request, state)
    return {"character_count": state.deepl_characters, "character_limit": UNLIMITED}
