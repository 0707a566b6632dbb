"""What a concept may contain before it is written: the rules every glossary write passes.

The PO files are line-oriented: a control character or line separator inside a field can end a
line early and turn the rest into a syntax error (or into a directive such as ``gender: x``
that the reader then rejects), which used to take the whole glossary down. So fields are single
lines of printable text; free translator comments may have several lines, none of which may look
like a structured item. Terms made only of function words (``the``, ``of``, ``и``) would match
everywhere and are refused. The store additionally re-reads what it would write
(``service.glossary.store``): these rules give a clear message, the re-read is the guarantee.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace

from service.errors import GlossaryError, GlossaryValidationError
from service.glossary.termbase import (
    CATEGORIES,
    STRUCTURED_KEYS,
    Concept,
    Rendering,
    parse_form_key,
    split_short,
)

MAX_FIELD_CHARS = 500
MAX_NOTE_CHARS = 5000

# Function words that never make a term on their own (a term of only these would match in
# every sentence). Small on purpose: names and titles are what a glossary holds.
STOPWORDS = frozenset("""
a an the of and or in on at to for from by with as is are was be it its this that these those
no not nor but if so than then there here we you he she they i me my our your his her their
и в во на с со к ко по о об от до за из у не ни но а да же ли что как это то для при над под
""".split())


def _refuse(message: str, hint: str | None = None) -> GlossaryValidationError:
    return GlossaryValidationError(message, hint=hint)


def check_field(value: str, field: str, *, multiline: bool = False, limit: int = MAX_FIELD_CHARS) -> None:
    """Refuse characters a PO line cannot hold: controls (tab and newline excepted where
    ``multiline``), line and paragraph separators, surrogates and Unicode non-characters."""
    if len(value) > limit:
        raise _refuse(f"{field} is {len(value):,} characters long; the limit is {limit:,}")
    for offset, char in enumerate(value):
        if multiline and char in "\t\n":
            continue
        category = unicodedata.category(char)
        code = ord(char)
        if category in ("Cc", "Cs", "Zl", "Zp") or (0xFDD0 <= code <= 0xFDEF) or (code & 0xFFFE) == 0xFFFE:
            raise _refuse(
                f"{field} contains the control character U+{code:04X} at offset {offset}",
                hint="glossary fields are single lines of text; remove it" if not multiline
                else "only line breaks and tabs are allowed; remove it",
            )


def _check_surface(value: str, field: str) -> None:
    check_field(value, field)
    if not value.strip() or value != value.strip():
        raise _refuse(f"{field} {value!r} is empty or has surrounding spaces")
    if not any(ch.isalnum() for ch in value):
        raise _refuse(f"{field} {value!r} has no letters or digits")
    words = [w.strip(".,;:!?'\"()-").casefold() for w in value.split()]
    if all(w in STOPWORDS or not w for w in words):
        raise _refuse(f"{field} {value!r} is only function words; it would match in every sentence",
                      hint="glossary terms are names, titles and terms")


def _check_comment(comment: str, field: str) -> str:
    check_field(comment, field, multiline=True, limit=MAX_NOTE_CHARS)
    lines = [line for line in comment.split("\n") if line.strip()]
    for line in lines:
        key, sep, _ = line.partition(":")
        if sep and key.strip().lower() in STRUCTURED_KEYS:
            raise _refuse(f"{field} line {line.strip()!r} would be read as a `{key.strip().lower()}:` item",
                          hint="use the rendering's own field for variants, gender, forms and declension, "
                               "or reword the comment")
    return "\n".join(lines)


def validate_rendering(lang: str, rendering: Rendering, term: str) -> Rendering:
    where = f"{lang} rendering of {term!r}"
    _check_surface(rendering.text, where)
    for variant in rendering.variants:
        _check_surface(variant, f"{lang} variant of {term!r}")
    for short in rendering.shorts:  # one `# short:` comment line each
        check_field(short, f"{lang} short form of {term!r}")
        if not split_short(short)[0]:
            raise _refuse(f"bad {lang} short form {short!r} of {term!r}: empty")
    forms: dict[str, str] = {}
    for key, form in rendering.forms.items():
        check_field(key, f"form key of {where}")
        try:
            normal = parse_form_key(key)
        except GlossaryError as exc:  # names the accepted keys in its hint
            raise _refuse(exc.message, hint=exc.hint) from None
        _check_surface(form, f"{normal} form of {where}")
        forms[normal] = form
    if forms and lang != "ru":
        raise _refuse(f"forms are Russian case forms; the {lang} rendering of {term!r} cannot have them")
    if rendering.gender is not None and rendering.gender not in ("m", "f", "n"):
        raise _refuse(f"gender of {where} must be m, f or n, got {rendering.gender!r}")
    comment = _check_comment(rendering.comment, f"comment of {where}")
    variants = tuple(dict.fromkeys(v for v in rendering.variants if v != rendering.text))
    return replace(rendering, forms=forms, comment=comment, variants=variants)


def validate_concept(concept: Concept) -> Concept:
    """The concept as it will be written (note folded to one paragraph, form keys normalised),
    or GlossaryValidationError naming the first field the files could not hold."""
    if "\n" in concept.msgid:
        raise _refuse("a term cannot span several lines")
    _check_surface(concept.msgid, "term")
    if concept.category not in CATEGORIES:
        raise _refuse(f"unknown category {concept.category!r}", hint=f"use one of: {', '.join(CATEGORIES)}")
    check_field(concept.note, "note", multiline=True, limit=MAX_NOTE_CHARS)
    renderings = {}
    for lang, rendering in concept.renderings.items():
        check_field(lang, "language code")
        if not rendering.text:
            raise _refuse(f"empty {lang} rendering for {concept.msgid!r}", hint="leave the language out instead")
        renderings[lang] = validate_rendering(lang, rendering, concept.msgid)
    # The reader folds the note to one paragraph: write it that way, so it reads back as written.
    return replace(concept, note=" ".join(concept.note.split()), renderings=renderings)
