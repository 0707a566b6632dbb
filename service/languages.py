"""The languages Glossa translates: one registry, so adding a language is one edit here (plus its
models and glossary column).

Each language has its code (ISO 639-1, as Argos packages name them), its English name and the
writing systems its news is written in (Unicode script names as ``unicodedata.name`` spells their
first word: HANGUL, CYRILLIC, LATIN). Everything else (the CLI's choices, the HTTP schemas, the
glossary's PO files, the model routes) reads it from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from service.errors import UnsupportedLanguageError

__all__ = ["LANGUAGES", "PIVOT_LANGUAGE", "SUPPORTED_LANGUAGES", "Language", "check_language_code", "language_name"]


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    scripts: tuple[str, ...]


LANGUAGES: dict[str, Language] = {
    language.code: language
    for language in (
        Language("en", "English", ("LATIN",)),
        Language("ko", "Korean", ("HANGUL",)),
        Language("ru", "Russian", ("CYRILLIC",)),
    )
}
SUPPORTED_LANGUAGES: tuple[str, ...] = tuple(LANGUAGES)
# Pairs without a direct model go through this language (Argos publishes en<->X pairs).
PIVOT_LANGUAGE = "en"


def language_name(code: str) -> str:
    language = LANGUAGES.get(code)
    return language.name if language else code


def check_language_code(code: str, role: str) -> str:
    """The code, trimmed and lower-cased, or UnsupportedLanguageError naming ``role`` (source, target)."""
    code = (code or "").strip().lower()
    if code not in LANGUAGES:
        raise UnsupportedLanguageError(
            f"{role} language {code!r} is not supported",
            hint=f"supported: {', '.join(SUPPORTED_LANGUAGES)}",
        )
    return code
