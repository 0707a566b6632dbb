"""Request limits, applied before any route reads the body: size, JSON depth, rate.

``BodyLimitMiddleware``: a declared Content-Length over the limit is refused at once; otherwise
the body is read up to the limit (a chunked upload that goes past it is refused the same way) and
replayed to the app. JSON bodies that are not UTF-8, or nested deeper than any request of ours
(``MAX_JSON_DEPTH``; Python's parser would hit its recursion limit and answer 500), are refused
here with a clear message. ``RateLimitMiddleware``: requests per minute per client and per key.
"""

from __future__ import annotations

import json
import math
import re
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

_BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Our deepest request (a glossary concept with renderings and forms) nests 4 levels.
MAX_JSON_DEPTH = 32
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_JSON_BRACKET = re.compile(rb"[\[\]{}]")


def json_depth_exceeds(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether brackets outside JSON strings nest deeper than ``limit`` (linear, no recursion)."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False  # the common case, without a scan
    depth = 0
    for match in _JSON_BRACKET.finditer(_JSON_STRING.sub(b'""', body)):
        depth += 1 if match.group() in (b"[", b"{") else -1
        if depth > limit:
            return True
    return False


def _error(status: int, code: str, message: str, scope: Scope | None = None) -> tuple[dict, bytes]:
    """An error answered before routing, in the shape of the API the path belongs to."""
    from service.api.errors import LIBRE_PATHS

    path = (scope or {}).get("path", "")
    root = (scope or {}).get("root_path", "")
    if root and path.startswith(root):
        path = path[len(root):]
    if path in LIBRE_PATHS:  # LibreTranslate's clients parse {"error": "message"}
        body = json.dumps({"error": message}).encode("utf-8")
    else:
        body = json.dumps({"error": {"code": code, "message": message}}).encode("utf-8")
    start = {
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
    }
    return start, body


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.strip().isdigit() and int(declared) > self.max_body_bytes:
            await self._refuse(send, 413, "request_too_large", self._too_large(int(declared)))
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                await self._refuse(send, 413, "request_too_large", self._too_large(size, at_least=True))
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        content_type = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        if (content_type.endswith(b"json") or not content_type) and body:
            try:
                body.decode("utf-8")
            except UnicodeDecodeError as exc:
                await self._refuse(send, 400, "invalid_utf8",
                                   f"the request body is not valid UTF-8 (byte 0x{body[exc.start]:02x} "
                                   f"at offset {exc.start})")
                return
            if json_depth_exceeds(body):
                await self._refuse(send, 400, "json_too_deep",
                                   f"the JSON body nests more than {MAX_JSON_DEPTH} levels deep; no request needs that",
                                   scope)
                return

        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    def _too_large(self, size: int, at_least: bool = False) -> str:
        amount = f"more than {self.max_body_bytes:,}" if at_least else f"{size:,}"
        return (f"the request body is {amount} bytes; the limit is {self.max_body_bytes:,} "
                "(GLOSSA_MAX_BODY_BYTES)")

    @staticmethod
    async def _refuse(send: Send, status: int, code: str, message: str, scope: Scope | None = None) -> None:
        start, body = _error(status, code, message, scope)
        await send(start)
        await send({"type": "http.response.body", "body": body})


class _Buckets:
    """Token buckets: ``per_minute`` requests per identity, refilled continuously; a burst of up
    to ``per_minute`` is allowed after a quiet minute."""

    _PRUNE_AT = 10_000  # identities kept before full (idle) buckets are forgotten

    def __init__(self, per_minute: int) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self._buckets: dict[str, tuple[float, float]] = {}  # identity -> (tokens, at)

    def take(self, identity: str, now: float) -> float:
        """0 if the request may go, else the seconds until it may."""
        tokens, at = self._buckets.get(identity, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - at) * self.rate)
        if tokens >= 1:
            self._buckets[identity] = (tokens - 1, now)
            if len(self._buckets) > self._PRUNE_AT:
                self._prune(now)
            return 0.0
        self._buckets[identity] = (tokens, now)
        return (1 - tokens) / self.rate

    def _prune(self, now: float) -> None:
        for identity, (tokens, at) in list(self._buckets.items()):
            if tokens + (now - at) * self.rate >= self.capacity:
                del self._buckets[identity]


class RateLimitMiddleware:
    """Per-client (address) and per-API-key request rates: 429 with Retry-After beyond either.

    Only the API (``/v1/...`` and the LibreTranslate routes) counts; health, readiness, metrics
    and the web page's files do not, so monitoring never trips the limit. A key is the bearer
    token as sent (valid or not): sending random tokens does not escape the per-client limit.
    """

    _COUNTED_PREFIXES = ("/v1/", "/translate", "/detect", "/languages")

    def __init__(self, app: ASGIApp, per_client: int = 0, per_key: int = 0) -> None:
        self.app = app
        self.clients = _Buckets(per_client) if per_client > 0 else None
        self.keys = _Buckets(per_key) if per_key > 0 else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not (self.clients or self.keys) or not self._counted(scope):
            await self.app(scope, receive, send)
            return
        now = time.monotonic()
        wait = 0.0
        if self.clients is not None:
            client = scope.get("client")
            wait = self.clients.take(client[0] if client else "unknown", now)
        if not wait and self.keys is not None:
            key = self._bearer(scope)
            if key:
                wait = self.keys.take(key, now)
        if wait:
            seconds = max(1, math.ceil(wait))
            start, body = _error(429, "rate_limited",
                                 f"too many requests; retry in {seconds} s (GLOSSA_RATE_LIMIT_PER_CLIENT / "
                                 "GLOSSA_RATE_LIMIT_PER_KEY requests per minute)", scope)
            start["headers"].append((b"retry-after", str(seconds).encode()))
            await send(start)
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)

    def _counted(self, scope: Scope) -> bool:
        path = scope.get("path", "")
        root = scope.get("root_path", "")
        if root and path.startswith(root):
            path = path[len(root):]
        return path.startswith(self._COUNTED_PREFIXES)

    @staticmethod
    def _bearer(scope: Scope) -> str:
        for name, value in scope.get("headers") or []:
            if name == b"authorization":
                scheme, _, token = value.decode("latin-1").partition(" ")
                return token.strip() if scheme.lower() == "bearer" else ""
        return ""
