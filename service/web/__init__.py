"""The editors' and terminologists' page: static files shipped in the package, served at ``/``.

The page is plain HTML, CSS and ES modules built on the public ``/v1`` API only, so it needs no
build step and fetches nothing from outside the server (the machine may be air-gapped). Its
Content-Security-Policy says so to the browser too.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from starlette.responses import FileResponse
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

STATIC_DIR = Path(__file__).resolve().parent / "static"

# Everything the page loads comes from this server; blob: is what the download buttons hand over.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# Revalidate on every load (ETag makes that cheap) so an upgraded server never runs a stale page.
_HEADERS = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}


class _StaticFiles(StaticFiles):
    async def get_response(self, path: str, scope: Scope):
        response = await super().get_response(path, scope)
        response.headers.update(_HEADERS)
        return response


def install(app: FastAPI) -> None:
    """Serve the page at ``/`` and its assets under ``/static/``."""
    app.mount("/static", _StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/", include_in_schema=False)
    async def index() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8",
                            headers={**_HEADERS, "Content-Security-Policy": CONTENT_SECURITY_POLICY})
