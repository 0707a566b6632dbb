"""GET /health (the process answers), /ready (models load and translate), /metrics (Prometheus)."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse, PlainTextResponse
from starlette.concurrency import run_in_threadpool

from service import __version__
from service.api.dependencies import get_state
from service.api.schemas import Health, Readiness
from service.api.state import AppState
from service.errors import GlossaError

router = APIRouter(tags=["operations"])


@router.get("/health", response_model=Health)
async def health() -> dict:
    return {"status": "ok", "version": __version__}


def check_ready(state: AppState) -> dict:
    """Every installed package loads and translates a probe sentence (checked once per set of
    installed packages, so a probe of /ready every few seconds costs nothing). With
    ``GLOSSA_PRELOAD=none`` each model not yet used by a request is released after its probe:
    directions load on their first request, and idle ones hold no memory."""
    packages, problems = state.pipeline.packages()
    described = [p.describe() for p in packages]
    if not packages:
        return {"ready": False, "models": [], "problems": problems or [
            "no translation models installed: run `glossa models ensure`"]}
    keys = tuple(p.key for p in packages)
    if state.ready_for == keys:
        return {"ready": True, "models": described, "problems": problems}
    failures = []
    keep = state.settings.preload == "all"
    for package in packages:
        try:
            state.pipeline.prove(package, keep=keep)
        except GlossaError as exc:
            failures.append(f"{package.pair}: {exc}")
    if failures:
        return {"ready": False, "models": described, "problems": problems + failures}
    state.ready_for = keys
    return {"ready": True, "models": described, "problems": problems}


@router.get("/ready", response_model=Readiness, responses={503: {"model": Readiness}})
async def ready(state: AppState = Depends(get_state)):
    report = await run_in_threadpool(check_ready, state)
    return report if report["ready"] else JSONResponse(report, status_code=503)


@router.get("/metrics", response_class=PlainTextResponse)
async def metrics(state: AppState = Depends(get_state)) -> PlainTextResponse:
    return PlainTextResponse(state.metrics.render(), media_type="text/plain; version=0.0.4; charset=utf-8")
