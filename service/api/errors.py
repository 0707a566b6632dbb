"""Every error the service answers is JSON ``{"error": {"code", "message"}}`` with a 4xx status
for anything the client sent; a 500 means a bug in Glossa, never bad input."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.errors import (
    ConceptNotFoundError,
    ForbiddenError,
    GlossaError,
    GlossaryError,
    IndexUnavailableError,
    InputError,
    InputTooLargeError,
    ModelNotFoundError,
    PackageError,
    QueueFullError,
    RequestTimeoutError,
    UnauthorizedError,
    UnsupportedLanguageError,
)

log = logging.getLogger("glossa.api")

# The HTTP status of each core error, looked up along the class's MRO (the nearest class wins);
# an error not listed here is a bug (500). The core classes know nothing of HTTP.
HTTP_STATUS: dict[type[GlossaError], int] = {
    InputError: 400,
    InputTooLargeError: 413,
    UnsupportedLanguageError: 422,
    ModelNotFoundError: 422,
    PackageError: 400,
    IndexUnavailableError: 503,
    GlossaryError: 400,
    ConceptNotFoundError: 404,
    UnauthorizedError: 401,
    ForbiddenError: 403,
    QueueFullError: 503,
    RequestTimeoutError: 504,
}


def http_status(exc: GlossaError) -> int:
    for cls in type(exc).__mro__:
        if cls in HTTP_STATUS:
            return HTTP_STATUS[cls]
    return 500

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "request_too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    503: "unavailable",
}


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None,
                   **extra: Any) -> JSONResponse:
    body: dict[str, Any] = {"code": code, "message": message}
    body.update(extra)
    return JSONResponse({"error": body}, status_code=status, headers=headers)


def describe_validation(errors: list[dict[str, Any]]) -> str:
    """One line naming each bad field: 'body.target: Field required; body.glossary: ...'."""
    parts = []
    for err in errors[:5]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body"
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    if len(errors) > 5:
        parts.append(f"and {len(errors) - 5} more")
    return "; ".join(parts)


async def _glossa_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, GlossaError)
    headers = None
    retry_after = getattr(exc, "retry_after", None)
    if retry_after is not None:
        headers = {"Retry-After": str(retry_after)}
    www = getattr(exc, "www_authenticate", None)
    if www:
        headers = {**(headers or {}), "WWW-Authenticate": www}
    status = http_status(exc)
    if status >= 500 and status not in (503, 504):
        log.error("internal error answering %s %s: %s", request.method, request.url.path, exc)
    return error_response(status, exc.code, str(exc), headers)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    if any(err.get("type") == "json_invalid" for err in errors):
        detail = next(e for e in errors if e.get("type") == "json_invalid")
        reason = (detail.get("ctx") or {}).get("error", "")
        suffix = f": {reason}" if reason else ""
        return error_response(400, "malformed_json", f"the request body is not valid JSON{suffix}")
    return error_response(422, "invalid_request", describe_validation(errors))


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    if exc.status_code == 400 and "parsing the body" in message:
        # FastAPI's message for a JSON body that is not even text (invalid UTF-8 and the like)
        code, message = "malformed_body", "the request body could not be read as UTF-8 JSON"
    return error_response(exc.status_code, code, message, dict(exc.headers or {}) or None)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("bug while answering %s %s", request.method, request.url.path)
    return error_response(500, "internal_error", "internal error (a bug in Glossa; it has been logged)")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(GlossaError, _glossa_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
