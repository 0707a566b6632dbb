"""Second mentions as news writes them: "Lyubimova said", "Kim said", "Любимова заявила", "류비모바는".

A story names a person or body in full once ("Culture Minister Olga Lyubimova") and then by a
short form: the surname, "the Workers' Party", "the Central Committee". The matcher alone cannot
use these: "Kim" is five people in the house glossary, and "Central Committee" means nothing
without the party. So a short form becomes a mention of a concept only in its article's context:

* Short forms are those of ``service.glossary.shortforms``: declared in the PO files
  (``# short: Lyubimova``) or derived for persons (surname; Korean family name).
* A short form binds to the claimant concept with the nearest preceding *anchor*: a mention of
  the concept itself, or of a concept its English term contains ("Workers' Party of Korea" in
  "Central Committee of the Workers' Party of Korea"). An anchor of that second kind may also
  follow in the same sentence ("the Central Committee headquarters of the ruling Workers'
  Party"). Without an anchor a short form is not matched, unless it is declared ``[anywhere]``
  and only one concept claims it.
* Someone else of the same name who is not in the glossary ("Kim Sung-han", "Tatiana
  Lyubimova") shows as a capitalised given name beside the short form: that is not a mention,
  and until the next anchor the bare short form is taken to mean that person.

A mention is enforced like any other occurrence, with the target language's short form as the
rendering (``mention_concept``): "Lyubimova said" -> "Любимова заявила", declined like the full
name would be. Without a short form in the target language the full rendering is used.
"""

from __future__ import annotations

import re
import threading
from dataclasses import replace
from typing import Any

from service.glossary.matcher import Match, Matcher, matcher_for, normalize_key
from service.glossary.shortforms import (
    MentionConcept,
    declared_shorts,
    derived_shorts,
    is_korean_name,
    mention_concept,
    short_form_rendering,
)
from service.glossary.termbase import Concept, Rendering, Termbase

__all__ = ["MentionSnapshot", "article_mentions", "recognise", "shorten_full_names", "with_mentions"]

# Capitalised words that may stand before a surname without being a given name.
_TITLE_WORDS = frozenset({
    "president", "minister", "ambassador", "chairman", "chairwoman", "leader", "secretary",
    "premier", "general", "marshal", "comrade", "mr", "mrs", "ms", "dr", "envoy", "spokesman",
    "spokeswoman", "spokesperson", "deputy", "vice", "senator", "governor", "mayor", "speaker",
    "chief", "director", "commander", "prime", "foreign", "defence", "defense", "culture",
    "russian", "korean", "north", "south", "first", "state", "council", "committee", "party",
})
_WORD_BEFORE = re.compile(r"([^\W\d_][\w'’.-]*)\s+$")
_WORD_AFTER = re.compile(r"^\s+([^\W\d_][\w'’-]*)")


# -- recognition ---------------------------------------------------------------------------------


