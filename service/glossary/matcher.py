"""Finding glossary terms in source text with one Aho-Corasick automaton per language.

Every surface a concept can take (rendering, variants, and for Russian every case and number
form; for Korean the unspaced form of spaced terms) is normalised and put into the automaton, so
matching costs one pass over the text whatever the size of the glossary. Candidates are then
filtered by word boundaries (Korean: boundary or particles), by a capitalisation policy, and
overlaps resolve to the longest term.

Normalisation (applied to keys and text alike, with a map back to original offsets): lowercase,
ё -> е, every dash and hyphen -> space, every apostrophe or quote-like mark -> ', runs of white
space -> one space; invisible characters (zero-width spaces and joiners, soft hyphens, word
joiners, BOM) are dropped, and in a word mixing Latin and Cyrillic letters the look-alikes of the
minority script become the majority's ("Kіm" with a Cyrillic і is Kim), so that neither slip,
copy-paste debris nor a deliberate look-alike lets a term evade the glossary. Offsets stay those
of the original text.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

import ahocorasick

from service.glossary import korean
from service.glossary.termbase import Concept, Rendering, Termbase

_DASHES = set("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212")
_APOSTROPHES = set("'\u2019\u2018\u02bc\u0060\u00b4\u2032\uff07")
_WORD_SPLIT = re.compile(r"[\s'\-\u2010-\u2015\u2212\u2018\u2019\u02bc`\u00b4\u2032]+")


@dataclass(frozen=True)
class Match:
    concept: Concept
    start: int
    end: int  # end of the term itself; a Korean particle follows at [end, end + len(particle))
    surface: str
    lang: str
    pattern: str  # the glossary string (rendering, variant or generated form) that matched
    forms: tuple[tuple[str, str], ...] = ()  # Russian: possible (case, number) of the surface
    particle: str | None = None  # Korean: particles right after the term ("" when none)
    alternatives: tuple[Concept, ...] = ()  # other concepts claiming the same surface
    mention: bool = False  # a short form bound by its article's context (service.glossary.mentions)

    @property
    def text(self) -> str:
        """Alias of ``surface`` (the text as written in the input)."""
        return self.surface

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "term": self.concept.msgid,
            "category": self.concept.category,
            "start": self.start,
            "end": self.end,
            "surface": self.surface,
            "lang": self.lang,
            "pattern": self.pattern,
        }
        if self.forms:
            out["forms"] = [f"{c}.{n}" for c, n in self.forms]
        if self.particle is not None:
            out["particle"] = self.particle
        if self.alternatives:
            out["alternatives"] = [c.msgid for c in self.alternatives]
        if self.mention:
            out["mention"] = True
        return out


@dataclass
class _Entry:
    concept: Concept
    patterns: list[str]  # the glossary strings that normalise to this key (Kursk Region, Kursk region)
    forms: set[tuple[str, str]] = field(default_factory=set)


# Every Unicode white-space character lies below U+3001.
_SPACES = [chr(c) for c in range(0x3001) if chr(c).isspace()]
_FAST_TABLE = str.maketrans(
    {**{ch: " " for ch in _DASHES}, **{ch: "'" for ch in _APOSTROPHES}, **{ch: " " for ch in _SPACES}, "ё": "е"}
)


_INVISIBLE = frozenset("\u00ad\u180e\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff")
_INVISIBLE_RE = re.compile("[" + "".join(sorted(_INVISIBLE)) + "]")
# Latin letter -> Cyrillic letter that looks the same (both cases).
_LOOKALIKES = dict(zip("aABcCeEHiIjJkKMoOpPsSTxXyY", "аАВсСеЕНіІјЈкКМоОрРѕЅТхХуУ"))
_TO_CYRILLIC = str.maketrans(_LOOKALIKES)
_TO_LATIN = str.maketrans({c: latin for latin, c in _LOOKALIKES.items()})
_MIXED_RE = re.compile(r"[A-Za-z][\u0400-\u04ff]|[\u0400-\u04ff][A-Za-z]")
_WORD_RE = re.compile(r"[^\W\d_]+")


def _unmix(text: str) -> str:
    """Words mixing Latin and Cyrillic letters written in their majority script (same length)."""
    def fix(word: re.Match[str]) -> str:
        w = word.group(0)
        if not _MIXED_RE.search(w):
            return w
        latin = sum(1 for ch in w if "a" <= ch.lower() <= "z")
        cyrillic = sum(1 for ch in w if "\u0400" <= ch <= "\u04ff")
        if latin == cyrillic:
            return w
        return w.translate(_TO_LATIN if latin > cyrillic else _TO_CYRILLIC)
    return _WORD_RE.sub(fix, text)


def normalize(text: str) -> tuple[str, list[int] | None]:
    """``text`` normalised for matching, and for each output character its offset in ``text``
    (None when the offsets are the same: the common case, computed without a Python loop)."""
    if _MIXED_RE.search(text):
        text = _unmix(text)
    if _INVISIBLE_RE.search(text):
        return _normalize_slow(text)
    lowered = text.lower()
    if len(lowered) == len(text):
        fast = lowered.translate(_FAST_TABLE)
        if "  " not in fast and (not fast or fast[0] != " "):
            return fast, None
    return _normalize_slow(text)


def _normalize_slow(text: str) -> tuple[str, list[int]]:
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        if ch in _INVISIBLE:
            continue
        if ch in _DASHES or ch.isspace():
            if out and out[-1] == " ":
                continue
            out.append(" ")
        elif ch in _APOSTROPHES:
            out.append("'")
        else:
            low = ch.lower()
            if len(low) != 1:
                low = ch
            out.append("е" if low == "ё" else low)
        index.append(i)
    index.append(len(text))
    return "".join(out), index


def normalize_key(text: str) -> str:
    return normalize(text.strip())[0].strip()


def surfaces_for(concept: Concept, lang: str, *, include_fuzzy: bool = False) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    """(surface, russian forms) pairs that recognise ``concept`` in ``lang`` text."""
    rendering = concept.rendering(lang)
    if rendering is None or (rendering.fuzzy and not include_fuzzy):
        return []
    out: list[tuple[str, tuple[tuple[str, str], ...]]] = []
    surfaces = list(rendering.surfaces())
    if lang == "en" and concept.msgid not in surfaces:
        surfaces.append(concept.msgid)
    for i, surface in enumerate(surfaces):
        if lang == "ru":
            from service.glossary.russian import russian_forms

            own = rendering if i == 0 else Rendering(text=surface, gender=rendering.gender, indeclinable=rendering.indeclinable)
            by_form: dict[str, list[tuple[str, str]]] = {}
            for key, form in russian_forms(own, concept.category).items():
                by_form.setdefault(form, []).append(key)
            out.extend((form, tuple(keys)) for form, keys in by_form.items())
        else:
            out.append((surface, ()))
            if lang == "ko" and " " in surface:
                out.append((surface.replace(" ", ""), ()))
            if lang == "en" and "'" in normalize_key(surface):
                # "Workers Party" is how many wires write "Workers' Party".
                out.append((re.sub(r"['\u2019]", "", surface), ()))
    return out


class Matcher:
    """All concepts of one termbase in one language, ready to find in text."""

    def __init__(self, termbase: Termbase, lang: str, *, include_fuzzy: bool = False) -> None:
        self.lang = lang
        self.version = termbase.version
        self._automaton = ahocorasick.Automaton()
        entries: dict[str, list[_Entry]] = {}
        for concept in termbase.concepts():
            for surface, forms in surfaces_for(concept, lang, include_fuzzy=include_fuzzy):
                key = normalize_key(surface)
                if not key:
                    continue
                bucket = entries.setdefault(key, [])
                existing = next((e for e in bucket if e.concept.key == concept.key), None)
                if existing is None:
                    bucket.append(_Entry(concept, [surface], set(forms)))
                else:
                    existing.forms.update(forms)
                    if surface not in existing.patterns:
                        existing.patterns.append(surface)
        for key, bucket in entries.items():
            self._automaton.add_word(key, (len(key), tuple(bucket)))
        self.size = len(entries)
        if entries:
            self._automaton.make_automaton()

    def find(self, text: str) -> list[Match]:
        """Non-overlapping matches in text order; overlaps resolve to the longest term."""
        if not self.size or not text:
            return []
        norm, index = normalize(text)
        candidates: list[Match] = []
        for last, (length, bucket) in self._automaton.iter(norm):
            first = last - length + 1
            start, end = (first, last + 1) if index is None else (index[first], index[last] + 1)
            match = self._accept(text, start, end, bucket)
            if match is not None:
                candidates.append(match)
        candidates.sort(key=lambda m: (-(m.end - m.start), m.start))
        taken: list[Match] = []
        occupied = bytearray(len(text))
        for cand in candidates:
            if not any(occupied[cand.start:cand.end]):
                taken.append(cand)
                occupied[cand.start:cand.end] = b"\x01" * (cand.end - cand.start)
        return sorted(taken, key=lambda m: m.start)

    def _accept(self, text: str, start: int, end: int, bucket: tuple[_Entry, ...]) -> Match | None:
        before = text[start - 1] if start > 0 else ""
        after = text[end] if end < len(text) else ""
        particle: str | None = None
        if self.lang == "ko":
            if korean.is_hangul(before) or before.isalnum():
                return None
            particle = korean.particle_after(text, end)
            if particle is None:
                return None
        elif before.isalnum() or after.isalnum():
            return None
        surface = text[start:end]
        fitting = []
        for entry in bucket:
            pattern = next((p for p in entry.patterns if _case_fits(p, surface)), None)
            if pattern is not None:
                fitting.append((entry, pattern))
        if not fitting:
            return None
        best, pattern = fitting[0]
        return Match(
            concept=best.concept,
            start=start,
            end=end,
            surface=surface,
            lang=self.lang,
            pattern=pattern,
            forms=tuple(sorted(best.forms)),
            particle=particle,
            alternatives=tuple(e.concept for e, _ in fitting[1:]),
        )


def _case_fits(pattern: str, surface: str) -> bool:
    """Case-insensitive where safe: a capitalised word of the term must be capitalised in the
    text (so "sung" is not Sung Jong-gyu), an acronym must be upper case (so "un" is not UN);
    lowercase words of the term match in any case (sentence-initial "Culture minister")."""
    if pattern == pattern.lower():  # Korean, lowercase titles: nothing to check
        return True
    p_words = [w for w in _WORD_SPLIT.split(pattern) if w]
    s_words = [w for w in _WORD_SPLIT.split(surface) if w]
    if len(p_words) != len(s_words):
        return True  # spacing variants (Korean) and the like: the key already matched
    for p, s in zip(p_words, s_words):
        if len(p) > 1 and p.isupper() and not s.isupper():
            return False
        if p[:1].isupper() and not s[:1].isupper():
            return False
    return True


_MATCHERS: dict[tuple[str, str, bool], Matcher] = {}
# Server threads share the cache: without the lock two requests could evict and insert at once
# (a KeyError in pop, or the same large matcher built twice). Building under it is deliberate:
# a second request for the same glossary waits for the first build instead of repeating it.
_MATCHERS_LOCK = threading.Lock()


def matcher_for(termbase: Termbase, lang: str, *, include_fuzzy: bool = False) -> Matcher:
    """A Matcher built once per (termbase version, language)."""
    key = (termbase.version, lang, include_fuzzy)
    with _MATCHERS_LOCK:
        found = _MATCHERS.get(key)
        if found is None:
            if len(_MATCHERS) >= 12:
                _MATCHERS.pop(next(iter(_MATCHERS)))
            found = _MATCHERS[key] = Matcher(termbase, lang, include_fuzzy=include_fuzzy)
        return found
