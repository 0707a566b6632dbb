"""Concepts a translation names that its source does not: a model inventing a name or an agency.

Enforcement checks that every term of the source comes out; this is the other direction. After
enforcement, each sentence's translation is matched against the glossary in the target language;
a concept found there that the source sentence does not mention (in full, by a variant or by a
short form) was put there by the model ("Владимир Путин" in the translation of a sentence about
Lyubimova). It is reported, never removed: a terminologist or editor decides.

The source side is read loosely on purpose, so that only real inventions are reported: a concept
counts as present when any of its spellings, case forms or short forms occurs in the source
sentence in any letter case ("culture minister" for Culture Minister, a bare "Lyubimova" that had
no full mention to bind to). On the target side only full renderings and variants count, so a bare
surname the model writes (which may refer back to an earlier sentence) is not flagged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from service.glossary.matcher import Match, normalize, normalize_key, surfaces_for
from service.glossary.termbase import Concept

__all__ = ["unexpected_concepts", "warning_for"]


def unexpected_concepts(snapshot: Any, target: str, translation: str, source_keys: Iterable[tuple[str, str]],
                        source_text: str = "", source_lang: str | None = None) -> list[Match]:
    """Occurrences in ``translation`` of concepts whose (category, term) is not in ``source_keys``
    and that ``source_text`` (in ``source_lang``) does not name in any spelling or letter case."""
    known = set(source_keys)
    found = [m for m in snapshot.matcher(target).find(translation) if m.concept.key not in known]
    if found and source_lang and source_text:
        text = normalize(source_text)[0]
        found = [m for m in found if not _named_loosely(m.concept, source_lang, text)]
    return found


def _named_loosely(concept: Concept, lang: str, normalized_source: str) -> bool:
    from service.glossary.shortforms import declared_shorts, derived_shorts

    surfaces = [surface for surface, _ in surfaces_for(concept, lang)]
    surfaces += [text for text, _ in declared_shorts(concept, lang)] + derived_shorts(concept, lang)
    for surface in surfaces:
        key = normalize_key(surface)
        if not key:
            continue
        # Korean particles follow a term without a space; elsewhere a term is a whole word.
        tail = "" if lang == "ko" else r"(?!\w)"
        if re.search(r"(?<!\w)" + re.escape(key) + tail, normalized_source):
            return True
    return False


def warning_for(match: Match) -> str:
    return (f"the translation names {match.concept.msgid} ({match.surface!r}) but the source does not: "
            "the model may have invented it")