class _Shorts:
    """Every short form of one termbase in one language, ready to find in text."""

    def __init__(self, termbase: Termbase, lang: str) -> None:
        self.lang = lang
        self.concepts = {c.key: c for c in termbase.concepts()}
        anaphoric: list[Concept] = []
        anywhere: list[Concept] = []
        for concept in self.concepts.values():
            rendering = concept.rendering(lang)
            if rendering is None or rendering.fuzzy:
                continue
            declared = declared_shorts(concept, lang)
            free = [text for text, flag in declared if flag]
            bound = [text for text, flag in declared if not flag]
            bound += [t for t in derived_shorts(concept, lang) if t not in bound and t not in free]
            if bound:
                anaphoric.append(_recognition_concept(concept, rendering, lang, bound))
            if free:
                anywhere.append(_recognition_concept(concept, rendering, lang, free))
        self.anaphoric = Matcher(Termbase(anaphoric, version=f"{termbase.version}+short"), lang)
        self.anywhere = Matcher(Termbase(anywhere, version=f"{termbase.version}+anywhere"), lang)
        # Bodies whose English term contains another concept's term: mentions of the part anchor
        # the whole ("Workers' Party of Korea" anchors "Central Committee of the Workers' Party ...").
        # Persons are anchored by themselves only (and the scan stays small in large glossaries).
        self.anchors: dict[tuple[str, str], set[tuple[str, str]]] = {}
        bodies = [c for c in (*anaphoric, *anywhere) if c.category != "person"]
        if bodies:
            keys = {normalize_key(c.msgid): c.key for c in self.concepts.values()}
            for body in bodies:
                whole = f" {normalize_key(body.msgid)} "
                self.anchors[body.key] = {body.key} | {other for part, other in keys.items()
                                                       if other != body.key and f" {part} " in whole}
        self.titles = _TITLE_WORDS | {w for c in self.concepts.values() if c.category == "title"
                                      for w in normalize_key(c.msgid).split()}
        self._mentions: dict[tuple[tuple[str, str], str | None], Concept] = {}
        self._lock = threading.Lock()

    def mention(self, key: tuple[str, str], target: str | None) -> Concept:
        with self._lock:
            found = self._mentions.get((key, target))
            if found is None:
                found = self._mentions[(key, target)] = mention_concept(self.concepts[key], target)
            return found


def _recognition_concept(concept: Concept, rendering: Rendering, lang: str, texts: list[str]) -> Concept:
    # Only the PO language's own short forms: the Matcher reads concept.rendering(lang), and for
    # English it adds the term itself, which the full matches then cover.
    return replace(concept, renderings={lang: short_form_rendering(concept, rendering, texts)})


_CACHE: dict[tuple[str, str], _Shorts] = {}
_CACHE_LOCK = threading.Lock()


def _shorts_for(termbase: Termbase, lang: str) -> _Shorts:
    key = (termbase.version, lang)
    with _CACHE_LOCK:
        found = _CACHE.get(key)
        if found is None:
            if len(_CACHE) >= 12:
                _CACHE.pop(next(iter(_CACHE)))
            found = _CACHE[key] = _Shorts(termbase, lang)
        return found


Position = tuple[int, int]  # (sentence index, offset)


def article_mentions(termbase: Termbase, lang: str, sentences: list[str],
                     target: str | None = None) -> list[list[Match]]:
    """For each sentence of one article (in order), the short-form mentions it holds, each a
    ``Match`` of ``mention_concept(concept, target)`` with ``mention`` set. Full matches are not
    included: ``matcher_for(termbase, lang).find`` gives those."""
    shorts = _shorts_for(termbase, lang)
    full_matcher = matcher_for(termbase, lang)
    full = [full_matcher.find(text) for text in sentences]
    events: list[tuple[Position, tuple[str, str] | str]] = []  # (where, concept key or blocked claimants)
    for si, matches in enumerate(full):
        events.extend(((si, m.start), m.concept.key) for m in matches)
    candidates: list[tuple[int, Match, bool]] = []  # (sentence, match, from an [anywhere] form)
    for si, text in enumerate(sentences):
        if not shorts.anaphoric.size and not shorts.anywhere.size:
            break
        taken = bytearray(len(text))
        for m in full[si]:
            taken[m.start:m.end] = b"\x01" * (m.end - m.start)
        found = sorted([(m, True) for m in shorts.anywhere.find(text)]
                       + [(m, False) for m in shorts.anaphoric.find(text)],
                       key=lambda item: (-(item[0].end - item[0].start), item[0].start))
        for m, anywhere in found:
            if not any(taken[m.start:m.end]):
                taken[m.start:m.end] = b"\x01" * (m.end - m.start)
                candidates.append((si, m, anywhere))
    candidates.sort(key=lambda item: (item[0], item[1].start))
    out: list[list[Match]] = [[] for _ in sentences]
    bound: set[int] = set()
    # Pass 1: short forms that stand alone and have one claimant need no context, and anchor others.
    for index, (si, m, anywhere) in enumerate(candidates):
        claimants = _claimants(m)
        if anywhere and len(claimants) == 1:
            out[si].append(_bind(shorts, m, claimants[0], target))
            events.append(((si, m.start), claimants[0]))
            bound.add(index)
    events.sort(key=lambda e: e[0])
    # Pass 2: short forms that need an anchor, in text order (a bound one anchors later ones).
    for index, (si, m, _) in enumerate(candidates):
        if index in bound:
            continue
        key = _resolve(shorts, sentences, si, m, events)
        if key is None:
            continue
        out[si].append(_bind(shorts, m, key, target))
        events.append(((si, m.start), key))
        events.sort(key=lambda e: e[0])
    for matches in out:
        matches.sort(key=lambda m: m.start)
    return out


