"""The app factory: ``create_app(settings)`` builds one independent service (tests build several)."""

from __future__ import annotations

import os
import time
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi_offline import FastAPIOffline
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service import __version__, web
from service.api import requestlog
from service.api.errors import install_error_handlers
from service.api.limits import BodyLimitMiddleware, RateLimitMiddleware
from service.api.metrics import Metrics
from service.api.routers import catalog, deepl, deepl_glossaries, glossary, health, libre, libre_extras, translate
from service.api.state import AppState
from service.config import Settings

DESCRIPTION = """\
Offline translation between English, Korean and Russian news text, with an enforced glossary.

* `/v1/...` is Glossa's own API: every text comes back with the detected language, a report of
  every glossary term (applied or missed), warnings and the models used.
* `/translate`, `/detect`, `/languages` answer like LibreTranslate, so its clients work unchanged.
* `/v2/...` (and `/v3/glossaries`) answer like DeepL's API, so the `deepl` client library works
  with `server_url` pointed here; DeepL glossaries are Glossa glossaries, enforced with morphology.
* Errors are JSON: `{"error": {"code": "...", "message": "..."}}`; bad input is always a 4xx.
"""


class RequestMiddleware:
    """Per request: a request id (sent back in ``X-Request-ID``), metrics by route template and
    status, and one log line (``service.api.requestlog``)."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        offered = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"x-request-id"), None)
        record = requestlog.begin(requestlog.request_id(offered))

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", record["request_id"].encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            seconds = time.perf_counter() - started
            # Unmatched paths share one label so that scanning clients cannot grow the series.
            route = getattr(scope.get("route"), "path", None)
            self.metrics.request(scope["method"], route, status, seconds)
            self.metrics.refresh()  # other workers read this worker's queue figures from its files
            client = scope.get("client")
            record.update(method=scope["method"][:32], route=route or "unmatched", path=scope["path"][:256],
                          status=status, latency_ms=round(seconds * 1000, 2),
                          client=client[0] if client else None, pid=os.getpid())
            requestlog.write(record)


def create_app(settings: Settings | None = None, *, pipeline: Any = None) -> FastAPI:
    """Build the service. ``pipeline`` defaults to ``Pipeline(settings)`` (models load lazily)."""
    settings = settings or Settings.from_env()
    state = AppState(settings, pipeline)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        await state.batcher.close()

    # FastAPIOffline: /docs and /redoc served from the package's own Swagger UI and ReDoc files (no
    # CDN; Glossa runs where there is none); they follow the server's root path behind a proxy.
    app = FastAPIOffline(title="Glossa", version=__version__, description=DESCRIPTION, lifespan=lifespan,
                         static_url="/docs-assets")
    app.state.glossa = state
    install_error_handlers(app)
    for router in (translate.router, catalog.router, *glossary.routers, libre.router, libre_extras.router,
                   deepl.router, *deepl_glossaries.routers, health.router):
        app.include_router(router)
    web.install(app)  # the editors' page at / (static files, built on the /v1 API only)
    # Added last = outermost: metrics see every answer, including refused bodies.
    app.add_middleware(BodyLimitMiddleware, max_body_bytes=settings.max_body_bytes)
    app.add_middleware(RateLimitMiddleware, per_client=settings.rate_limit_per_client,
                       per_key=settings.rate_limit_per_key)
    if settings.cors_origins:  # off unless origins are named: browsers elsewhere get no access
        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins),
                           allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
                           allow_headers=["Authorization", "Content-Type", "X-Request-ID", "Accept-Language"],
                           expose_headers=["X-Request-ID", "Retry-After"], max_age=600)
    app.add_middleware(RequestMiddleware, metrics=state.metrics)
    return app


def app_from_env() -> FastAPI:
    """For ``uvicorn --factory service.api:app_from_env`` (and several workers): each worker
    process builds its app and its request log from the same GLOSSA_* variables."""
    settings = Settings.from_env()
    requestlog.configure(settings.log_format, settings.log_level)
    return create_app(settings)
