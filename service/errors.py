"""One exception hierarchy for the whole product.

Faces turn these into a one-line CLI error (exit code 2 for bad input, 1 otherwise) or a JSON
HTTP error; anything that is not a GlossaError is a bug.
"""

from __future__ import annotations


class GlossaError(Exception):
    """Base class. ``code`` is stable and machine-readable; ``hint`` tells the user what to do."""

    code = "error"
    http_status = 500

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class InputError(GlossaError):
    """The caller sent something unusable: empty, binary, invalid UTF-8, too large, bad option."""

    code = "invalid_input"
    http_status = 400


class InputTooLargeError(InputError):
    code = "input_too_large"
    http_status = 413


class NothingToTranslateError(InputError):
    """The text is already in the target language (given or detected): an error on every face,
    as the README promises; batch runs copy such files instead."""

    code = "nothing_to_translate"


class SourceMismatchError(InputError):
    """A given source language that the text contradicts (source ko for text without Hangul)."""

    code = "source_mismatch"
    http_status = 422


class UnsupportedLanguageError(GlossaError):
    """A language code or a detected language that Glossa does not translate."""

    code = "unsupported_language"
    http_status = 422


class ModelNotFoundError(GlossaError):
    """No installed package (direct or via the pivot) for a language pair."""

    code = "model_not_found"
    http_status = 422


class PackageError(GlossaError):
    """A file that is not a valid Argos package, or a package that fails to load."""

    code = "invalid_package"
    http_status = 400


class IndexUnavailableError(GlossaError):
    """The Argos package index (or a package download) cannot be reached."""

    code = "index_unavailable"
    http_status = 503


class GlossaryError(GlossaError):
    """Malformed glossary files, unknown concepts, conflicting edits."""

    code = "glossary_error"
    http_status = 400


class ConceptNotFoundError(GlossaryError):
    code = "concept_not_found"
    http_status = 404