def recognise(termbase: Termbase, lang: str, sentences: list[str]) -> list[list[Match]]:
    """Full matches and mentions together, per sentence, in text order."""
    matcher = matcher_for(termbase, lang)
    mentions = article_mentions(termbase, lang, sentences)
    return [sorted([*matcher.find(text), *extra], key=lambda m: m.start) for text, extra in zip(sentences, mentions)]


def _claimants(m: Match) -> list[tuple[str, str]]:
    return list(dict.fromkeys(c.key for c in (m.concept, *m.alternatives)))


def _bind(shorts: _Shorts, m: Match, key: tuple[str, str], target: str | None) -> Match:
    return replace(m, concept=shorts.mention(key, target), alternatives=(), mention=True)


def _resolve(shorts: _Shorts, sentences: list[str], si: int, m: Match,
             events: list[tuple[Position, Any]]) -> tuple[str, str] | None:
    text = sentences[si]
    claimants = _claimants(m)
    # Who else bears the name is remembered per set of claimants, so that every case form of the
    # short form (Любимову, Любимова) shares it.
    surface_key = "\x00".join(sorted("\x01".join(k) for k in claimants))
    if shorts.lang in ("en", "ru") and " " not in m.surface.strip():
        people = [shorts.concepts[k] for k in claimants if shorts.concepts[k].category == "person"]
        if _other_bearer(shorts, text, m, people):
            events.append(((si, m.start), surface_key))
            events.sort(key=lambda e: e[0])
            return None
    if _qualified(shorts, text, m, claimants) or _named(shorts, text, m):
        return None
    if any(shorts.concepts[k].category == "person" for k in claimants) and _named_after(shorts, text, m):
        return None
    here = (si, m.start)
    best: tuple[Position, tuple[str, str]] | None = None
    tie = False
    for key in claimants:
        anchors = shorts.anchors.get(key, {key})
        latest = max((pos for pos, what in events if what in anchors and pos < here), default=None)
        if latest is None:
            # A part named later in the same sentence ("Central Committee ... of the Workers' Party").
            later = [pos for pos, what in events if what in anchors and what != key and pos[0] == si and pos > here]
            latest = (si, -1) if later else None
        if latest is None:
            continue
        if best is None or latest > best[0]:
            best, tie = (latest, key), False
        elif latest == best[0]:
            tie = True
    if best is None or tie:
        return None
    blocked = max((pos for pos, what in events if what == surface_key and pos < here), default=None)
    if blocked is not None and blocked > best[0]:
        return None  # the nearest bearer of this name is someone the glossary does not know
    return best[1]


# Things named after a person: "Lavrov Street", "улица Лаврова" name the street, not the minister.
_NAMED_AFTER_EN = frozenset({
    "street", "avenue", "square", "road", "boulevard", "bridge", "station", "airport", "prize",
    "award", "medal", "institute", "university", "school", "museum", "library", "park", "foundation",
    "centre", "center", "hall", "stadium", "memorial",
})
_NAMED_AFTER_RU = frozenset({
    "улица", "проспект", "площадь", "переулок", "бульвар", "мост", "станция", "аэропорт", "премия",
    "медаль", "институт", "университет", "школа", "музей", "библиотека", "парк", "фонд", "центр",
    "стадион", "имя",
})


