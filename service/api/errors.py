"""Every error the service answers is JSON with a 4xx status for anything the client sent; a 500
means a bug in Glossa, never bad input.

The shape is the dialect of the API the route belongs to, so each family of clients reads its own
errors: Glossa's ``{"error": {"code", "message"}}``, LibreTranslate's ``{"error": "message"}``
(status 400 for any bad parameter, 403 for keys) and DeepL's ``{"message": "..."}`` (400, 403,
404, 413, 429, 456, 503). A route picks its dialect by path (``dialect_of``)."""

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
    GlossaryExistsError,
    GlossaryValidationError,
    IndexUnavailableError,
    InputError,
    InputTooLargeError,
    ModelNotFoundError,
    NotFoundError,
    PackageError,
    QueueFullError,
    RequestTimeoutError,
    SourceMismatchError,
    SuggestionsDisabledError,
    UnauthorizedError,
    UnsupportedLanguageError,
)

log = logging.getLogger("glossa.api")

# The HTTP status of each core error, looked up along the class's MRO (the nearest class wins);
# an error not listed here is a bug (500). The core classes know nothing of HTTP.
HTTP_STATUS: dict[type[GlossaError], int] = {
    InputError: 400,
    InputTooLargeError: 413,
    SourceMismatchError: 422,
    UnsupportedLanguageError: 422,
    ModelNotFoundError: 422,
    PackageError: 400,
    IndexUnavailableError: 503,
    GlossaryError: 400,
    ConceptNotFoundError: 404,
    GlossaryValidationError: 422,
    GlossaryExistsError: 409,
    UnauthorizedError: 401,
    ForbiddenError: 403,
    SuggestionsDisabledError: 403,
    NotFoundError: 404,
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


# LibreTranslate's routes (its clients parse {"error": "..."}); DeepL's live under /v2 and /v3.
LIBRE_PATHS = frozenset({"/translate", "/translate_file", "/download_file/{filename}", "/detect",
                         "/languages", "/suggest", "/frontend/settings", "/spec"})
_DEEPL_PREFIXES = ("/v2/", "/v3/")


def dialect_of(request: Request | None) -> str:
    """"glossa", "libre" or "deepl": whose error shape this request gets."""
    if request is None:
        return "glossa"
    route = request.scope.get("route")
    path = getattr(route, "path", None)
    if path is None:  # unmatched: the raw path, less any URL prefix the server is mounted under
        path = request.scope.get("path", "")
        root = request.scope.get("root_path", "")
        if root and path.startswith(root):
            path = path[len(root):]
    if path.startswith(_DEEPL_PREFIXES):
        return "deepl"
    if path in LIBRE_PATHS:
        return "libre"
    return "glossa"


def _libre_status(status: int) -> int:
    # LibreTranslate answers 400 for every bad parameter (over-long text included) and 403 for a
    # missing or wrong key.
    if status in (401, 403):
        return 403
    return 400 if status in (413, 422) else status


def _deepl_status(status: int) -> int:
    # DeepL: 403 for any authorisation failure, 400 for any bad parameter.
    if status in (401, 403):
        return 403
    return 400 if status == 422 else status


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None,
                   request: Request | None = None, **extra: Any) -> JSONResponse:
    dialect = dialect_of(request)
    if dialect == "libre":
        return JSONResponse({"error": message}, status_code=_libre_status(status), headers=headers)
    if dialect == "deepl":
        return JSONResponse({"message": message, "detail": code}, status_code=_deepl_status(status),
                            headers=headers)
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
    return error_response(status, exc.code, str(exc), headers, request)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    if any(err.get("type") == "json_invalid" for err in errors):
        detail = next(e for e in errors if e.get("type") == "json_invalid")
        reason = (detail.get("ctx") or {}).get("error", "")
        suffix = f": {reason}" if reason else ""
        return error_response(400, "malformed_json", f"the request body is not valid JSON{suffix}", request=request)
    return error_response(422, "invalid_request", describe_validation(errors), request=request)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    if exc.status_code == 400 and "parsing the body" in message:
        # FastAPI's message for a JSON body that is not even text (invalid UTF-8 and the like)
        code, message = "malformed_body", "the request body could not be read as UTF-8 JSON"
    return error_response(exc.status_code, code, message, dict(exc.headers or {}) or None, request)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("bug while answering %s %s", request.method, request.url.path)
    return error_response(500, "internal_error", "internal error (a bug in Glossa; it has been logged)",
                          request=request)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(GlossaError, _glossa_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
