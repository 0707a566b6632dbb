"""``glossa glossary suggest``: names in a corpus that the glossary does not know yet.

Terms the glossary already recognises are blanked out first, then each language's name
patterns are collected and ranked by frequency:
* English and Russian: runs of capitalised words (with "of", "the", "and" / "и" inside), and
  acronyms; a single capitalised word at the start of a sentence is not a name. Russian
  candidates are grouped by lemma so that "Шойгу", "Песковым" and "Пескова" count together.
* Korean: a word (particles stripped) ending in an institution suffix (위원회, 통신, 대학 ...),
  or a three-syllable name starting with a common family name followed by a title (위원장,
  동지, 대통령 ...).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from service.glossary import korean
from service.glossary.termbase import Termbase

_EN_CONNECTORS = {"of", "the", "and", "for", "on", "de"}
_RU_CONNECTORS = {"и", "по", "де"}
_EN_STOP = {
    "The", "A", "An", "He", "She", "It", "They", "We", "I", "In", "On", "At", "But", "And", "This",
    "That", "These", "Those", "His", "Her", "Their", "Its", "As", "After", "Before", "When", "While",
    "If", "Mr", "Mrs", "Ms", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
    "Sunday", "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
}
_KO_SUFFIXES = ("위원회", "통신", "통신사", "대학", "조약", "협정", "선언", "광장", "대사관", "공항", "위원장", "부", "성", "청", "당")
_KO_TITLES = ("위원장", "동지", "대통령", "장관", "총리", "대사", "외무상", "부부장", "비서", "총비서", "국방상", "의장")
_KO_SURNAMES = set("김이리박최정조강윤장임한오서신권황안송류전홍고문양손배백허남심노하곽성차주우구민진지엄채원천방공현함변염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용")
_SENTENCE_END = re.compile(r"[.!?…。]\s*$|^\s*$|[\n\"«“(>#*\-]\s*$")


@dataclass(frozen=True)
class Suggestion:
    text: str
    lang: str
    count: int
    forms: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {"text": self.text, "lang": self.lang, "count": self.count, "forms": list(self.forms)}


def suggest(texts: list[str], termbase: Termbase, *, langs: tuple[str, ...] = ("en", "ko", "ru"), min_count: int = 2) -> list[Suggestion]:
    from service.glossary.matcher import matcher_for

    counts: dict[tuple[str, str], Counter[str]] = {}
    for text in texts:
        for lang in langs:
            masked = _mask(text, matcher_for(termbase, lang).find(text))
            for key, surface in _candidates(masked, lang):
                counts.setdefault((lang, key), Counter())[surface] += 1
    out = []
    for (lang, _key), surfaces in counts.items():
        total = sum(surfaces.values())
        if total >= min_count:
            out.append(Suggestion(surfaces.most_common(1)[0][0], lang, total, tuple(s for s, _ in surfaces.most_common())))
    out.sort(key=lambda s: (-s.count, s.lang, s.text))
    return out


def _mask(text: str, matches: list) -> str:
    chars = list(text)
    for match in matches:
        end = match.end + len(match.particle or "")
        for i in range(match.start, end):
            chars[i] = " "
    return "".join(chars)


def _candidates(text: str, lang: str) -> list[tuple[str, str]]:
    if lang == "ko":
        return _korean_candidates(text)
    word = r"[A-Z][\w'’\-]*" if lang == "en" else r"[А-ЯЁ][А-Яа-яЁё\-]*"
    connectors = _EN_CONNECTORS if lang == "en" else _RU_CONNECTORS
    token = re.compile(r"[A-Za-zА-Яа-яЁё][\w'’\-]*")
    out: list[tuple[str, str]] = []
    run: list[re.Match[str]] = []

    def flush() -> None:
        while run and run[-1].group() in connectors:
            run.pop()
        if run:
            words = [m.group() for m in run]
            starts_sentence = bool(_SENTENCE_END.search(text[: run[0].start()]))
            if starts_sentence and len(words) > 2 and words[1] in connectors:
                # "Officials of the Ministry of Railways": the capital of the first word is the
                # sentence's, not a name's.
                words = words[1:]
                while words and words[0] in connectors:
                    words = words[1:]
            if len(words) == 1 and (starts_sentence or words[0] in _EN_STOP or len(words[0]) < 2) and not _acronym(words[0]):
                pass
            else:
                if words[0] in _EN_STOP and len(words) > 1:
                    words = words[1:]
                surface = " ".join(words)
                out.append((_group_key(surface, lang), surface))
        run.clear()

    last_end = 0
    for m in token.finditer(text):
        gap = text[last_end:m.start()]
        if run and (gap.strip() not in ("",) or "\n" in gap):
            flush()
        w = m.group()
        if re.fullmatch(word, w):
            run.append(m)
        elif run and w in connectors:
            run.append(m)
        else:
            flush()
        last_end = m.end()
    flush()
    return out


def _acronym(word: str) -> bool:
    return 2 <= len(word) <= 6 and word.isupper()


def _group_key(surface: str, lang: str) -> str:
    if lang != "ru":
        return surface.replace("’", "'")
    from service.glossary.russian import analyzer

    # Group case forms by lemma (Пескова, Песковым -> песков).
    lemmas = []
    for w in surface.split():
        parses = analyzer().parse(w.lower())
        lemmas.append(parses[0].normal_form if parses else w.lower())
    return " ".join(lemmas)


def _korean_candidates(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    words = list(re.finditer(r"[가-힣]+", text))
    for index, m in enumerate(words):
        stem = _strip_particles(m.group())
        if len(stem) < 2:
            continue
        nxt = _strip_particles(words[index + 1].group()) if index + 1 < len(words) else ""
        if len(stem) == 3 and stem[0] in _KO_SURNAMES and (nxt in _KO_TITLES or stem != m.group()):
            if nxt in _KO_TITLES:
                out.append((stem, stem))
                continue
        if len(stem) >= 3 and stem.endswith(_KO_SUFFIXES) and stem not in _KO_TITLES:
            out.append((stem, stem))
    return out


def _strip_particles(word: str) -> str:
    for cut in range(1, min(4, len(word) - 1) + 1):
        head = word[:-cut]
        if korean.particle_after(word, len(head)) not in (None, ""):
            return head
    return word