def _named_after(shorts: _Shorts, text: str, m: Match) -> bool:
    if shorts.lang == "en":
        after = _WORD_AFTER.match(text[m.end:])
        return bool(after and after.group(1).lower() in _NAMED_AFTER_EN)
    if shorts.lang == "ru":
        before = re.search(r"([а-яё]+)\s+$", text[:m.start].lower())
        if before:
            from service.glossary.russian import analyzer

            return any(p.normal_form in _NAMED_AFTER_RU for p in analyzer().parse(before.group(1))[:2])
    return False


def _named(shorts: _Shorts, text: str, m: Match) -> bool:
    """Whether the short form is a name being introduced, not a reference: Korean "류비모바라는
    배우" ("an actor called Lyubimova")."""
    return shorts.lang == "ko" and bool(re.match(r"(?:이)?라(?:는|고\s+하는)|(?:이)?란\s", text[m.end:]))


def _qualified(shorts: _Shorts, text: str, m: Match, claimants: list[tuple[str, str]]) -> bool:
    """Whether a body's short form is qualified as another body's: "the Central Committee of the
    Communist Party of China", "ЦК КПК", "중국공산당 중앙위원회"."""
    if any(shorts.concepts[k].category == "person" for k in claimants):
        return False
    rest = text[m.end:]
    if shorts.lang == "en":
        return bool(re.match(r"\s+of\s+(?:the\s+)?[A-Z]", rest))
    if shorts.lang == "ru":
        after = _WORD_AFTER.match(rest)
        return bool(after and after.group(1)[:1].isupper())
    if shorts.lang == "ko":  # 중국공산당 중앙위원회: another party's name before it
        before = re.search(r"([가-힣]+)\s+$", text[:m.start])
        return bool(before and len(before.group(1)) > 1 and before.group(1).endswith("당"))
    return False


def _other_bearer(shorts: _Shorts, text: str, m: Match, people: list[Concept]) -> bool:
    """Whether the short form is part of the full name of someone else: a Korean family name
    followed by a capitalised given name (Kim Sung-han), or a surname after a capitalised word
    that is not a title, an acronym or a possessive (Tatiana Lyubimova, not Minister Lyubimova)."""
    if any(is_korean_name(c) for c in people):
        after = _WORD_AFTER.match(text[m.end:])
        if after and after.group(1)[:1].isupper() and not after.group(1).isupper():
            return True
    if any(not is_korean_name(c) for c in people):
        before = _WORD_BEFORE.search(text[:m.start])
        if before:
            word = before.group(1)
            initial = not text[:before.start()].strip()
            if _given_name(shorts, word, initial):
                return True
    return False


def _given_name(shorts: _Shorts, word: str, initial: bool) -> bool:
    if not word[:1].isupper() or (len(word) > 1 and word.isupper()):
        return False
    if re.search(r"['’]s$", word) or word.endswith("."):
        return False
    low = word.lower()
    if low in shorts.titles:
        return False
    if not initial:
        return True
    # A sentence's first word is capitalised anyway: a name only if it reads as one.
    if shorts.lang == "en":
        from service.detect import _english_words

        return low not in _english_words()
    from service.glossary.russian import analyzer

    return any("Name" in p.tag for p in analyzer().parse(low)[:2])


# -- enforcement hook ----------------------------------------------------------------------------


class _Composite:
    """The glossary's matcher plus the short forms of this call's mentions (longest span wins)."""

    def __init__(self, base: Any, extra: Matcher) -> None:
        self.base, self.extra = base, extra
        self.lang = base.lang
        self.version = base.version
        self.size = base.size + extra.size

    def find(self, text: str) -> list[Match]:
        found = [(m, 0) for m in self.base.find(text)] + [(m, 1) for m in self.extra.find(text)]
        found.sort(key=lambda item: (-(item[0].end - item[0].start), item[0].start, item[1]))
        taken: list[Match] = []
        occupied = bytearray(len(text))
        for m, _ in found:
            if not any(occupied[m.start:m.end]):
                taken.append(m)
                occupied[m.start:m.end] = b"\x01" * (m.end - m.start)
        return sorted(taken, key=lambda m: m.start)


