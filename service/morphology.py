"""The process's one pymorphy3 analyzer for Russian.

pymorphy3 loads its dictionaries (about 20 MB) into every ``MorphAnalyzer``; language detection
(is this Cyrillic text made of Russian words?) and the glossary (Russian case forms) both need
one, so they share this one, built lazily on first use: ``import service`` loads no dictionary.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pymorphy3

__all__ = ["analyzer"]


@lru_cache(maxsize=1)
def analyzer() -> pymorphy3.MorphAnalyzer:
    """The shared analyzer (thread-safe to build: lru_cache; safe to use from several threads)."""
    import pymorphy3  # imported lazily: loading the dictionaries takes a moment

    return pymorphy3.MorphAnalyzer()
