"""The app factory: ``create_app(settings)`` builds one independent service (tests build several)."""

from __future__ import annotations

import time
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service import __version__, web
from service.api.errors import install_error_handlers
from service.api.limits import BodyLimitMiddleware, RateLimitMiddleware
from service.api.metrics import Metrics
from service.api.routers import catalog, health, libre, translate
from service.api.state import AppState
from service.config import Settings

DESCRIPTION = """\
Offline translation between English, Korean and Russian news text, with an enforced glossary.

* `/v1/...` is Glossa's own API: every text comes back with the detected language, a report of
  every glossary term (applied or missed), warnings and the models used.
* `/translate`, `/detect`, `/languages` answer like LibreTranslate, so its clients work unchanged.
* Errors are JSON: `{"error": {"code": "...", "message": "..."}}`; bad input is always a 4xx.
"""


class RequestMetricsMiddleware:
    """Counts requests and their latency per route template and status."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            route = scope.get("route")
            # Unmatched paths share one label so that scanning clients cannot grow the series.
            path = getattr(route, "path", None) or "unmatched"
            labels = {"method": scope["method"], "route": path}
            self.metrics.inc("glossa_http_requests_total", 1, status=str(status), **labels)
            self.metrics.observe("glossa_http_request_duration_seconds", time.perf_counter() - started, **labels)


def create_app(settings: Settings | None = None, *, pipeline: Any = None) -> FastAPI:
    """Build the service. ``pipeline`` defaults to ``Pipeline(settings)`` (models load lazily)."""
    settings = settings or Settings.from_env()
    state = AppState(settings, pipeline)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        await state.batcher.close()

    app = FastAPI(title="Glossa", version=__version__, description=DESCRIPTION, lifespan=lifespan)
    app.state.glossa = state
    install_error_handlers(app)
    for router in (translate.router, catalog.router, _glossary_router(), libre.router, health.router):
        if router is not None:
            app.include_router(router)
    web.install(app)  # the editors' page at / (static files, built on the /v1 API only)
    # Added last = outermost: metrics see every answer, including refused bodies.
    app.add_middleware(BodyLimitMiddleware, max_body_bytes=settings.max_body_bytes)
    app.add_middleware(RateLimitMiddleware, per_client=settings.rate_limit_per_client,
                       per_key=settings.rate_limit_per_key)
    app.add_middleware(RequestMetricsMiddleware, metrics=state.metrics)
    return app


def _glossary_router():
    from service.api.routers import glossary

    return glossary.router


def app_from_env() -> FastAPI:
    """For ``uvicorn --factory service.api:app_from_env`` (and several workers)."""
    return create_app(Settings.from_env())
