"""Concepts a translation names that its source does not: a model inventing a name or an agency.

Enforcement checks that every term of the source comes out; this is the other direction. After
enforcement, each sentence's translation is matched against the glossary in the target language;
a concept found there that the source sentence does not mention (in full, by a variant or by a
short form) was put there by the model ("Владимир Путин" in the translation of a sentence about
Lyubimova). It is reported, never removed: a terminologist or editor decides.

Only full renderings and variants count on the target side, so a bare surname the model writes
(which may refer back to an earlier sentence) is not flagged.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from service.glossary.matcher import Match

__all__ = ["unexpected_concepts", "warning_for"]


def unexpected_concepts(snapshot: Any, target: str, translation: str,
                        source_keys: Iterable[tuple[str, str]]) -> list[Match]:
    """Occurrences in ``translation`` of concepts whose (category, term) is not in ``source_keys``."""
    known = set(source_keys)
    return [m for m in snapshot.matcher(target).find(translation) if m.concept.key not in known]


def warning_for(match: Match) -> str:
    return (f"the translation names {match.concept.msgid} ({match.surface!r}) but the source does not: "
            "the model may have invented it")
