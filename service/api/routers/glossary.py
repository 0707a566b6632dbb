"""Glossary endpoints: list/search, get, add, update, retire, import, export, check.

Every change goes through ``GlossaryStore`` (the CLI's store: file lock, atomic writes), so the
next translation uses it without a restart, and CLI edits made meanwhile are seen here too.
Writes need an API key, checked before anything is read. Imports and exports travel in the
request and response bodies: no endpoint reads or writes a path a client names.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from service.api.auth import bearer_token
from service.api.schemas import ConceptBody, ConceptOut, ConceptUpdate, GlossaryPage, ImportResult
from service.api.state import AppState, get_state
from service.errors import InputError
from service.inputs import decode_text

router = APIRouter(prefix="/v1/glossary", tags=["glossary"])

Lang = Literal["en", "ko", "ru"]
Status = Literal["enforced", "fuzzy", "retired", "all"]
_MEDIA = {"po": "text/x-gettext-translation", "csv": "text/csv", "tsv": "text/tab-separated-values",
          "tbx": "application/x-tbx+xml"}


def require_write_key(request: Request, state: AppState = Depends(get_state)) -> None:
    state.keys.check(bearer_token(request), action="changing the glossary")


# -- conversions ----------------------------------------------------------------------------------

def concept_out(concept) -> dict:
    return {
        "term": concept.msgid,
        "category": concept.category,
        "note": concept.note,
        "retired": concept.retired,
        "renderings": {lang: rendering_out(r) for lang, r in sorted(concept.renderings.items())},
    }


def rendering_out(rendering) -> dict:
    return {"text": rendering.text, "variants": list(rendering.variants), "shorts": list(rendering.shorts),
            "fuzzy": rendering.fuzzy,
            "gender": rendering.gender, "forms": dict(rendering.forms),
            "indeclinable": rendering.indeclinable, "comment": rendering.comment}


def rendering_in(lang: str, body) -> object:
    from service.glossary.termbase import LANGUAGES, Rendering

    if lang not in LANGUAGES:
        raise InputError(f"rendering language {lang!r} is not one of {', '.join(LANGUAGES)}")
    return Rendering(text=body.text.strip(), variants=tuple(v.strip() for v in body.variants if v.strip()),
                     shorts=tuple(v.strip() for v in body.shorts if v.strip()), fuzzy=body.fuzzy, gender=body.gender, forms=dict(body.forms),
                     indeclinable=body.indeclinable, comment=body.comment)


def _matches(concept, text: str | None, lang: str | None, status: str) -> bool:
    renderings = concept.renderings
    if status == "retired" and not concept.retired:
        return False
    if status in ("enforced", "fuzzy"):
        if concept.retired:
            return False
        wanted_fuzzy = status == "fuzzy"
        pool = [renderings[lang]] if lang and lang in renderings else list(renderings.values())
        if not any(r.fuzzy == wanted_fuzzy for r in pool):
            return False
    if lang and lang not in renderings:
        return False
    if text:
        needle = text.casefold()
        haystack = [concept.msgid, concept.note]
        for r in ([renderings[lang]] if lang else renderings.values()):
            haystack.extend(r.surfaces())
        if not any(needle in h.casefold() for h in haystack):
            return False
    return True


# -- reading --------------------------------------------------------------------------------------

@router.get("", response_model=GlossaryPage)
async def list_concepts(
    state: AppState = Depends(get_state),
    q: str | None = Query(None, max_length=500, description="Text in the term, note, renderings or variants."),
    category: str | None = Query(None, max_length=40),
    lang: Lang | None = Query(None, description="Only concepts with a rendering in this language."),
    status: Status = Query("all", description="enforced, fuzzy (proposed), retired, or all live ones."),
    offset: int = Query(0, ge=0),
    limit: int = Query(50, ge=1, le=500),
) -> dict:
    termbase = await run_in_threadpool(state.glossary.termbase)
    found = [c for c in termbase.concepts(include_retired=status == "retired")
             if (category is None or c.category == category) and _matches(c, q, lang, status)]
    return {"total": len(found), "offset": offset, "limit": limit,
            "items": [concept_out(c) for c in found[offset:offset + limit]]}


@router.get("/export", response_class=Response, responses={200: {"content": {
    "text/x-gettext-translation": {}, "text/csv": {}, "text/tab-separated-values": {}, "application/x-tbx+xml": {}}}})
async def export(
    state: AppState = Depends(get_state),
    format: Literal["po", "csv", "tsv", "tbx"] = Query("po"),
    lang: Lang | None = Query(None, description="po: that language's PO (none: the POT). csv/tsv: the target column."),
    source: Lang = Query("en", description="csv/tsv: the source column."),
) -> Response:
    from service.glossary import exchange

    termbase = await run_in_threadpool(state.glossary.termbase)
    if format == "po":
        body = exchange.export_po(termbase, lang)
    elif format == "tbx":
        body = exchange.export_tbx(termbase)
    else:
        if lang is None or lang == source:
            raise InputError(f"a {format} export needs lang= (the target column), different from source={source}")
        body = exchange.export_table(termbase, delimiter="," if format == "csv" else "\t", source=source, target=lang)
    name = f"glossary{'-' + lang if lang else ''}.{'pot' if format == 'po' and lang is None else format}"
    return Response(body, media_type=f"{_MEDIA[format]}; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


class CheckIssue(BaseModel):
    severity: Literal["error", "warning"]
    code: str = Field(examples=["untranslated"])
    message: str
    file: str = Field("", description="The PO/POT file concerned, if one.")
    msgid: str = Field("", description="The concept concerned, if one.")


class CheckReport(BaseModel):
    errors: int
    warnings: int
    issues: list[CheckIssue]
    msgfmt: bool = Field(description="Whether `msgfmt --check` ran (gettext installed on the server).")
    categories: list[str] = Field(description="The categories the check knows.")


@router.get("/check", response_model=CheckReport)
async def check(state: AppState = Depends(get_state)) -> dict:
    """What `glossa glossary check` reports: errors (the CLI exits non-zero) and warnings, with the
    file and concept each concerns, and the categories the check accepts."""
    from service.glossary.check import cached_checks, msgfmt_available
    from service.glossary.termbase import CATEGORIES

    issues = await run_in_threadpool(cached_checks, state.glossary.directory)
    errors = sum(1 for i in issues if i.severity == "error")
    return {"errors": errors, "warnings": len(issues) - errors, "issues": [i.to_dict() for i in issues],
            "msgfmt": msgfmt_available(), "categories": list(CATEGORIES)}


@router.get("/{concept}", response_model=ConceptOut, responses={404: {"description": "No such concept."}})
async def get_concept(concept: str, state: AppState = Depends(get_state),
                      category: str | None = Query(None, max_length=40)) -> dict:
    termbase = await run_in_threadpool(state.glossary.termbase)
    return concept_out(termbase.get(concept, category))


# -- writing --------------------------------------------------------------------------------------

@router.post("", response_model=ConceptOut, status_code=201, dependencies=[Depends(require_write_key)])
async def add_concept(body: ConceptBody, state: AppState = Depends(get_state)) -> dict:
    from service.glossary.termbase import Concept

    concept = Concept(msgid=body.term.strip(), category=body.category, note=body.note,
                      renderings={lang: rendering_in(lang, r) for lang, r in body.renderings.items()})

    def run():
        added = state.glossary.add(concept)
        return state.glossary.termbase().get(added.msgid, added.category)  # as written, with defaults

    return concept_out(await run_in_threadpool(run))


@router.put("/{concept}", response_model=ConceptOut, dependencies=[Depends(require_write_key)])
async def update_concept(concept: str, body: ConceptUpdate, state: AppState = Depends(get_state),
                         category: str | None = Query(None, max_length=40)) -> dict:
    renderings = {lang: (None if r is None else rendering_in(lang, r)) for lang, r in body.renderings.items()}
    updated = await run_in_threadpool(
        lambda: state.glossary.update(concept, category, note=body.note, renderings=renderings))
    return concept_out(updated)


@router.delete("/{concept}", response_model=ConceptOut, dependencies=[Depends(require_write_key)])
async def retire_concept(concept: str, state: AppState = Depends(get_state),
                         category: str | None = Query(None, max_length=40)) -> dict:
    """Retire the concept: it stops being enforced and stays in the files (obsolete) for history."""
    return concept_out(await run_in_threadpool(state.glossary.remove, concept, category))


@router.post("/import", response_model=ImportResult, dependencies=[Depends(require_write_key)],
             openapi_extra={"requestBody": {"required": True, "content": {
                 "text/plain": {"schema": {"type": "string"}},
                 "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}})
async def import_glossary(
    request: Request,
    state: AppState = Depends(get_state),
    format: Literal["po", "csv", "tsv", "tbx"] = Query(description="Format of the request body."),
    lang: Lang | None = Query(None, description="po: the language of a PO file without a Language header; "
                                                "csv/tsv: the target column."),
    source: Lang = Query("en", description="csv/tsv: the source column."),
    category: str = Query("term", max_length=40, description="Category for new concepts that name none."),
    overwrite: bool = Query(True, description="Imported renderings replace existing ones."),
    dry_run: bool = Query(False, description="Report what would change; write nothing."),
) -> dict:
    """Merge a glossary file sent as the request body (PO/POT, two-column CSV/TSV, or TBX)."""
    from service.glossary import exchange

    text = decode_text(await request.body(), name="the imported file", max_bytes=state.settings.max_body_bytes)

    def run() -> dict:
        concepts = exchange.read_concepts(text, format, lang=lang, source=source, category=category,
                                          termbase=state.glossary.termbase() if format in ("csv", "tsv") else None)
        report = state.glossary.import_concepts(concepts, dry_run=dry_run, overwrite=overwrite)
        return {**report.to_dict(), "dry_run": dry_run}

    return await run_in_threadpool(run)
