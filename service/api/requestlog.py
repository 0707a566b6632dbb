"""One log line per HTTP request, as text or JSON lines (``glossa serve --log-format json``).

A log collector needs, per request: who asked (request id, client), what (method, route), how it
went (status, latency) and, for translations, what was done (characters, source/target, glossary
terms applied/missed/unexpected, whether demo models answered). The middleware in ``app.py``
opens a record per request in a context variable; the translation path adds to it with
``note()`` without knowing about HTTP, and the middleware writes the line when the answer is sent.
The request id comes from the client's ``X-Request-ID`` when it is a sane token, else is made
here, and is sent back in ``X-Request-ID`` so that a client can quote it.

``uvicorn_log_config`` gives uvicorn's own lines (startup, errors) the same format; uvicorn's
access log is off, since this line replaces it.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from contextvars import ContextVar
from typing import Any

LOGGER = "glossa.request"
_RECORD: ContextVar[dict[str, Any] | None] = ContextVar("glossa_request_record", default=None)
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
# Fields in the order a reader scans a text line.
_ORDER = ("request_id", "method", "route", "path", "status", "latency_ms", "client", "texts", "characters",
          "source", "target", "terms_applied", "terms_missed", "terms_unexpected", "demo", "pid")


def request_id(offered: str | None) -> str:
    return offered if offered and _REQUEST_ID.fullmatch(offered) else uuid.uuid4().hex


def begin(rid: str) -> dict[str, Any]:
    record: dict[str, Any] = {"request_id": rid}
    _RECORD.set(record)
    return record


def note(**fields: Any) -> None:
    """Add to the current request's line (nothing outside a request, e.g. in the batch runner)."""
    record = _RECORD.get()
    if record is not None:
        record.update(fields)


def translation_fields(texts: list[str], results: list[Any], demo: bool | None) -> dict[str, Any]:
    terms = [t.status for r in results for t in r.terms]
    return {
        "texts": len(texts),
        "characters": sum(len(t) for t in texts),
        "source": ",".join(dict.fromkeys(r.source for r in results)),
        "target": ",".join(dict.fromkeys(r.target for r in results)),
        "terms_applied": terms.count("applied"),
        "terms_missed": terms.count("missed"),
        "terms_unexpected": terms.count("unexpected"),
        "demo": demo,
    }


def write(record: dict[str, Any]) -> None:
    logging.getLogger(LOGGER).info("request", extra={"glossa": record})


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and the request's fields."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        fields = getattr(record, "glossa", None)
        if fields:
            line.update(_ordered(fields))
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """``INFO:     request request_id=... route=/v1/translate status=200 ...``, like uvicorn's lines."""

    def format(self, record: logging.LogRecord) -> str:
        text = f"{record.levelname + ':':<9} {record.getMessage()}"
        fields = getattr(record, "glossa", None)
        if fields:
            text += " " + " ".join(f"{k}={_text(v)}" for k, v in _ordered(fields).items())
        if record.exc_info:
            text += "\n" + self.formatException(record.exc_info)
        return text


def _ordered(fields: dict[str, Any]) -> dict[str, Any]:
    known = {k: fields[k] for k in _ORDER if k in fields}
    return {**known, **{k: v for k, v in fields.items() if k not in known}}


def _text(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return str(value).lower()
    text = str(value)
    return json.dumps(text, ensure_ascii=False) if (not text or any(c.isspace() or c == '"' for c in text)) else text


def formatter_for(fmt: str) -> type[logging.Formatter]:
    return JsonFormatter if fmt == "json" else TextFormatter


def configure(fmt: str, level: str) -> None:
    """The request logger of this process (each worker calls it from the app factory)."""
    logger = logging.getLogger(LOGGER)
    logger.setLevel(level.upper())
    logger.propagate = False
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
    handler = _Stderr()
    handler.setFormatter(formatter_for(fmt)())
    logger.addHandler(handler)


class _Stderr(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time (it may be replaced after start-up)."""

    @property
    def stream(self):  # noqa: D401
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass


def uvicorn_log_config(fmt: str, level: str) -> dict[str, Any]:
    """``uvicorn.run(log_config=...)``: uvicorn's lines on stderr in the same format."""
    formatter = {"()": f"{__name__}.{formatter_for(fmt).__name__}"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"glossa": formatter},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "glossa", "stream": "ext://sys.stderr"}},
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": level.upper(), "propagate": False},
            "uvicorn.error": {"level": level.upper()},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        },
    }

