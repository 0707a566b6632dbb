"""GET /v1/languages and GET /v1/models: what this installation can translate, and with what."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from starlette.concurrency import run_in_threadpool

from service.api.dependencies import get_state
from service.api.schemas import LanguagesResponse, ModelsResponse
from service.api.state import AppState
from service.errors import ModelNotFoundError
from service.languages import SUPPORTED_LANGUAGES, language_name

router = APIRouter(prefix="/v1", tags=["catalog"])


def language_routes(state: AppState) -> list[dict]:
    """Every supported language with its directions: direct, through the pivot, or missing."""
    languages = []
    for source in SUPPORTED_LANGUAGES:
        routes = []
        for target in SUPPORTED_LANGUAGES:
            if target == source:
                continue
            try:
                packages = state.pipeline.route(source, target)
            except ModelNotFoundError as exc:
                routes.append({"target": target, "available": False, "missing": str(exc)})
                continue
            routes.append({
                "target": target,
                "available": True,
                "pivot": packages[0].to_code if len(packages) > 1 else None,
                "models": [p.describe() for p in packages],
            })
        languages.append({"code": source, "name": language_name(source), "routes": routes})
    return languages


@router.get("/languages", response_model=LanguagesResponse)
async def languages(state: AppState = Depends(get_state)) -> dict:
    """Supported languages and, for each, the installed directions (direct or pivoting through en)."""
    return {"languages": await run_in_threadpool(language_routes, state)}


@router.get("/models", response_model=ModelsResponse)
async def models(state: AppState = Depends(get_state)) -> dict:
    """Installed model packages (demo packages are flagged) and unusable package directories."""
    packages, problems = await run_in_threadpool(state.pipeline.packages)
    return {
        "models": [
            {"pair": p.pair, "source": p.from_code, "target": p.to_code, "version": p.package_version,
             "name": p.name, "demo": p.demo}
            for p in packages
        ],
        "problems": problems,
    }
