"""DeepL-compatible glossaries: ``/v2/glossaries`` (one language pair each),
``/v2/glossary-language-pairs`` and ``/v3/glossaries`` (multilingual: dictionaries), as the
official ``deepl`` client calls them, with DeepL's shapes, status codes and ``{"message"}`` errors.

Every operation is a call to ``service.glossary.deepl`` (a DeepL glossary is a named Glossa
glossary; see there for how entries map onto concepts). Reads need a key only when translation
does (``translate_requires_key``); writes always need one allowed to change that glossary
(a key limited to some glossaries cannot create one: a new id is in no key's list).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from starlette.concurrency import run_in_threadpool

from service.api.dependencies import get_state
from service.api.routers.deepl import check_key, deepl_key, read_params
from service.api.state import AppState
from service.errors import InputError
from service.glossary.deepl import PAIRS, DeepLGlossaries, Pair, check_pair, language, parse_entries

v2 = APIRouter(prefix="/v2", tags=["DeepL-compatible"])
v3 = APIRouter(prefix="/v3", tags=["DeepL-compatible"])

TSV = "text/tab-separated-values; charset=utf-8"


def _deepl(state: AppState) -> DeepLGlossaries:
    return DeepLGlossaries(state.glossaries)


def _body(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    """The request body as /docs shows it (the route reads JSON, a form or the query string)."""
    schema = {"type": "object", "properties": properties, "required": required}
    return {"requestBody": {"required": bool(required), "content": {
        "application/json": {"schema": schema}, "application/x-www-form-urlencoded": {"schema": schema}}}}


_LANG = {"type": "string", "examples": ["EN"]}
_DICTIONARY = {"source_lang": _LANG, "target_lang": {"type": "string", "examples": ["RU"]},
               "entries": {"type": "string", "examples": ["Pak Jong-chon\tПак Чон Чхон"]},
               "entries_format": {"type": "string", "enum": ["tsv", "csv"], "default": "tsv"}}
_NAME = {"type": "string", "examples": ["Desk names"]}
_DICTIONARIES = {"type": "array", "items": {"type": "object", "properties": _DICTIONARY,
                                            "required": ["source_lang", "target_lang", "entries"]}}


def _check_write(request: Request, state: AppState, glossary_id: str) -> None:
    state.keys.check(deepl_key(request), action="glossary changes", glossary=glossary_id)


def _pair(params: dict[str, Any]) -> Pair:
    return check_pair(language(params.get("source_lang"), "source_lang"),
                      language(params.get("target_lang"), "target_lang"))


def _dictionary(params: Any) -> tuple[Pair, list[Pair]]:
    """One dictionary of a request (v2: the request itself; v3: an item of ``dictionaries``)."""
    if not isinstance(params, dict):
        raise InputError("Each dictionary must be an object with source_lang, target_lang and entries.")
    pair = _pair(params)
    if params.get("entries") in (None, ""):
        raise InputError("Parameter 'entries' not specified.")
    return pair, parse_entries(params.get("entries"), params.get("entries_format"), pair)


def _tsv(entries: list[Pair]) -> str:
    return "".join(f"{source}\t{target}\n" for source, target in entries)


# --- v2 -----------------------------------------------------------------------------------------


@v2.get("/glossary-language-pairs")
async def language_pairs(request: Request, state: AppState = Depends(get_state)) -> dict:
    """The pairs a dictionary may have: English on one side (KO↔RU goes through English)."""
    check_key(request, state)
    return {"supported_languages": [{"source_lang": s, "target_lang": t} for s, t in PAIRS]}


@v2.post("/glossaries", status_code=201, openapi_extra=_body(
    {"name": _NAME, **_DICTIONARY}, ["name", "source_lang", "target_lang", "entries"]))
async def create_v2(request: Request, state: AppState = Depends(get_state)) -> dict:
    """``name``, ``source_lang``, ``target_lang``, ``entries``, ``entries_format`` (tsv or csv)."""
    deepl = _deepl(state)
    glossary_id = deepl.new_id()
    _check_write(request, state, glossary_id)
    params = await read_params(request)
    dictionary = _dictionary(params)
    created = await run_in_threadpool(deepl.create, glossary_id, params.get("name"), [dictionary])
    return created.v2()


@v2.get("/glossaries")
async def list_v2(request: Request, state: AppState = Depends(get_state)) -> dict:
    """Glossaries with one dictionary (the others are only visible through /v3)."""
    check_key(request, state)
    found = await run_in_threadpool(_deepl(state).all)
    return {"glossaries": [g.v2() for g in found if len(g.dictionaries) == 1]}


async def _single(state: AppState, glossary_id: str) -> Any:
    glossary = await run_in_threadpool(_deepl(state).get, glossary_id)
    if len(glossary.dictionaries) != 1:
        raise InputError(f"The glossary has {len(glossary.dictionaries)} dictionaries; "
                         f"use /v3/glossaries/{glossary_id}")
    return glossary


@v2.get("/glossaries/{glossary_id}")
async def get_v2(glossary_id: str, request: Request, state: AppState = Depends(get_state)) -> dict:
    check_key(request, state)
    return (await _single(state, glossary_id)).v2()


@v2.get("/glossaries/{glossary_id}/entries", response_class=Response,
        responses={200: {"content": {"text/tab-separated-values": {}}}})
async def entries_v2(glossary_id: str, request: Request, state: AppState = Depends(get_state)) -> Response:
    """The entries as TSV (``source<TAB>target`` lines), read from the glossary's concepts."""
    check_key(request, state)
    glossary = await _single(state, glossary_id)
    return Response(_tsv(glossary.entries(glossary.dictionaries[0])), media_type=TSV)


