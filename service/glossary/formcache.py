"""Generated Russian forms kept on disk, so a fresh process does not re-inflect the glossary.

Building the Russian matcher inflects every rendering with pymorphy3 (loading its dictionaries
first): most of the glossary's share of a one-sentence `glossa translate`, paid again by every
fresh process (CLI runs, service workers, batch workers). The forms are a pure function of the
rendering (text, category, gender, indeclinable), the rules in ``russian.py`` and pymorphy3's
dictionary, so they are kept in one JSON file under the user's cache directory
(``$XDG_CACHE_HOME/glossa``, else ``~/.cache/glossa``) whose name fingerprints the rules' source
and pymorphy3's versions: changing either starts a new file, never a stale answer.

The file is read once, on the first lookup; new entries are written when the process exits (an
atomic replace: concurrent processes can only lose each other's additions, never corrupt the
file). A cache that cannot be read or written is ignored: forms are then generated as before.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import json
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

__all__ = ["CacheFile", "cache_path", "cache_root", "on_disk"]


def cache_root() -> Path:
    # Read here, as config.default_packages_dir reads XDG_DATA_HOME: where the user keeps caches.
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "glossa"


@functools.lru_cache(maxsize=1)
def cache_path() -> Path:
    """The forms file for the current rules and dictionary."""
    from importlib import metadata

    from service import morphology
    from service.glossary import russian, termbase

    digest = hashlib.sha256()
    for module in (russian, termbase, morphology):
        digest.update(Path(module.__file__ or "").read_bytes())
    for dist in ("pymorphy3", "pymorphy3-dicts-ru"):
        try:
            digest.update(f"{dist}={metadata.version(dist)};".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{dist}=?;".encode())
    return cache_root() / f"russian-forms-{digest.hexdigest()[:16]}.json"


class CacheFile:
    """A JSON object file under the cache root: read once on the first lookup, new entries merged
    with what other processes wrote and replaced atomically at exit; unreadable or unwritable, it
    is ignored (the caller computes again). Also the enforcer's probes file (``probe.py``)."""

    def __init__(self, path: Callable[[], Path]) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._entries: dict[str, Any] | None = None
        self._added = 0

    def get(self, key: str) -> Any | None:
        with self._lock:
            return self._load().get(key)

    def put(self, found: dict[str, Any]) -> None:
        with self._lock:
            self._load().update(found)
            if not self._added:
                atexit.register(self.save)
            self._added += len(found)

    def _load(self) -> dict[str, Any]:
        if self._entries is None:
            try:
                data = json.loads(self._path().read_text(encoding="utf-8"))
                self._entries = data if isinstance(data, dict) else {}
            except (OSError, ValueError):
                self._entries = {}
        return self._entries

    def save(self) -> None:
        with self._lock:
            if not self._added or self._entries is None:
                return
            from service.fileio import atomic_write_text

            path = self._path()
            try:
                merged = dict(self._entries)
                try:  # another process may have written since we read
                    on_disk = json.loads(path.read_text(encoding="utf-8"))
                    if isinstance(on_disk, dict):
                        merged = {**on_disk, **merged}
                except (OSError, ValueError):
                    pass
                atomic_write_text(path, json.dumps(merged, ensure_ascii=False, separators=(",", ":")))
                self._added = 0
            except OSError:
                pass  # a read-only home: computed again next time


_FORMS = CacheFile(cache_path)


def on_disk(function: F) -> F:
    """Memoise ``function`` (positional JSON-able arguments -> ``{(case, number): form}``) in the
    forms file."""

    @functools.wraps(function)
    def wrapper(*args: Any) -> Any:
        key = json.dumps(args, ensure_ascii=False)
        found = _FORMS.get(key)
        if isinstance(found, list) and all(isinstance(row, list) and len(row) == 3 for row in found):
            return {(case, number): form for case, number, form in found}
        forms = function(*args)
        _FORMS.put({key: [[case, number, form] for (case, number), form in forms.items()]})
        return forms

    return wrapper  # type: ignore[return-value]
