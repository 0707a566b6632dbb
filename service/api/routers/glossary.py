"""Glossary endpoints: the house glossary at ``/v1/glossary``, named glossaries at
``/v1/glossaries`` (create, list, get, delete) and ``/v1/glossaries/{name}/...``, with the same
operations on each: list/search, get, add, update, retire, import, export, check.

Every operation is a call to the glossary service (``service.glossary.service``), the same one
the CLI and batch use, so the next translation sees a change without a restart and CLI edits
made meanwhile are seen here too. Writes need an API key allowed to change that glossary,
checked before anything is read. Imports and exports travel in the request and response bodies:
no endpoint reads or writes a path a client names.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from service.api.dependencies import check_glossary_write, get_state
from service.api.schemas import (
    ConceptBody,
    ConceptOut,
    ConceptUpdate,
    GlossaryCreate,
    GlossaryInfo,
    GlossaryList,
    GlossaryPage,
    ImportResult,
    Lang,
)
from service.api.state import AppState
from service.glossary.service import (
    HOUSE,
    ConceptEdit,
    GlossaryService,
    concept_to_dict,
    rendering_from_dict,
)
from service.inputs import decode_text

Status = Literal["enforced", "fuzzy", "retired", "all"]
ExportFormat = Literal["po", "pot", "csv", "tsv", "tbx", "tbx3", "deepl-csv", "google-csv"]
ImportFormat = Literal["po", "csv", "tsv", "tbx", "deepl-csv", "google-csv"]
GlossaryName = Path(min_length=1, max_length=64, description="A named glossary (`house`: the house glossary).")


class CheckIssue(BaseModel):
    severity: Literal["error", "warning"]
    code: str = Field(examples=["untranslated"])
    message: str
    file: str = Field("", description="The PO/POT file concerned, if one.")
    msgid: str = Field("", description="The concept concerned (its term), if one.")


class CheckReport(BaseModel):
    errors: int
    warnings: int
    issues: list[CheckIssue]
    msgfmt: bool = Field(description="Whether `msgfmt --check` ran (gettext installed on the server).")
    categories: list[str] = Field(description="The categories the check knows.")


def _house(state: AppState = Depends(get_state)) -> GlossaryService:
    return state.glossaries.house()


def _named(name: str = GlossaryName, state: AppState = Depends(get_state)) -> GlossaryService:
    return state.glossaries.get(name)


def _write_access(request: Request, state: AppState = Depends(get_state)) -> None:
    # Before the glossary is even looked up: a client without the right key learns nothing.
    check_glossary_write(request, state, request.path_params.get("name", HOUSE))


def _edit(body: ConceptUpdate) -> ConceptEdit:
    return ConceptEdit(
        note=body.note,
        renderings={lang: None if r is None else rendering_from_dict(lang, r.model_dump())
                    for lang, r in body.renderings.items()},
        add_variants=[(lang, v) for lang, values in body.add_variants.items() for v in values],
        remove_variants=[(lang, v) for lang, values in body.remove_variants.items() for v in values],
        fuzzy=set(body.propose), approve=set(body.approve), clear=set(body.clear),
        clear_forms=list(body.clear_forms),
    )


def glossary_routes(prefix: str, concepts: str, resolve: Callable[..., GlossaryService], tag: str) -> APIRouter:
    """The operations on one glossary; ``concepts`` is the path of its concept collection."""
    router = APIRouter(prefix=prefix, tags=[tag])
    collection = concepts or ""
    item = f"{concepts}/{{concept}}"

    @router.get(collection, response_model=GlossaryPage)
    async def list_concepts(
        glossary: GlossaryService = Depends(resolve),
        q: str | None = Query(None, max_length=500, description="Text in the term, note, renderings or variants."),
        category: str | None = Query(None, max_length=40),
        lang: Lang | None = Query(None, description="Only concepts with a rendering in this language."),
        status: Status = Query("all", description="enforced, fuzzy (proposed), retired, or all live ones."),
        offset: int = Query(0, ge=0),
        limit: int = Query(50, ge=1, le=500),
    ) -> dict:
        found = await run_in_threadpool(glossary.search, q, category=category, lang=lang, status=status)
        return {"total": len(found), "offset": offset, "limit": limit,
                "items": [concept_to_dict(c) for c in found[offset:offset + limit]]}

    @router.get("/export", response_class=Response, responses={200: {"content": {
        "text/x-gettext-translation": {}, "text/csv": {}, "text/tab-separated-values": {},
        "application/x-tbx+xml": {}}}})
    async def export(
        glossary: GlossaryService = Depends(resolve),
        format: ExportFormat = Query("po", description="po/pot, csv/tsv (two columns), tbx (TBX-Basic "
                                     "2008), tbx3 (TBX v3), deepl-csv (DeepL multilingual), google-csv "
                                     "(equivalent term sets)."),
        lang: Lang | None = Query(None, description="po: that language's PO (none: the POT). "
                                  "csv/tsv: the target column."),
        source: Lang = Query("en", description="csv/tsv: the source column."),
    ) -> Response:
        exported = await run_in_threadpool(lambda: glossary.export(format, lang=lang, source=source, target=lang))
        return Response(exported.text, media_type=f"{exported.media_type}; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{exported.filename}"'})

    @router.get("/check", response_model=CheckReport)
    async def check(glossary: GlossaryService = Depends(resolve)) -> dict:
        """What `glossa glossary check` reports: errors (the CLI exits non-zero) and warnings, with
        the file and concept each concerns, and the categories the check accepts."""
        from service.glossary.check import msgfmt_available
        from service.glossary.termbase import CATEGORIES

        # Cached per version of the files: each run starts a msgfmt process per file (issue 12).
        issues = await run_in_threadpool(lambda: glossary.check(cached=True))
        errors = sum(1 for i in issues if i.severity == "error")
        return {"errors": errors, "warnings": len(issues) - errors, "issues": [i.to_dict() for i in issues],
                "msgfmt": msgfmt_available(), "categories": list(CATEGORIES)}

    @router.get(item, response_model=ConceptOut, responses={404: {"description": "No such concept."}})
    async def get_concept(concept: str, glossary: GlossaryService = Depends(resolve),
                          category: str | None = Query(None, max_length=40)) -> dict:
        return concept_to_dict(await run_in_threadpool(glossary.get, concept, category))

    @router.post(collection, response_model=ConceptOut, status_code=201, dependencies=[Depends(_write_access)])
    async def add_concept(body: ConceptBody, glossary: GlossaryService = Depends(resolve)) -> dict:
        from service.glossary.termbase import Concept

        renderings = {lang: rendering_from_dict(lang, r.model_dump()) for lang, r in body.renderings.items()}
        concept = Concept(msgid=body.term.strip(), category=body.category, note=body.note, renderings=renderings)
        return concept_to_dict(await run_in_threadpool(glossary.add, concept))

    @router.put(item, response_model=ConceptOut, dependencies=[Depends(_write_access)])
    async def update_concept(concept: str, body: ConceptUpdate, glossary: GlossaryService = Depends(resolve),
                             category: str | None = Query(None, max_length=40)) -> dict:
        """Change what the body names: whole renderings (null removes one), the note, and the
        CLI's verbs (variants to add or remove, languages to approve, propose or clear, Russian
        form overrides to drop)."""
        edit = _edit(body)
        return concept_to_dict(await run_in_threadpool(glossary.update, concept, category, edit))

    @router.delete(item, response_model=ConceptOut, dependencies=[Depends(_write_access)])
    async def retire_concept(concept: str, glossary: GlossaryService = Depends(resolve),
                             category: str | None = Query(None, max_length=40)) -> dict:
        """Retire the concept: it stops being enforced and stays in the files (obsolete) for
        history. An entry that cannot be read at all is removed."""
        return concept_to_dict(await run_in_threadpool(glossary.remove, concept, category))

    @router.post("/import", response_model=ImportResult, dependencies=[Depends(_write_access)],
                 openapi_extra={"requestBody": {"required": True, "content": {
                     "text/plain": {"schema": {"type": "string"}},
                     "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}})
    async def import_glossary(
        request: Request,
        glossary: GlossaryService = Depends(resolve),
        state: AppState = Depends(get_state),
        format: ImportFormat = Query(description="Format of the request body."),
        lang: Lang | None = Query(None, description="po: the language of a PO file without a Language header; "
                                                    "csv/tsv: the target column."),
        source: Lang = Query("en", description="csv/tsv: the source column."),
        category: str = Query("term", max_length=40, description="Category for new concepts that name none."),
        overwrite: bool = Query(True, description="Imported renderings replace existing ones."),
        dry_run: bool = Query(False, description="Report what would change; write nothing."),
    ) -> dict:
        """Merge a glossary file sent as the request body (at most GLOSSA_MAX_BODY_BYTES). The
        body is parsed as text, never opened as a path; concepts are matched by their English
        term whatever their category, and nothing is written unless every concept is valid."""
        text = decode_text(await request.body(), name="the imported file", max_bytes=state.settings.max_body_bytes)
        report = await run_in_threadpool(lambda: glossary.import_text(
            text, format, lang=lang, source=source, category=category, overwrite=overwrite, dry_run=dry_run))
        return {**report.to_dict(), "dry_run": dry_run}

    return router


house_router = glossary_routes("/v1/glossary", "", _house, "glossary")
named_router = glossary_routes("/v1/glossaries/{name}", "/concepts", _named, "named glossaries")
glossaries_router = APIRouter(prefix="/v1/glossaries", tags=["named glossaries"])


@glossaries_router.get("", response_model=GlossaryList)
async def list_glossaries(state: AppState = Depends(get_state)) -> dict:
    """The house glossary and every named glossary, with their sizes."""
    return {"glossaries": await run_in_threadpool(state.glossaries.list_all)}


@glossaries_router.post("", response_model=GlossaryInfo, status_code=201)
async def create_glossary(body: GlossaryCreate, request: Request, state: AppState = Depends(get_state)) -> dict:
    """An empty named glossary; add concepts with POST /v1/glossaries/{name}/concepts or import."""
    check_glossary_write(request, state, body.name)
    created = await run_in_threadpool(lambda: state.glossaries.create(body.name, description=body.description))
    return created.info()


@glossaries_router.get("/{name}", response_model=GlossaryInfo)
async def get_glossary(name: str = GlossaryName, state: AppState = Depends(get_state)) -> dict[str, Any]:
    return await run_in_threadpool(lambda: state.glossaries.get(name).info())


@glossaries_router.delete("/{name}", status_code=204, response_class=Response)
async def delete_glossary(request: Request, name: str = GlossaryName, state: AppState = Depends(get_state)) -> Response:
    """Delete a named glossary and its files (the house glossary cannot be deleted)."""
    check_glossary_write(request, state, name)
    await run_in_threadpool(state.glossaries.delete, name)
    return Response(status_code=204)


routers = (house_router, glossaries_router, named_router)
