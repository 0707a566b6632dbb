"""Glossa: offline translation and glossary service for English, Korean and Russian news.

The library API is what ``__all__`` names (tests/test_public_api.py keeps it honest): build one
``Settings`` and one ``Pipeline``, translate, read ``TranslationResult``s, catch ``GlossaError``s.
Importing this package is cheap on purpose: no model, no torch, no stanza is loaded here, and
``Pipeline`` (whose module brings in the model store, glossary store and engine wrappers) is
imported on first access, so `glossa --help` does not pay for it.
"""

import typing as _typing

__version__ = "0.1.0"

from service.config import Settings
from service.errors import (
    GlossaError,
    GlossaryError,
    InputError,
    InputTooLargeError,
    ModelNotFoundError,
    PackageError,
    UnsupportedLanguageError,
)
from service.formats import FORMATS
from service.languages import LANGUAGES, PIVOT_LANGUAGE, SUPPORTED_LANGUAGES
from service.results import SentenceAlignment, TermReport, TranslationRequest, TranslationResult

__all__ = [
    "FORMATS",
    "LANGUAGES",
    "PIVOT_LANGUAGE",
    "SUPPORTED_LANGUAGES",
    "GlossaError",
    "GlossaryError",
    "InputError",
    "InputTooLargeError",
    "ModelNotFoundError",
    "PackageError",
    "Pipeline",
    "SentenceAlignment",
    "Settings",
    "TermReport",
    "TranslationRequest",
    "TranslationResult",
    "UnsupportedLanguageError",
    "__version__",
]

if _typing.TYPE_CHECKING:
    from service.pipeline import Pipeline


def __getattr__(name: str) -> _typing.Any:
    if name == "Pipeline":
        from service.pipeline import Pipeline  # deferred: see the module docstring

        return Pipeline
    raise AttributeError(f"module 'service' has no attribute {name!r}")