@v2.delete("/glossaries/{glossary_id}", status_code=204, response_class=Response)
async def delete_v2(glossary_id: str, request: Request, state: AppState = Depends(get_state)) -> Response:
    _check_write(request, state, glossary_id)
    await run_in_threadpool(_deepl(state).delete, glossary_id)
    return Response(status_code=204)


# --- v3 -----------------------------------------------------------------------------------------


def _dictionaries(params: dict[str, Any], *, required: bool) -> list[tuple[Pair, list[Pair]]]:
    items = params.get("dictionaries")
    if items is None and not required:
        return []
    if not isinstance(items, list) or not items:
        raise InputError("Parameter 'dictionaries' must be a non-empty list.")
    return [_dictionary(item) for item in items]


@v3.post("/glossaries", status_code=201, openapi_extra=_body(
    {"name": _NAME, "dictionaries": _DICTIONARIES}, ["name", "dictionaries"]))
async def create_v3(request: Request, state: AppState = Depends(get_state)) -> dict:
    """``name`` and ``dictionaries`` (each: source_lang, target_lang, entries, entries_format)."""
    deepl = _deepl(state)
    glossary_id = deepl.new_id()
    _check_write(request, state, glossary_id)
    params = await read_params(request)
    dictionaries = _dictionaries(params, required=True)
    created = await run_in_threadpool(deepl.create, glossary_id, params.get("name"), dictionaries)
    return created.v3()


@v3.get("/glossaries")
async def list_v3(request: Request, state: AppState = Depends(get_state)) -> dict:
    check_key(request, state)
    return {"glossaries": [g.v3() for g in await run_in_threadpool(_deepl(state).all)]}


@v3.get("/glossaries/{glossary_id}")
async def get_v3(glossary_id: str, request: Request, state: AppState = Depends(get_state)) -> dict:
    check_key(request, state)
    return (await run_in_threadpool(_deepl(state).get, glossary_id)).v3()


@v3.get("/glossaries/{glossary_id}/entries")
async def entries_v3(glossary_id: str, request: Request, state: AppState = Depends(get_state)) -> dict:
    """One dictionary's entries (``source_lang``, ``target_lang``) as TSV inside JSON."""
    check_key(request, state)
    pair = _pair(dict(request.query_params))
    glossary = await run_in_threadpool(_deepl(state).get, glossary_id)
    if pair not in glossary.dictionaries:
        raise InputError(f"The glossary has no {pair[0].upper()}→{pair[1].upper()} dictionary")
    return {"dictionaries": [{"source_lang": pair[0], "target_lang": pair[1],
                              "entries": _tsv(glossary.entries(pair)), "entries_format": "tsv"}]}


@v3.patch("/glossaries/{glossary_id}", openapi_extra=_body({"name": _NAME, "dictionaries": _DICTIONARIES}, []))
async def patch_v3(glossary_id: str, request: Request, state: AppState = Depends(get_state)) -> dict:
    """A new ``name`` and/or ``dictionaries`` whose entries are merged in (new pairs added)."""
    _check_write(request, state, glossary_id)
    params = await read_params(request)
    dictionaries = _dictionaries(params, required=False)
    if params.get("name") is None and not dictionaries:
        raise InputError("Nothing to change: give 'name' and/or 'dictionaries'.")
    updated = await run_in_threadpool(lambda: _deepl(state).update(
        glossary_id, name=params.get("name"), dictionaries=dictionaries))
    return updated.v3()


@v3.put("/glossaries/{glossary_id}/dictionaries", openapi_extra=_body(
    _DICTIONARY, ["source_lang", "target_lang", "entries"]))
async def put_dictionary_v3(glossary_id: str, request: Request, state: AppState = Depends(get_state)) -> dict:
    """Replace one dictionary's entries (or add the dictionary)."""
    _check_write(request, state, glossary_id)
    params = await read_params(request)
    dictionary = _dictionary(params)
    updated = await run_in_threadpool(lambda: _deepl(state).update(
        glossary_id, dictionaries=[dictionary], replace_pairs=True))
    return updated.dictionary_info(dictionary[0])


@v3.delete("/glossaries/{glossary_id}", status_code=204, response_class=Response)
async def delete_v3(glossary_id: str, request: Request, state: AppState = Depends(get_state)) -> Response:
    _check_write(request, state, glossary_id)
    await run_in_threadpool(_deepl(state).delete, glossary_id)
    return Response(status_code=204)


@v3.delete("/glossaries/{glossary_id}/dictionaries", status_code=204, response_class=Response)
async def delete_dictionary_v3(glossary_id: str, request: Request, state: AppState = Depends(get_state)) -> Response:
    _check_write(request, state, glossary_id)
    pair = _pair(dict(request.query_params))
    await run_in_threadpool(_deepl(state).delete_dictionary, glossary_id, pair)
    return Response(status_code=204)


routers = (v2, v3)
