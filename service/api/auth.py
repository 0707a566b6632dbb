"""API keys: ``Authorization: Bearer KEY`` (or LibreTranslate's ``api_key`` field).

Keys come from ``Settings.api_keys`` and from ``Settings.api_keys_file`` (one per line, ``#``
comments), which is re-read when it changes so keys rotate without a restart. Glossary writes
always need a key; translation and detection need one only with ``translate_requires_key``.
A missing key is 401, a wrong one 403; both answer before anything is read or written.

A line of the keys file may limit its key's glossary writes to some glossaries::

    desk-key  glossaries=desk-sports,event-2026     # may change only these two
    ops-key   glossaries=house                      # only the house glossary

A key without ``glossaries=`` may change every glossary. Any valid key may translate.
"""

from __future__ import annotations

import hmac
import threading
from pathlib import Path

from fastapi import Request

from service.config import Settings
from service.errors import ForbiddenError, UnauthorizedError

__all__ = ["ForbiddenError", "KeyRing", "UnauthorizedError"]  # the errors are re-exported for old imports


class KeyRing:
    def __init__(self, settings: Settings) -> None:
        self._static = tuple(settings.api_keys)
        self._file = Path(settings.api_keys_file) if settings.api_keys_file else None
        self._lock = threading.Lock()
        self._file_stamp: tuple[int, int] | None = None
        self._file_keys: tuple[str, ...] = ()
        self._scopes: dict[str, frozenset[str]] = {}  # key -> glossaries it may change

    def keys(self) -> tuple[str, ...]:
        return self._static + self._read_file()

    def _read_file(self) -> tuple[str, ...]:
        if self._file is None:
            return ()
        try:
            stat = self._file.stat()
        except OSError:
            return ()  # a missing keys file grants nothing (and is not an error per request)
        stamp = (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            if stamp != self._file_stamp:
                try:
                    lines = self._file.read_text(encoding="utf-8").splitlines()
                except (OSError, UnicodeDecodeError):
                    lines = []
                keys, scopes = [], {}
                for line in lines:
                    fields = line.split("#", 1)[0].split()
                    if not fields:
                        continue
                    keys.append(fields[0])
                    for option in fields[1:]:
                        name, _, value = option.partition("=")
                        if name == "glossaries":
                            scopes[fields[0]] = frozenset(v for v in value.split(",") if v)
                self._file_keys, self._scopes = tuple(keys), scopes
                self._file_stamp = stamp
            return self._file_keys

    def check(self, presented: str | None, *, action: str, glossary: str | None = None) -> None:
        """Raise 401/403 unless ``presented`` is a configured key (allowed to change ``glossary``,
        when one is named)."""
        keys = self.keys()
        if not presented:
            hint = ("send `Authorization: Bearer KEY`" if keys else
                    "the server has no API keys configured: set GLOSSA_API_KEYS or GLOSSA_API_KEYS_FILE")
            raise UnauthorizedError(f"{action} needs an API key", hint=hint)
        # Compare against every key, constant time each, so timing says nothing about which matched.
        matched = False
        for key in keys:
            matched |= hmac.compare_digest(presented.encode("utf-8"), key.encode("utf-8"))
        if not matched:
            raise ForbiddenError(f"the API key is not valid for {action}")
        if glossary is not None:
            scope = self._scopes.get(presented)
            if scope is not None and glossary not in scope and presented not in self._static:
                raise ForbiddenError(f"this API key may not change the glossary {glossary!r}",
                                     hint=f"it may change: {', '.join(sorted(scope)) or 'none'}")


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None