class MentionSnapshot:
    """A glossary snapshot that also recognises this call's mentions in the languages the
    translation goes through and into (the pivot's English, the target), so that a short form
    the model or a repair wrote counts. The source language keeps the plain matcher: there the
    mentions were found with their context and are passed explicitly."""

    def __init__(self, base: Any, concepts: list[Concept], source: str) -> None:
        self._base = base
        self._source = source
        self._termbase = Termbase(concepts, version=f"{base.version}+mentions")
        self._matchers: dict[str, Any] = {}
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._base, name)

    def matcher(self, lang: str) -> Any:
        base = self._base.matcher(lang)
        if lang == self._source:
            return base
        with self._lock:
            found = self._matchers.get(lang)
            if found is None:
                found = self._matchers[lang] = _Composite(base, Matcher(self._termbase, lang))
            return found


def with_mentions(snapshot: Any, mentions: list[list[Match]], source: str) -> Any:
    """``snapshot`` extended with the mentions' short forms (see ``MentionSnapshot``)."""
    concepts = {m.concept.key: m.concept for sentence in mentions for m in sentence
                if isinstance(m.concept, MentionConcept)}
    if not concepts:
        return snapshot
    return MentionSnapshot(snapshot, list(concepts.values()), source)


# -- after enforcement: a full name written for a mention --------------------------------------


def shorten_full_names(snapshot: Any, target: str, output: str, mentions: list[Match],
                       terms: list[Any]) -> str:
    """Where enforcement left a mention ``missed`` because the translation wrote the concept's full
    name instead ("Kim visited Moscow" -> "Ким Чен Ын посетил Москву"), write the short form in
    the full name's place, in its case (Russian) or with its particle re-agreed (Korean), and
    report the mention ``applied`` by ``respell``. Only full names beyond those the sentence's own
    full mentions account for are taken. ``terms``: the sentence's reports (updated in place)."""
    by_span = {(m.start, m.end): m for m in mentions if isinstance(m.concept, MentionConcept)}
    pending = [t for t in terms if t.status == "missed" and (t.source_start, t.source_end) in by_span]
    if not pending:
        return output
    from service.glossary.russian import russian_forms

    full = [m for m in snapshot.matcher(target).find(output) if not isinstance(m.concept, MentionConcept)]
    edits: list[tuple[int, int, str]] = []
    for term in pending:
        mention = by_span[(term.source_start, term.source_end)]
        key = (term.category, term.concept)
        spans = [m for m in full if m.concept.key == key]
        claimed = sum(1 for t in terms if (t.category, t.concept) == key and t.status == "applied"
                      and (t.source_start, t.source_end) not in by_span)
        spare = [m for m in spans[claimed:] if all(m.end <= s or m.start >= e for s, e, _ in edits)]
        short = mention.concept.rendering(target)
        if not spare or short is None:
            continue
        place = spare[0]
        form = short.text
        if target == "ru":
            table = {("nom", "sg"): short.text, **russian_forms(short, mention.concept.category)}
            form = next((table[f] for f in place.forms if f in table), short.text)
        elif target != "ko" and place.start == 0:
            form = form[:1].upper() + form[1:]
        edits.append((place.start, place.end, form))
        term.status, term.strategy, term.rendering = "applied", "respell", form
    for start, end, form in sorted(edits, reverse=True):
        rest = output[end:]
        if target == "ko":
            from service.glossary import korean

            particle = korean.particle_after(output, end) or ""
            rest = korean.reagree(form, particle) + rest[len(particle):]
        output = output[:start] + form + rest
    return output
