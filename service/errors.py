"""Every exception Glossa raises on purpose, in one place.

Faces turn these into a one-line CLI error (exit code 2 for bad input, 1 otherwise) or a JSON
HTTP error (the status for each class is chosen in ``service.api.errors``, not here: the core
knows nothing of HTTP). Anything that is not a ``GlossaError`` is a bug.

    GlossaError                       code "error"
    ├── InputError                    the caller sent something unusable
    │   ├── InputTooLargeError        over a size or count limit
    │   │   └── TooManyTextsError     too many texts in one request
    │   ├── SourceMismatchError       a given source language that the text contradicts
    │   └── NothingToTranslateError   the text is already in the target language
    ├── UnsupportedLanguageError      a language Glossa does not translate
    ├── ModelNotFoundError            no installed route for a pair
    ├── PackageError                  not a valid Argos package, or it fails to load
    ├── IndexUnavailableError         the Argos index cannot be reached
    │   └── DownloadError             a package download failed or was cut off
    ├── GlossaryError                 malformed glossary, bad or conflicting edit
    │   ├── ConceptNotFoundError      no such concept
    │   ├── GlossaryValidationError   a write the files cannot hold (also an InputError)
    │   └── GlossaryExistsError       a named glossary of that name exists
    ├── NotFoundError                 no such resource (a translated file to download)
    │   └── GlossaryNotFoundError     no such named glossary (or DeepL glossary id)
    ├── UnauthorizedError             no API key where one is needed
    ├── ForbiddenError                an API key that is not valid
    ├── SuggestionsDisabledError      LibreTranslate's /suggest, which Glossa refuses
    ├── QueueFullError                the translation queue is full (retry later)
    └── RequestTimeoutError           a translation took too long and was abandoned
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "ConceptNotFoundError",
    "DownloadError",
    "ForbiddenError",
    "GlossaError",
    "GlossaryError",
    "GlossaryExistsError",
    "GlossaryNotFoundError",
    "GlossaryValidationError",
    "IndexUnavailableError",
    "InputError",
    "InputTooLargeError",
    "ModelNotFoundError",
    "NotFoundError",
    "NothingToTranslateError",
    "PackageError",
    "QueueFullError",
    "RequestTimeoutError",
    "SourceMismatchError",
    "SuggestionsDisabledError",
    "TooManyTextsError",
    "UnauthorizedError",
    "UnsupportedLanguageError",
]


class GlossaError(Exception):
    """Base class. ``code`` is stable and machine-readable; ``hint`` tells the user what to do."""

    code = "error"

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class InputError(GlossaError):
    """The caller sent something unusable: empty, binary, invalid UTF-8, too large, bad option."""

    code = "invalid_input"


class InputTooLargeError(InputError):
    code = "input_too_large"


class TooManyTextsError(InputTooLargeError):
    code = "too_many_texts"


class NothingToTranslateError(InputError):
    """The text is already in the target language (given or detected): an error on every face,
    as the README promises; batch runs copy such files instead."""

    code = "nothing_to_translate"


class SourceMismatchError(InputError):
    """A given source language that the text contradicts (source ko for text without Hangul)."""

    code = "source_mismatch"


class UnsupportedLanguageError(GlossaError):
    """A language code or a detected language that Glossa does not translate; ``detected``: the
    detection ({"language", "confidence"}) when the language was detected."""

    code = "unsupported_language"

    def __init__(self, message: str, *, hint: str | None = None, detected: dict[str, Any] | None = None) -> None:
        super().__init__(message, hint=hint)
        self.detected = detected


class ModelNotFoundError(GlossaError):
    """No installed package (direct or via the pivot) for a language pair."""

    code = "model_not_found"


class PackageError(GlossaError):
    """A file that is not a valid Argos package, or a package that fails to load."""

    code = "invalid_package"


class IndexUnavailableError(GlossaError):
    """The Argos package index (or a package download) cannot be reached."""

    code = "index_unavailable"


class DownloadError(IndexUnavailableError):
    """A package download failed or was cut off."""

    code = "download_failed"


class GlossaryError(GlossaError):
    """Malformed glossary files, unknown concepts, conflicting edits."""

    code = "glossary_error"


class ConceptNotFoundError(GlossaryError):
    code = "concept_not_found"


class GlossaryValidationError(GlossaryError, InputError):
    """A glossary write refused before anything was written: a field the files cannot hold
    (control characters, a comment line that would read as a directive, a bad form key, a
    stopword-only term), or text that would not read back as written."""

    code = "invalid_glossary_entry"


class GlossaryExistsError(GlossaryError):
    """A named glossary created under a name that is taken."""

    code = "glossary_exists"


class NotFoundError(GlossaError):
    """A resource the caller named that does not exist (or no longer does)."""

    code = "not_found"


class GlossaryNotFoundError(NotFoundError):
    """A glossary name (or a DeepL glossary id) that names no glossary."""

    code = "glossary_not_found"


class SuggestionsDisabledError(GlossaError):
    """LibreTranslate's suggestion endpoint: Glossa takes no suggestions that way."""

    code = "suggestions_disabled"


class UnauthorizedError(GlossaError):
    """A request without an API key where one is needed."""

    code = "unauthorized"
    www_authenticate = "Bearer"


class ForbiddenError(GlossaError):
    """A request with an API key that is not one of the service's keys."""

    code = "forbidden"


class QueueFullError(GlossaError):
    """More translation requests waiting than the queue holds; ``retry_after`` in seconds."""

    code = "queue_full"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message, hint="retry later")
        self.retry_after = retry_after


class RequestTimeoutError(GlossaError):
    """A translation request that waited and ran longer than its deadline."""

    code = "timeout"
