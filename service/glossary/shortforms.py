"""The short forms of a concept: what news calls it after the full name, in each language.

Declared per language in the PO files (``# short: Lyubimova``, ``# short: Workers' Party
[anywhere]``) or derived for persons: the surname (last word) of a non-Korean name, the family
name (first word) of a Korean name in English and Russian; Korean text repeats Korean names in
full or with a title, so nothing is derived there. Derived forms that are everyday words at the
start of a sentence ("No" of No Kwang-chol, Russian "Но") are not used. A short form is written
with the full rendering's gender and declension, so it declines as the full name would.

``service.glossary.mentions`` decides when a short form in a text is a mention of the concept;
``MentionConcept`` is what such a mention is enforced as.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from service.glossary.termbase import Concept, Rendering, split_short

__all__ = ["MentionConcept", "declared_shorts", "derived_shorts", "is_korean_name", "mention_concept",
           "short_form_rendering", "short_rendering"]

# Derived short forms that are everyday words at the start of a sentence.
_STOP = {
    "en": frozenset({
        "a", "an", "as", "at", "be", "by", "do", "go", "he", "i", "if", "in", "is", "it", "me",
        "no", "o", "of", "oh", "on", "or", "so", "to", "up", "us", "we",
    }),
    "ru": frozenset({
        "а", "в", "и", "к", "о", "с", "у", "я", "но", "не", "он", "мы", "вы", "ты", "да", "то",
        "как", "ну", "ан", "ах", "ох",
    }),
}
_HANGUL_NAME = re.compile(r"[가-힣]{2,4}")


def is_korean_name(concept: Concept) -> bool:
    """A person whose name is family name first (Kim Jong-un, 김정은, Ким Чен Ын)."""
    if concept.category != "person":
        return False
    ko = concept.rendering("ko")
    if ko is not None and _HANGUL_NAME.fullmatch(ko.text):
        return True
    from service.glossary.russian import KOREAN_SURNAMES

    ru = concept.rendering("ru")
    return ru is not None and 2 <= len(ru.text.split()) <= 3 and ru.text.split()[0] in KOREAN_SURNAMES


def derived_shorts(concept: Concept, lang: str) -> list[str]:
    """The short forms a person's name gives without a declaration (see the module docstring)."""
    rendering = concept.rendering(lang)
    if concept.category != "person" or rendering is None:
        return []
    korean = is_korean_name(concept)
    if korean and lang == "ko":
        return []
    words = rendering.text.split()
    if len(words) < 2:
        return []
    word = words[0] if korean else words[-1]
    if word.lower() in _STOP.get(lang, ()):
        return []
    return [word]


def declared_shorts(concept: Concept, lang: str) -> list[tuple[str, bool]]:
    rendering = concept.rendering(lang)
    if rendering is None:
        return []
    return [split_short(value) for value in rendering.shorts]


def short_rendering(concept: Concept, lang: str) -> Rendering | None:
    """What a short mention of ``concept`` is written as in ``lang``: the first declared short
    form, else the derived one, else the full rendering. Gender and declension are the full
    rendering's, so the short form declines as the full name would."""
    rendering = concept.rendering(lang)
    if rendering is None:
        return None
    declared = [text for text, _ in declared_shorts(concept, lang)]
    texts = declared or derived_shorts(concept, lang)
    if not texts:
        return rendering
    return short_form_rendering(concept, rendering, texts)


def short_form_rendering(concept: Concept, rendering: Rendering, texts: list[str]) -> Rendering:
    """``texts`` (short forms, the first one written) as a rendering with ``rendering``'s gender
    and declension."""
    forms: dict[str, str] = {}
    if is_korean_name(concept) and len(texts[0].split()) == 1 and re.fullmatch(r"[А-ЯЁ][а-яё]{0,4}", texts[0]):
        forms = _korean_surname_forms(texts[0], rendering.gender, rendering.indeclinable)
    return Rendering(text=texts[0], variants=tuple(texts[1:]), fuzzy=rendering.fuzzy, gender=rendering.gender,
                     forms=forms, indeclinable=rendering.indeclinable)


def _korean_surname_forms(word: str, gender: str | None, indeclinable: bool) -> dict[str, str]:
    """A Korean family name alone declines as the last syllable of a Korean name does (Ким ->
    Кима for a man; Сон stays Сон, not the noun сон -> сна)."""
    from service.glossary.russian import russian_forms

    carrier = russian_forms(Rendering(text=f"Ким {word}", gender=gender, indeclinable=indeclinable), "person")
    return {f"{case}.{number}": form.split()[-1] for (case, number), form in carrier.items()}


@dataclass(frozen=True)
class MentionConcept(Concept):
    """A concept as a short mention is written: its renderings are the short forms. Its key
    differs from the concept's, so enforcement counts the short form apart from the full name (a
    translation that writes "Ольга Любимова" for "Lyubimova" has not rendered the mention); reports
    name the concept itself (term and category)."""

    @property
    def key(self) -> tuple[str, str]:
        return (self.category, self.msgid + "\x00short")


def mention_concept(concept: Concept, target: str | None = None) -> Concept:
    """What a mention of ``concept`` is enforced as: a ``MentionConcept`` with the short form of
    every language, or ``concept`` itself when ``target`` has no short form (the full rendering
    is then what the mention must come out as)."""
    if target is not None:
        short, full = short_rendering(concept, target), concept.rendering(target)
        if short is None or full is None or short.text == full.text:
            return concept
    renderings = {}
    for lang in concept.renderings.keys() | {"en"}:
        short = short_rendering(concept, lang)
        if short is not None:
            renderings[lang] = short
    return MentionConcept(msgid=concept.msgid, category=concept.category, note=concept.note,
                          renderings=renderings, retired=concept.retired)
