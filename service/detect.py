"""Language identification for en, ko and ru, which names (and so refuses) everything else.

How it decides, cheapest evidence first:

1. Script. Letters are counted per writing system. Hangul, Han and kana are weighted up because
   one syllable or ideograph carries about as much text as several alphabet letters, and because
   Hangul inside an English or Russian article is rare (names in brackets) while an English quote
   inside a Korean paragraph is common: the Korean frame must win. Kana -> ja, Han alone -> zh,
   and scripts used by one language family (Greek, Thai, Hebrew, ...) are named directly.
2. Cyrillic. Letters that exist only in some alphabets decide first (Belarusian ў, Serbian ђ ћ,
   Macedonian ѓ ќ ѕ, Kazakh ә ғ қ ұ, ...). Otherwise a naive Bayes score over the character
   n-gram profiles shipped with langdetect, restricted to ru, uk, bg and mk, decides; Ukrainian
   і ї є ґ and Bulgarian ъ show up there as strong evidence without hand-tuned thresholds.
   A "Russian" answer must then be made of Russian words: when fewer than half of the words are
   in pymorphy3's dictionary (Kyrgyz, Mongolian, Tajik, Serbian without ј ђ ћ, ...), it is not.
3. Latin. The real question is "is it English?"; the same n-gram scoring runs over langdetect's
   Latin-script profiles, with a prior for English (this is an English/Korean/Russian news
   service), a penalty for letters English never uses, and evidence from words: the share of
   letters in the 10,000 most common English words moves the odds, and below 30% the text is
   not English whatever its letters say (Scottish Gaelic, Interlingua, German without umlauts).
4. A script we cannot translate that carries a quarter of the (weighted) letters names the text
   even when Latin letters are more numerous: Indic UI strings around English program names.

langdetect itself (random sampling, 55 languages) is never run per text: its profiles are read
once, lazily, and scored deterministically, which is what makes this much faster and stable.

Confidence is the share of the text's letters that support the answer, times how sure the
n-gram score is, times a length factor: a lone name such as "Пхеньян" is plausibly Russian,
Ukrainian or Bulgarian and says so.
"""

from __future__ import annotations

import json
import math
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from service.languages import SUPPORTED_LANGUAGES

if TYPE_CHECKING:  # numpy is imported lazily with the profiles
    import numpy as np

__all__ = ["Alternative", "Detection", "detect", "detect_paragraphs", "UNDETERMINED"]

UNDETERMINED = "und"
# Only this many characters of a text are examined: an article's first few paragraphs settle its
# language, and per-paragraph detection covers mixed articles.
MAX_SAMPLE_CHARS = 6000
# Words fed to the n-gram scorer; more adds time, not accuracy.
MAX_SCORED_WORDS = 160


@dataclass(frozen=True)
class Alternative:
    language: str
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        return {"language": self.language, "confidence": self.confidence}


@dataclass(frozen=True)
class Detection:
    """``language`` is an ISO 639-1 code or "und"; ``supported`` is true for en, ko and ru only."""

    language: str
    confidence: float
    supported: bool
    alternatives: list[Alternative] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "confidence": self.confidence,
            "supported": self.supported,
            "alternatives": [alt.to_dict() for alt in self.alternatives],
        }


# --- scripts -------------------------------------------------------------------------------

# Scripts that name one language well enough for a refusal message.
_SINGLE_LANGUAGE_SCRIPTS = {
    "GREEK": "el", "HEBREW": "he", "THAI": "th", "ARMENIAN": "hy", "GEORGIAN": "ka",
    "DEVANAGARI": "hi", "BENGALI": "bn", "GURMUKHI": "pa", "GUJARATI": "gu", "TAMIL": "ta",
    "TELUGU": "te", "KANNADA": "kn", "MALAYALAM": "ml", "SINHALA": "si", "ETHIOPIC": "am",
    "KHMER": "km", "LAO": "lo", "MYANMAR": "my", "TIBETAN": "bo", "THAANA": "dv",
    "MONGOLIAN": "mn", "ORIYA": "or", "ARABIC": "ar", "SYRIAC": "syr", "CHEROKEE": "chr",
}
# How much text one letter of a script stands for (see the module docstring).
_SCRIPT_WEIGHT = {"HANGUL": 5.0, "HAN": 4.0, "KANA": 3.0}
# Abugidas (Devanagari, Tamil, ...) and abjads write a syllable with one letter plus marks, and
# their UI text embeds Latin identifiers; one of their letters outweighs a Latin one.
_OTHER_SCRIPT_WEIGHT = 2.5
# Weighted share from which such a script, though not the largest, names the text's language.
_OTHER_SCRIPT_FRAME = 0.25

_LETTER_RE = re.compile(r"[^\W\d_]", re.UNICODE)
_WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)
_PARAGRAPH_BREAK_RE = re.compile(r"\n[ \t\r\f\v]*\n\s*")


@lru_cache(maxsize=8192)
def _script(ch: str) -> str:
    """Writing system of one letter, from its Unicode name (cached: texts reuse few letters)."""
    code = ord(ch)
    if code < 0x250:
        return "LATIN"
    if 0x400 <= code <= 0x52F or 0x1C80 <= code <= 0x1C8F or 0xA640 <= code <= 0xA69F:
        return "CYRILLIC"
    if 0xAC00 <= code <= 0xD7A3 or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
        return "HANGUL"
    if 0x3040 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF or 0xFF66 <= code <= 0xFF9F:
        return "KANA"
    if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF:
        return "HAN"
    name = unicodedata.name(ch, "")
    first = name.split(" ", 1)[0]
    if first in ("CJK", "IDEOGRAPHIC"):
        return "HAN"
    if first in ("HIRAGANA", "KATAKANA", "HALFWIDTH") and "KATAKANA" in name:
        return "KANA"
    if first == "FULLWIDTH" and "LATIN" in name:
        return "LATIN"
    return first or "OTHER"


def _script_counts(letters: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for ch in letters:
        s = _script(ch)
        counts[s] = counts.get(s, 0) + 1
    return counts


# --- n-gram profiles (langdetect's data, scored deterministically) -------------------------

_LATIN_PROFILES = (
    "en", "de", "fr", "es", "it", "pt", "nl", "pl", "tr", "sv", "da", "no", "fi", "cs", "sk",
    "sl", "hr", "ro", "hu", "ca", "id", "tl", "et", "lv", "lt", "sq", "af", "vi", "cy", "so", "sw",
)
_CYRILLIC_PROFILES = ("ru", "uk", "bg", "mk")
# Prior log-odds, in tempered units, for the languages this service exists for: a headline full
# of names should come out English or Russian unless the letters say otherwise.
_PRIOR = {"en": 1.5, "ru": 1.0}
# Letters English text (names aside) never uses: each costs English this much, tempered.
_NON_ENGLISH_LETTER_PENALTY = 1.0
_SMOOTHING = 0.5 / 10000
_ENGLISH_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")
# Below this share of letters in common English words, text that "looks English" is not.
_MIN_ENGLISH_COVERAGE = 0.3
# Tempered log-odds for English per unit of coverage above (or below) the neutral share, times the
# square root of the number of words (up to 9): positive evidence that a headline is English.
_COVERAGE_WEIGHT = 2.0
_NEUTRAL_COVERAGE = 0.5
# Below this share of words pymorphy3 knows from its dictionary, "Russian-looking" Cyrillic
# without special letters is not Russian (Kyrgyz, Mongolian, Tajik, Belarusian, Ukrainian, ...).
_MIN_RUSSIAN_KNOWN = 0.5
# Russian words examined by the dictionary check; enough to tell, cheap to look up.
MAX_DICTIONARY_WORDS = 24


class _NgramScorer:
    """Naive Bayes over 1-3 character n-grams of words, one row of log-probabilities per n-gram."""

    def __init__(self, langs: tuple[str, ...], profile_dir: Path) -> None:
        import numpy as np

        self.langs = langs
        profiles = [json.loads((profile_dir / lang).read_text(encoding="utf-8")) for lang in langs]
        vocab: dict[str, int] = {}
        for prof in profiles:
            for gram in prof["freq"]:
                vocab.setdefault(gram, len(vocab))
        matrix = np.empty((len(vocab), len(langs)), dtype=np.float32)
        for j, prof in enumerate(profiles):
            totals = prof["n_words"]
            freq = prof["freq"]
            for gram, i in vocab.items():
                # Additive smoothing in probability space, as langdetect does: an n-gram a
                # profile lacks costs every language the same, whatever its corpus size.
                p = freq.get(gram, 0) / totals[len(gram) - 1]
                matrix[i, j] = math.log(p + _SMOOTHING)
        self.index = vocab
        self.matrix = matrix

    def score(self, words: list[str]) -> tuple[np.ndarray, int]:
        """Summed log-likelihood per language, and how many n-grams were known."""
        index = self.index
        rows: list[int] = []
        for word in words[:MAX_SCORED_WORDS]:
            padded = f" {word} "
            size = len(padded)
            for n in (1, 2, 3):
                for start in range(size - n + 1):
                    i = index.get(padded[start:start + n])
                    if i is not None:
                        rows.append(i)
        if not rows:
            return self.matrix[:0].sum(axis=0), 0
        return self.matrix[rows].sum(axis=0), len(rows)


_scorers: dict[str, _NgramScorer] = {}
_scorers_lock = threading.Lock()


def _scorer(name: str) -> _NgramScorer:
    """Load langdetect's profiles for one script once, on first use (they take ~0.1 s)."""
    scorer = _scorers.get(name)
    if scorer is None:
        with _scorers_lock:
            scorer = _scorers.get(name)
            if scorer is None:
                import langdetect

                profile_dir = Path(langdetect.__file__).parent / "profiles"
                langs = _LATIN_PROFILES if name == "LATIN" else _CYRILLIC_PROFILES
                scorer = _NgramScorer(langs, profile_dir)
                _scorers[name] = scorer
    return scorer


def _tempered_posterior(scores: Any, n_grams: int, langs: tuple[str, ...],
                        bonus: dict[str, float]) -> dict[str, float]:
    """Turn summed log-likelihoods into honest probabilities.

    Naive Bayes treats overlapping n-grams as independent and is wildly overconfident on long
    texts; dividing by a factor that grows with the evidence keeps the margin meaningful.
    """
    temperature = max(2.5, n_grams / 12.0)
    logits = [float(s) / temperature + bonus.get(lang, 0.0) for s, lang in zip(scores, langs)]
    top = max(logits)
    exps = [math.exp(v - top) for v in logits]
    total = sum(exps)
    return {lang: e / total for lang, e in zip(langs, exps)}


def _normalise_latin(word: str) -> str:
    # langdetect's profiles spell Romanian ș ț with a cedilla.
    return word.replace("ș", "ş").replace("ț", "ţ")


def _english_coverage(words: list[str]) -> tuple[float, int]:
    """Share of the letters of ``words`` that belong to common English words, and how many words.

    Identifiers written in camel case ("GSocketControlMessage", "OpenOffice") are left out: they
    are names, not words of any language. The list is the 10,000 most frequent English words.
    """
    vocabulary = _english_words()
    plain = [w for w in words if not any(ch.isupper() for ch in w[1:])] or words
    known = total = 0
    for word in plain[:MAX_SCORED_WORDS]:
        lowered = word.lower()
        total += len(lowered)
        if lowered in vocabulary:
            known += len(lowered)
    return (known / total if total else 1.0), len(plain)


def _latin_distribution(words: list[str]) -> dict[str, float]:
    scorer = _scorer("LATIN")
    # News copy is dense with names (Kim Jong-un, Lyubimova, Pyongyang) whose letters say nothing
    # about the language around them: with enough lower-case words, judge by those alone.
    content = [w for w in words if not w[:1].isupper()]
    if sum(len(w) for w in content) >= 8 and (
            len(content) >= 3 or (len(content) == 2 and all(w in _english_words() for w in content))):
        words = content
    cased = words
    words = [_normalise_latin(w.lower()) for w in words]
    scores, n_grams = scorer.score(words)
    if n_grams == 0:
        return {"en": 1.0}
    bonus = dict(_PRIOR)
    letters = sum(len(w) for w in words)
    # A lone name ("Seoul", "Reuters") has no language of its own; in this service it is English.
    bonus["en"] += 2.5 * math.exp(-letters / 10.0)
    foreign = sum(1 for w in words for ch in w if ch not in _ENGLISH_LETTERS)
    if foreign:
        # Scale by the share of foreign letters so one "Müller" in an English story costs little.
        bonus["en"] = bonus["en"] - _NON_ENGLISH_LETTER_PENALTY * min(6.0, 60.0 * foreign / letters)
    coverage, n_words = _english_coverage(cased)
    if n_words >= 2:
        # Letters can look English while the words are not ("Kanzler besucht Washington",
        # Scottish Gaelic, Interlingua), and the reverse: English text is mostly common
        # English words, and other languages' text is not.
        bonus["en"] += _COVERAGE_WEIGHT * (coverage - _NEUTRAL_COVERAGE) * min(n_words, 9) ** 0.5
    dist = _tempered_posterior(scores, n_grams, scorer.langs, bonus)
    if n_words >= 2 and coverage < _MIN_ENGLISH_COVERAGE and max(dist, key=dist.__getitem__) == "en":
        dist = _demote(dist, "en", coverage / _MIN_ENGLISH_COVERAGE)
    return dist


def _demote(dist: dict[str, float], language: str, keep: float) -> dict[str, float]:
    """Move ``language`` below the best other candidate; ``keep`` (0..1) says how close it stays."""
    others = {lang: p for lang, p in dist.items() if lang != language}
    if not others or sum(others.values()) <= 0:
        return dist
    total = sum(others.values())
    share = 0.5 * keep  # at most level with the new leader's share of the remaining mass
    out = {lang: (1.0 - share) * p / total for lang, p in others.items()}
    best = max(out.values())
    out[language] = min(share, best * 0.99)
    return out


# Letters that exist in some Cyrillic alphabets only. Russian has none of them.
_BE_LETTERS = frozenset("ў")
_SR_LETTERS = frozenset("ђћ")
_MK_LETTERS = frozenset("ѓќѕ")
_SR_MK_LETTERS = frozenset("јљњџ")
_KK_LETTERS = frozenset("әғқұ")
_TURKIC_LETTERS = frozenset("ңөүһҗҳҡҙҫӣӯ")
# Abkhaz, Chuvash, Ossetian and other alphabets of Russia's languages.
_OTHER_LETTERS = frozenset("ԥӡҭҵҟӷҩҿӑӗӳӕ")


def _cyrillic_distribution(cased: list[str], letters: list[str]) -> dict[str, float]:
    words = [w.lower() for w in cased]
    cyr = [ch.lower() for ch in letters if _script(ch) == "CYRILLIC"]
    counts: dict[str, int] = {}
    for ch in cyr:
        counts[ch] = counts.get(ch, 0) + 1

    def n(chars: frozenset[str]) -> int:
        return sum(counts.get(ch, 0) for ch in chars)

    # A marker must be more than a quoted name: at least two, or 1% of the letters.
    floor = max(2, len(cyr) // 100)
    if len(cyr) < 40:
        floor = 1
    special = {
        "sr": n(_SR_LETTERS), "mk": n(_MK_LETTERS), "sr/mk": n(_SR_MK_LETTERS),
        "be": n(_BE_LETTERS), "kk": n(_KK_LETTERS), "turkic": n(_TURKIC_LETTERS),
        "other": n(_OTHER_LETTERS),
    }
    # Belarusian writes і where Russian and Ukrainian write и, and has no и at all.
    if counts.get("і", 0) >= floor and counts.get("и", 0) * 10 <= counts["і"]:
        special["be"] += counts["і"]
    if max(special.values()) >= floor:
        return {_name_special_cyrillic(special, counts, words): 0.95, "ru": 0.05}

    scorer = _scorer("CYRILLIC")
    scores, n_grams = scorer.score(words)
    if n_grams == 0:
        return {"ru": 1.0}
    dist = _tempered_posterior(scores, n_grams, scorer.langs, _PRIOR)
    if max(dist, key=dist.__getitem__) == "ru":
        known = _russian_known_share(cased)
        if known is not None and known < _MIN_RUSSIAN_KNOWN:
            dist = _demote(dist, "ru", known / _MIN_RUSSIAN_KNOWN)
    return dist


_morph: Any = None
_morph_lock = threading.Lock()


def _morph_analyzer() -> Any:
    """pymorphy3's analyzer, loaded once on first use (~0.1 s); False when it is not installed."""
    global _morph
    if _morph is None:
        with _morph_lock:
            if _morph is None:
                try:
                    import pymorphy3

                    _morph = pymorphy3.MorphAnalyzer()
                except Exception:  # pragma: no cover - the dictionaries are a dependency
                    _morph = False
    return _morph


@lru_cache(maxsize=65536)
def _is_russian_word(word: str) -> bool:
    return bool(_morph_analyzer().word_is_known(word))


def _russian_known_share(cased: list[str]) -> float | None:
    """Share of words that Russian's dictionary knows (pymorphy3 guesses the rest).

    Capitalised words other than the first are names and say nothing, unless there is nothing
    else. None for one-word texts ("Пхеньян") and when pymorphy3 is unavailable.
    """
    if len(cased) < 2 or not _morph_analyzer():
        return None
    plain = [w for i, w in enumerate(cased) if i == 0 or not w[0].isupper()]
    if len(plain) < 2:
        plain = cased
    plain = [w.lower().replace("ё", "е") for w in plain[:MAX_DICTIONARY_WORDS]]
    return sum(1 for w in plain if _is_russian_word(w)) / len(plain)


def _name_special_cyrillic(special: dict[str, int], counts: dict[str, int], words: list[str]) -> str:
    if special["other"] >= max(special.values()):
        if counts.get("ԥ", 0) or counts.get("ӡ", 0) or counts.get("ҭ", 0):
            return "ab"
        return "os" if counts.get("ӕ", 0) else "cv"
    if special["kk"] >= max(special["be"], 1):
        return "kk"
    if special["be"]:
        # Uzbek Cyrillic shares ў but also writes қ ғ ҳ.
        return "uz" if counts.get("ҳ", 0) else "be"
    if special["mk"] > special["sr"]:
        return "mk"
    if special["sr"]:
        return "sr"
    if special["sr/mk"]:
        # ј љ њ џ alone: Macedonian writes "е" and "во"/"со" where Serbian writes "је" and "у"/"са".
        lowered = [w.lower() for w in words]
        mk = sum(lowered.count(w) for w in ("е", "во", "со", "ќе", "го", "ги"))
        sr = sum(lowered.count(w) for w in ("је", "у", "са", "ће", "из", "био"))
        return "mk" if mk > sr else "sr"
    # ң ө ү һ ...: Kyrgyz, Tatar, Bashkir, Mongolian, Tajik. Name the most likely.
    if counts.get("җ", 0) or counts.get("ә", 0):
        return "tt"
    if counts.get("ҡ", 0) or counts.get("ҙ", 0) or counts.get("ҫ", 0):
        return "ba"
    if counts.get("ӣ", 0) or counts.get("ӯ", 0) or counts.get("ҳ", 0):
        return "tg"
    if counts.get("ң", 0):
        return "ky"
    return "mn"


def _cjk_language(counts: dict[str, int]) -> tuple[str, dict[str, float]]:
    hangul, han, kana = counts.get("HANGUL", 0), counts.get("HAN", 0), counts.get("KANA", 0)
    # Japanese always carries kana (particles); a brand name in Chinese may carry one or two.
    if kana >= 2 and kana * 20 >= han + hangul or kana > hangul and kana:
        return "ja", {"ja": 0.97, "zh": 0.03}
    if hangul and hangul * 10 >= han:
        # Korean headlines mix hanja (北, 美) into Hangul; Hangul decides.
        return "ko", {"ko": 1.0}
    if hangul:
        return "ko", {"ko": 0.6, "zh": 0.4}
    # Han only: Chinese, though a kanji-only Japanese headline looks the same.
    return "zh", {"zh": 0.85, "ja": 0.15}


def _arabic_language(letters: list[str]) -> str:
    text = "".join(letters)
    if any(ch in text for ch in "ٹڈڑںےھ"):
        return "ur"
    if any(ch in text for ch in "پچژگی"):
        return "fa"
    return "ar"


_english_vocabulary: frozenset[str] | None = None


def _english_words() -> frozenset[str]:
    """The common-English word list, unpacked once on first use (~10 ms)."""
    global _english_vocabulary
    if _english_vocabulary is None:
        import base64
        import zlib

        text = zlib.decompress(base64.b85decode("".join(_ENGLISH_WORDS_B85))).decode("ascii")
        _english_vocabulary = frozenset(text.split())
    return _english_vocabulary


# --- public API ---------------------------------------------------------------------------


def _length_factor(weighted_letters: float, scale: float) -> float:
    return 1.0 - math.exp(-weighted_letters / scale)


def detect(text: str) -> Detection:
    """Identify the language of ``text``. Never raises for odd input; "und" when nothing to go on."""
    if not isinstance(text, str):
        raise TypeError(f"detect() takes str, not {type(text).__name__}")
    sample = text[:MAX_SAMPLE_CHARS]
    letters = _LETTER_RE.findall(sample)
    # Combining marks and modifier letters belong to the letter before them; drop them.
    letters = [ch for ch in letters if not unicodedata.combining(ch)]
    if not letters:
        return Detection(UNDETERMINED, 0.0, False, [])
    counts = _script_counts(letters)
    weighted: dict[str, float] = {}
    for script, count in counts.items():
        group = "CJK" if script in ("HANGUL", "HAN", "KANA") else script
        default = 1.0 if script in ("LATIN", "CYRILLIC") else _OTHER_SCRIPT_WEIGHT
        weighted[group] = weighted.get(group, 0.0) + count * _SCRIPT_WEIGHT.get(script, default)
    total = sum(weighted.values())
    ranked = sorted(weighted.items(), key=lambda kv: (-kv[1], kv[0]))

    candidates: dict[str, float] = {}
    words: list[str] | None = None
    for rank, (group, amount) in enumerate(ranked):
        share = amount / total
        if rank > 0 and (share < 0.05 or rank > 2):
            break
        if group == "LATIN" or group == "CYRILLIC":
            if words is None:
                words = _WORD_RE.findall(sample)
            mine = [w for w in words if _script(w[0]) == group]
            dist = (_latin_distribution(mine) if group == "LATIN"
                    else _cyrillic_distribution(mine, letters))
        elif group == "CJK":
            dist = _cjk_language(counts)[1]
        elif group == "ARABIC":
            dist = {_arabic_language(letters): 1.0}
        else:
            dist = {_SINGLE_LANGUAGE_SCRIPTS.get(group, UNDETERMINED): 1.0}
        for lang, p in dist.items():
            if lang != UNDETERMINED:
                candidates[lang] = candidates.get(lang, 0.0) + share * p
        if rank == 0:
            top_group, top_amount = group, amount

    if not candidates:
        return Detection(UNDETERMINED, 0.0, False, [])
    # The answer comes from the dominant script; alternatives may come from any.
    order = sorted(candidates.items(), key=lambda kv: (-kv[1], kv[0]))
    language = order[0][0]
    if language in SUPPORTED_LANGUAGES and top_group in ("LATIN", "CYRILLIC"):
        # A Devanagari, Tamil, Arabic, ... frame around English program names ("Windows वर
        # GSocketControlMessage समर्थीत नाही") is that language: English or Russian news does
        # not carry a quarter of its letters in a script we cannot translate.
        for group, amount in ranked[1:]:
            if (group not in ("LATIN", "CYRILLIC", "CJK") and amount / total >= _OTHER_SCRIPT_FRAME
                    and counts.get(group, 0) >= 2):
                other = (_arabic_language(letters) if group == "ARABIC"
                         else _SINGLE_LANGUAGE_SCRIPTS.get(group, UNDETERMINED))
                if other != UNDETERMINED:
                    order = [(other, candidates.get(other, amount / total))] + [
                        kv for kv in order if kv[0] != other]
                    language, top_group, top_amount = other, group, amount
                break
    scale = 2.0 if top_group == "CJK" else 12.0
    factor = _length_factor(top_amount, scale)
    confidence = round(min(0.999, order[0][1] * factor), 3)
    alternatives = [
        Alternative(lang, round(p * factor, 3))
        for lang, p in order[1:4]
        if round(p * factor, 3) > 0
    ]
    return Detection(language, confidence, language in SUPPORTED_LANGUAGES, alternatives)


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: text between blank lines, surrounding whitespace excluded."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for match in _PARAGRAPH_BREAK_RE.finditer(text):
        spans.append((pos, match.start()))
        pos = match.end()
    spans.append((pos, len(text)))
    out = []
    for start, end in spans:
        chunk = text[start:end]
        stripped = chunk.strip()
        if not stripped:
            continue
        lead = len(chunk) - len(chunk.lstrip())
        out.append((start + lead, start + lead + len(stripped)))
    return out


# A paragraph with fewer letters than this (a dateline, a byline, a lone name) says little about
# its own language; it takes the article's language when it is written in the same script.
SHORT_PARAGRAPH_LETTERS = 20


def detect_paragraphs(text: str) -> list[tuple[int, int, Detection]]:
    """Detect each paragraph separately: (start, end, detection) in text order.

    Short paragraphs in the article's dominant script inherit the article's answer, so that
    "Пхеньян" as a dateline line of a Russian article is Russian, not "probably Russian".
    """
    spans = paragraph_spans(text)
    results = [(start, end, detect(text[start:end])) for start, end in spans]
    if len(results) < 2:
        return results
    document = detect(text)
    if document.language == UNDETERMINED:
        return results
    doc_script = _language_script(document.language)
    out = []
    for start, end, det in results:
        n_letters = len(_LETTER_RE.findall(text[start:end]))
        if (0 < n_letters < SHORT_PARAGRAPH_LETTERS and det.language != UNDETERMINED
                and _language_script(det.language) == doc_script):
            confidence = max(det.confidence, min(document.confidence, 0.6))
            alternatives = [alt for alt in det.alternatives if alt.language != document.language]
            if det.language != document.language:
                alternatives.insert(0, Alternative(det.language, det.confidence))
            det = Detection(document.language, confidence, document.supported, alternatives[:3])
        out.append((start, end, det))
    return out


def _language_script(language: str) -> str:
    if language in _CYRILLIC_PROFILES or language in ("be", "sr", "kk", "ky", "tt", "ba", "tg", "uz"):
        return "CYRILLIC"
    if language in ("ko", "ja", "zh"):
        return "CJK"
    if language in _LATIN_PROFILES:
        return "LATIN"
    return language


# The 10,000 most frequent English words (split into letter runs, lowercased), from wordfreq 3.1
# (data CC BY-SA 4.0, Robyn Speer et al.; a frequency list of common words), zlib-compressed and
# base85-encoded. Regenerate with `python scripts/build_langid_eval.py --english-words`.
_ENGLISH_WORDS_B85 = (
    "c-mB*36|oz5=6Jc)+j8%U7ns~Q%$e_XWU4c`sYAKXdW!dnti=oukq8ruFK{66~F5;K*2Hu`zmkAb>9PS@h^2KMRvw%+{e<A$"
    "<|attk)`cYaJisa-E?2h_CA*Pu7>L)$8**3)icx%bQk~TQSOBTc=|$Cz;;R`jtTJ+Fq|WEFXk==)VkCdjyl|(TXK@+Nc;rT5"
    "i{&%;Sf&WD(NsMkE5Z4o;sb{zK&@WLzG}8rV9djn>BQL5uj4bGO?#WH=CI*GZ@Msle(w&+BmA%P&s0O0`{=(c!?~AC}Py#Wc"
    "3(FPheChn}XO-3`pqSPw^2cs}s1bh5<L(_r0?BV&KWgL)@%8X)%lXr#p!onf-_9Lwv(p_AD;cJh`Ahd2%hX?`#3&s2s-`ORg"
    "#9&P8b|96bFbR3e{pI~jw48~67fz_4gst7o-nb5S^Q?ZY)Yd3#gPeW28AlX62wx1;3Wu-F3+FC8qtu9!$eNbQoct~}LKnK;V"
    "5KU6$S2ANEs)!Bz&Boh)5?gW+2sqUu3hkr{F%=4DaKw!E4R-3Kk5ZTE8pT@Vzk|Xs{JFZm4S$Z-0Z&Bck5NAFVICLD$hX3yO"
    "GWL;{3w;_AEh$$x5~a%k~UKs0wT8Q$!=*|`<@}~e(J+Y=B}Be>-N#M`?b1q40XIpEpLu#x0K@LT4x+O$ppi@E&Cj7zdp)`VI"
    "0;EVxG*JwOK1#-*$S5D*YNA^w>HKiPgBCs7L);Z`5E256vV3E0Mg&ztZ++p<><RcfXD`p$UsB4WMu!#KTP41;cK%F9gvU4rr"
    "<XXX^d&RHg#)G~p48d%da+xYzM^O;|e0^Igf4oUi-SY*`6D*bgtS&cb>`@NrdPlT^`E=F^Hi;%!Au6?p^071%8?l6cheAUR@"
    "Lw34c9KFEg08vj~~<zTQ$5I?@onkg{eq9`4d-%}BuM9Q8;ZNXD)mWShojG=8DXZ_Kg31n1bp>*n@jrCR|6GX65r*SDAWv_12"
    ")jC_e+&hNJcjQ3CWQrcdEUK)Zu634d7=H0~n!bvvRzU55;W1l=SJQ2Mu2V;qs>zniUqp0K^d!xq00zAi-RV)HcOi_o?EaiTO"
    "uml#tKd(gdNGn{Kj`iVo!8U&jU_#yNzs^;r;}4O>4Cc86UQZ}MlqP})CaMi3Yw#<dJtQu>;$wG+teit)*s7mfBotDJSh=e%G"
    "Y^SnVeQVjF1n@M(aAQGTNTXiW+4>_M=nwlx~aCrgmuBugXK}#FQ<maG|^=a~_<WfKQd8vOm}3q1@TW{UGRleUxYn<m(XyjK_"
    "M+i!%S``VKdtF<+@LQ4Pych5r<K0Lctg#>`*W*3^)S7G%DYOb+?=bxh8zSvenq_nOepvNPE&ZWoNpNo1tjG0(@+10X*omB+J"
    "tKy!9z<}Lnu_wcS&k1<><SN$i%n^zxX>}2nl8arK1v45rGAhNIc7_GnGP|NM998iO!NG!4xrJte`g}+!{4L=DDTt_U+yGNNU"
    "uLdF*XpsL8wX2e7O{=6D|7Dy>mY^9atPnCQn4Es&fz;&1f@-wX8|jK~OJw4$oMbqeA6F_`XOxGa@3i?&4SGL-isZ5`@0s$jt"
    "S)*>`#AxpB6ce#n+k0&j%+xZfmJP3^k5OUam%#s<9~-Dy|2rtocTKz_0Iwws`&eBC95MQJe4;!b9wJihZ~Qae0oPMNWke&L^"
    "$-LP;FN=a+1!B&cfQZPI@E(>x0(AOl1caK5p_MoLqNBNz9&@OxP&OHbBXO5II;g)&y6plXlbYu$~U9jiLd-{&Z!?6(l9b(eV"
    "1!ZR$ipU5GwB4IGY}%D}f}2D*+OZ<u9nog5dn+}x2k>G0thWDG!W&y%DDXgg_!Sl6wd{;e<PV`V&ROvitzAC9g(QEt{TYzL_"
    "tXNS-WOAv2}8ZB9+W>l#Zn-E_yMq4+iN^wBst@==%wGZ|C|D!5ayiUX}T{FzoRD_VOTFemAP^V=yJK{OLA;oeqG=S^~be<=X"
    "5nahTM$0W<zN4NI#;iYH%sk3Et2L`LH2UE*v{g-Bbj2pwi)t^ZYM45n8X4@#8w$COKGmLJ>mv_ISQ1j3XaqVbRqtF$>9#@}u"
    "4-8Kr(R9bXTGV}8XM#uErYF%dey&Sgf1YbcMs~S#m`#5FUpRlYObMpdtS+vMp0`|Iton%qcL3YYrM(TH}<}XZTpt(sT6s$Q6"
    "vEA^1o`ZmE}8B3^-yWHh)p!&EAk^*&&Tva}J->=GL(ydSr@P%We~-J4%W@as+TolC*24+vbq~3}<Ur+s=j${g`L^I>+FcOTv"
    "(t+8MwxZ{1x|o7Wya>JA_e-jjMR5nDwj-Vd_9$8)k$*fsRPlSpgQ=qwSVNl$*4XVGQb+}d}Fg_Vh@ea|)s;v5zIPUuE12{8G"
    ")mwDSe+KyOS61A;mNN{qYrR#Oui*so2ow+3Vu+~L|GznUsfHT^!+NVQKdRn9&1|7ectLSX_(6D;MFMT+M(UXEn8f-=GmbUlM"
    "pSc6NX`0|!fM^+2qdH5?u4N59Ssqg`wM;<H!z6!qMh^{&;n-%uipXA(nf)_!4<%K^H|Y8`suDq+F+rEreHc?5MZfuSeO<@to"
    "OiQAj$i!Mduxybb!C)ljQG5IWqHvVlq`un^Jx2it{Uxl^eb5s8(^cd&{EKI`H@y>tE$`2{fKt(=SgaQzU|51;D6QeeV5DE<?"
    "9;1uOgvL4S0u$l0HRtf2nwXxo`^}Zv8*B!4*~E)~#Fn*Z@aX?5*&FM1sFmB=xMnuF}#>V8}^f%ddwV#A{iiNHdDmmoh?PKq_"
    "__vWFOnLy|PQsmmCM_7LMV;e;qVu&&lytyIV{TB4U2BVzqEdeFQ(LgskAJiga&aJohve2SuW+yvOoNG{*?*!J5Siorr$1F*i"
    ">+QzHu>ngqK{H$UiHtQ{(4KX5ywUBF-xsX6yz!sioC3*4Uof6Qjqx}+E15ZR-L1Z>HBAK&PB3MykTT~+?RS1R|(a^~1OE1Sg"
    "p?in+?t&n*{U*P5i@L6}$V|TPvKtNQG?Ii}1*WuQZ_s(R?^8**kA+7qE~{ZJ%J^5rG=5>Js7HyEafuOPhy{VVA_gR$(|-=Bh"
    "f=N<1qXYYJETH%i`pGkx|1nu#09tLQ~>IM2d;C6X0(qAeQ;J36}KW=<u0Ls_23Fmt>ErXNiA~uASsWB{dtUw<#MWJ|8YqBd7"
    "bXSs~ASr_axWpq^+|9<59JsjDPIoDP?QAJCmlzNHhWuB_YNL_k?C7$jK`QNxF%BR8a|mwFx7#k!cizT?QFXE$pr7XY?9FDms"
    "eF!b2zOOQEm@W;fAv?<ilEKi8SOi@LdEB2m8!ZBfx&n_zK4sTxHGs7Mw%h6edWhVZ{iC}2WR2?iYfo#L_o_yNb;f#k*rHT;j"
    "f8{-$9lrL7PBvt23)<?Z=&#*n--ZxAK{ds$QX@N>oPNjTkDgjWuG>ax7Q)PGvuMmn+<%~ABR6sIVG$snja8~`#m@xEp3_bS!"
    "8u69az*tqvwZIru86r8To_bJakVQq2)<Ke3?zffD_kuvn5!m5m>iAEs+~sSc@tpiNQVVT~;wdp!$#3-MlmmdD6Ro+V9^gdTj"
    "-I_!JW-e?y>*c#RcRQ7Z=$A5BQ{o|vidzLw7u1FTj72<foLtncU=d|H!w^7Aku@M1t}*-K|obr=dc*h#ZOccC#zq^t6H*^CT"
    "soDUvK?&pm`0LP)WFouX+`0_!mMB=P!gJ3^dSI=P#+0_?4HXrdcGQM@m$R-HL6!M?)xg0_@NFjma#bykA#~CsJm0AOZrE1tC"
    "A&bO)fnNH7f=sPUu$n|eHJb9~yaLQgP+!c>(3yME2A`DzIya)+jEzdUXB<?fN>)$b}(<>Vn-3j1e5IEsJu$KqdW$m;v1HT^*"
    "O^}dHs_!^!1uc#mqCv^wZIZ(;0>Oh5{ZK|3}4ykG)*#s)$k|<~jfm9EcC2?Jh7&hb!_y1G|0GjveH>qZ?k>8dBMN-Uf12GaN"
    "(hPdf^E7Jdb~LyY?$3mhm~IK9%hW6Xu(adDUo{uiF&kCeB;_aVamYspH1$T3R6$qvN<OZ(%JT%si;?vKv<P?1cTV+dFUr`L7"
    "F<O3RarFd&i-hd)K9AG#XBjGH>Wt6Jqm>invnPeswW?WCl_)tU}?Fn4J7$dO{Vu^f;Pe>*Z8CnF~`saw)#PZMDwTN;!q*3$D"
    "%kN#QuoNp~k-++5+)a-(>Nd90~1^dlc&9i&qm6x`&>?;qrO#9F9T%;dwRC#|=Uq34BXFuztT^rxjF;V)Ph)SsK;+NTLm<Ho2"
    "H2wG8rZdR!T1Bw551Ilb`?j{$&jNz%ZS&(Y>@ONTT^B|NA{QMpO>qA|u%dEFjSZVv(N`N8_DK&AJndZI_g+F~7d&H@`!;Z<^"
    "{QvMD#9%?q-X!1~wHZtJrq<knn=L7dm4n?B9QcQOEp1f2Fe=tH3$QNn7vGR8QW}4OZ9RL1Z^qz=u<Lz?0#_vo2$T?(WrRR{5"
    "EuggMPv5S0X+0#ys0=r?M>m=y^%3HKQ$JC7Oq$I(*>F;NA)(Oph<wzud<)0BWi;}mA~fOQWT!N-H->Z}3BsFug1m^e^yX|G="
    "$uQ`YeF-w*xV4;@v)o)^NrrBh(nt<YaasHU9Q8`Fn0BL#qC1!<Gs;=Xp5XoiH%Oy;CxAj+hHmRRw_G|C7uJyg-8eJnWO>()G"
    "v~z6_5ZWZ2N2(I~8wJf{B5BYM_c1E@A4Z$(EDurYoj+Ns}nlBwnJDsPxq@;!#mY-rS7$yV1F%Ud!!@<8)cboXSW@s8Ltq^oF"
    "7TP>HMK7sI@p2Xz71omQ+YOhpG-Q);F?2?1^~0B~p<g*-;hF3*)}eaqqWtq-S7j4P$1Qd~o3@R&8H8z0mEeYM^TZ(Bh$q&$e"
    "qf71Y4X(E^X3K8<0+Cf4D`7mWEp2_;?c*vf*)kxd%DvDOQAH9M=6=b|NhKjFxfjC2Uuljd_eS~Ad3&w+7<X~ukLpqrCGE!6G"
    "2@qWLHE!`<xrOiHEEI)YD9l6L%IG>BRppDlY9|{``r875e0WPmmh|Lru?d0Z6fI5_(L7-;d<vL!xRs^Fp!hj%P{rNmE+GJs5"
    "wRh;CoBopwmh8QF!>%&HawU$X?4@i3soEAbn5J8TIX;cbnfJ$QXHZJ#bbU(*CT{HdeS2lR7<@rAn0m$go<@%!-sy%$=;_|{1"
    "Y)$11WiZEX9o2BxxT;*8NgogiZCJ4U;AxO>OLG^*Hqiow12=`qUAV6}ee=%Vci5<Gk$|XXeH0hk14A|CPTiGQoVRY~YC1j9A"
    "Tx)gCc*25CZ}W13Rt0;g0@qisyl?Khh(yDz(C#&yS4!)8k>vQgBQOJc929(CiH(^WyDYlgJ8hoTVqTFSSj71c7WIL)OHa#87"
    "u+%8w)%y_?(X4ZBU>1R>qGd-gA2D7$X62PecO}ngw-<CK6n+ZUm%p(O%gC!kYShXwiTT>cp*AQ2vBTn&iv0HDedmPVoymi2U"
    "3KHYalF*FKh;`e@ytN+a+g2lR4LOl}0x$i}{NPj3EjoH;CE0xKrmL2r#5GwcSSX?g8Ff@@xPT~%kZ^T|VnCzOQTed2GHPO6E"
    "0CgPmbI#RBSQm^==6fLgC=fU#Ah!Urd7e-O(|+w%sn$B_*a&W?Ib(~vSWNHK_MqgGAv0;_Af&SE0Z?JAr;t^o8%x3P&2EoU?"
    "J3#3pw83#@+aBi9NkhCyjHFB~dXlUZ>8w(Wj+NrQ^{WGqyKxuLw|B^f@H4BdkWpS<}r(H+_@0Z-A$T34e%ld6h}yb(maITO@"
    "6p9Y_X6mLAl^eh2W&k`PAE)&!wA0VGuf$J$FH+z`@Q360V&IT(oF+K7)U3a}du4r*luH*kMi+Oo&^L5{%^-5&*hd?BQvZVR("
    "pA>D3F2fdic@+Is><H2T;TW$}z^}QiMCWMzGgDGy3)|Vm%CaQTPFvPBvry%Qc$aK)ZAms00Ut@S$05vh|Lp#&dcUfuf*3p6^"
    "0(!J7FJ6u3Z|Y=fD($9q`kVTgl9SG2WV!mN@G(?d`;ft`0_94FuCr!(+dHQ1+|b);22yeXxbqCH^lk8|SnG$S<wxmgjWK;0T"
    "l%fpz$=6|vv9n2Vn=jw*2%s{YKPUtQC=(kc@f(_YC@VH)<1ecL5|c}5~Q5<|KcgD$oCvRc}qp<I3#g?&0mVujA>ytRKz1Wk@"
    "v-`HzDuZZky<LKKllcSV$jds<2Vz*zA`fmgmA!rrF++QLpL8use0N7pW9Eh;zMDo97<-4^6*PQGY4Y!Jcr&W!yi(dGCE^<-<"
    "<n9>b_RyAzPXuk>mmE%B#l(<+K%$qw$xd$dng>&iBtZ12o3qU40LA+FR9AIxc;*=Mt^X*bu}ALqsZ)Ho!`w28Iu2Q)o7^LmR"
    "2cYjLGO^7Zn(`edlm#(>Io@)nRce9Vb?2TteSn(<+r*d^_E93MDW1KP>6T^cfzw~;5;`@i$r>RF#WH_0h=r(<#E1Dr{hj?Ot"
    "B)R+A)H|(DekLqlSUnrk|0t-b0kbu~mP~4rF=M&5Po^<V--(^pqCG@C^ZH=`_}G0FYn}DfMaOJx<rlTxW6u~I9xK4?M&3q}+"
    "3^O`7?D_>{I|i_9c+8YW>S}q-9gPq2JN=?j@Fotp`2t$)_N$Wwpsmzqn(;FgrVnQvJ7oF%iuB`)GjdH9R2MBrA*S^F83Jf`q"
    "_8d%-e|>+WmZyn(iOw7A_Qz<C9tUEXF}JmNNb_WzS<WhZW^*KZ&)Xuf3ln?Rz={l4-i1dH1MSyA=6MTS}dW5>nCHNqlsxs~D"
    ")R%b#QEZ|NA(I$leEo5RN2aq4C~mhyjYde}?J<h0w^voI*LE}bnIqgKLOSApQ3-GJ@J|Blm#<n5!_shFXtuQRQw=su>xjz+)"
    "zOtOVN74MJY^h+w|05p>gPaoUfvD*u#6F?{5f6?jGKfP+1Rcpp3dS^qgjcpq_Cn>t0@ny$kC+VX$<?ZD|djh(`4_v$6vMm+Q"
    "YGalm!cW&IGAp%lG_glO^t2p`o~UCk9fwZpNm{ax?X7#V`#lNT>3+?!<asG$HyYh@NOoFFk9SW!sUk(ITiuaa`V-l+1rO3v<"
    "F9dCx)qqSF1Sw?Brhi!PS!f>5eS-vK54qIJ(=~B&U)?bRMK|x&T4m^5zc*+A3A(^kAfAMyIqkUu2aXUI~A=bJv~{c?nK8nvi"
    "VCDk$RQotm@`_(jItHJ55D1uV)|Rqd1K|275<G_EjA6*t768o+bA+_PC7Mr-eB^>o)@J^;`2`Kr`CPgdi){%!YNdax3}fG;@"
    "f_sVW?lPAf@=U%Y*Iy0wCbuil~-Jl2gdzCiXjhrPky2rnAn*f_<x?b}LEkr#Az#i&^;>V{Y|;${x~<hF;bZvR1I0ZaR$6l3k"
    "{yMA=rrkA#}{iED}sho|qjsr=p+MC$X-YE3u5e!AVY0)Pn;klt~yBil!8apRog?Mo=AlFiVNQS&2F^I=Mb!?DUrjCvql*k>#"
    "{K$9k;hA<0vX^!_PqafOzsU|&uWm?91=*aH=iUKKHU#atU`WKu=5$mi>!_^*rqqIvg?e|mgQbo^f|ShEthw<QLI|(^0(-esy"
    "hiE%=&wB>1{wTFM5j4o86L4C6e(Y7?!ASyi%*7z9MMuAt7=NPGRq}tM;vMZ)A0`nc!T_lkgGODN~(C)oIeJe(T++MH^{4WLa"
    "$y_PtKUmnEXkC)-d*UM)5ttp$*#66{zXxs^b($to|TmI<mpw<~2A!@2WFgNGrU0m;^0tObzhnV-b~bz&87qa8t&WX8#<Dmjr"
    "}5a(1g~B`S>p_YWYk>0L#jb4*V+#9&zxv7*_oc)in>SGwo*C~$@rY{fw0>gW&d_!mM^^|E3Va9)tc@Hl>vKgZV<u}Bt)(AO0"
    "TDj;+u`Z48xL^)B`BKcH5)sjQ0JnEN(EY(qCs<+vJS#@^{vUi-UqZ82h$5Mdn(veGChfd@OUd3`SNU!bMiU!UJs#8hQhI;Yp"
    "67vo|c2q8@%A_}|Rcw$%HUQ(dHtJ!@Z2rFzZPsuZuJIFSYszrdhPaRw*(AT$T~@-wK_`#fMTbq}uUc*x5}Q$h4ccN5VnJX-b"
    "dgVLtOqao8=BEz*Bk{kD8J3XF-nUd%1OYY7*_dLzY#dA-}LhbtvBJF9!>ymNKJHWwXDQ$1NVEq-C%H~A6VJNFB6%(WL2#fQd"
    "1xzIC_neKhjZzBB%A19CWU7xLu-@586B?!9qLaEx1ce2!#eTkZ5ogQgWAEB(SwVEoJyc8UU19mkHPr&_i6&(7iGV4OAR*#aV"
    "=<PLTx{qiu6g!`O_D+s$*JowQ^x9DPe@U1Co=6OYL_BuRfVPrxBb8m*opNS0pp3FDxZMe|MuGieMt!II1_WuSfLgKjX8Sv0p"
    "2q`GW861X1Aoil5JT3$5Z=1y+|OeOdGoUA47mIwO?>1Iw{u$De$wrQg_UO7kZnIU&>JOI;WkiDFQh(n#uPTR@x{o$<ftqp_f"
    "QFNt#{9Go=LP!FfD7l3j2Fl6oIg?=qtUgD{@yq?w4<%Bb=Q5$?6r*k!?S)Qdcl_u$snFI5eyRqSS^q1KV7_K<_vvLbIht3*j"
    "qz-<{Uqb<q_)h)?$li@Tf&~nJNfWi@!QsTI^BC8H<S|6XLUe;2g^*uRhETX>+-PhuF0#InD}Xm^Wt1uFnT+kI+%?|=UMF!ZO"
    "IQF@aEzwNNZ;~6vOhg`tgf&&-CK!h@}-}Ua*ra{poXwL202jw@}+bauoUc1uIIk55l@pY1!tq=x=<LlME+oojEAcEpz(h*wK"
    "IupvZ$mCs@$FHbXwdJU^PGo}}B(5ZMMN^b`)P!;pxDZ^XW;ZE2f!pa^^QNJi~wn`?3FvEKXe>=$pTa3Dc&8KdA6)1<ChC_b|"
    "(Cnq!VSf|K1C7kMJbTFLpHk@kvx0lnm9At}W|Hk$IROQ2llRA14QHs<{E0ccRYQ2~I0&!thKdg27%S9H_lT%+#)#(B<(rUlh"
    "_aK}sQ4sOhN@Alq8?RrSstxj3m}yToo_e$$L904LROvDIoCRSA6-1{45^<^y(5UfBNHu0!*Uk&Ctd{i{I7&pyMp-2I@>nnIA"
    "(l|nJr<d>b=ct7(n;IN_YZSKQ=uXloa=f%Y)qFZWaFW~J9XoOjgW&X1!l9_DrH`0m?oD$e&i!3|Auk>OP6BY^q=y4>M%0!H;"
    "~qvQ@zRXzxIh<Q{rB|WZOwQ8HRXCEZb+#=c!12%6|~Q8iV-WiIb)AdC$W~;Rv?h7e7eZ{N&pW;cZi5kzOiAP&O8HGIT~O9dx"
    "xk>|YMy&1$-1q}@sS(1+QblRhnLIQv?T3{U0JTF3O^U=)|Edv#=keo}0>(`7{CakQQxPlUBqwi|aC1!|qOql45b?m;(u4Ngy"
    "<Zwa<d*PHEZbWDsN9a~x(#jR=KsUs$BonE%=6aSsGWMpkb`1T>0O7mAq{x~v0ou{ukf!b+z%z6jJQ=}g{eE4a3%-}1_Fk%N6"
    "N+xrDYUjt`2>CKKqYLoM)#>FPI=GlD*2jxi_S2InsMlJ_7Emt2w?CI5nld#|Q3ThU{@)T*u{A4LAUk7&_~MODXuUdj8dD|zl"
    "ga~aKu6-8c!9LVQeHmvm+rVAq@E^(DksoDWOUh-su(lJ|B4%pKDAwe21XkaTn^0kBzrlD;wX2Ej!z3PJ573u&NuQ(9uTpGEL"
    "+H>#hFA1L<e1KZgQc+Dat54NcIp7>Q1c(Jqln*Y@iLvxZ{C%A{mEkGDTw2nVU|Esf~AA(Y`cf=thK?JVVNIy*?0+RJf@Rq7("
    "yiMYeLlD&%~%BzKcAl@yBQTk;1{2<#_4{Nd1w2wwe&YX%N!J4M$;`Vz-}g=4?K@w~o~%cTaU!a|Y~Z3INxd?XH|kE286oJu6"
    "Q7-~YA8SH|mTRF)$XxdAHUWqWRY?!eDeBkz-q3Q|MgESs90!nNmZ;tq>!8*RKqa=0x(DBIt)iur!4Vn}ixawk1Z$h3P%66UO"
    "8IJi&Vng75(b<dPh&tOBg@fqOX#i2x5t)G<WFdJ6(j9+=<9B%LKI2>a2#5D_)iiiwgS4<*F6DaR6kNG#VkYENEZarzOYPo6j"
    "HM<<sNU08bVgqyqAO5%i8w~=Ps{%f6*1l~A?#aA&)SG@=DUq_1DsF>($|6YoVewfdeOP~a(k|q!sfp4_I4iH4Z5&%sT0a@SG"
    "3N`$rSX>S7HRVcLYCQlq?<Z3aP+{hw?+MT;T|w4)N)T)bqmBZ%+IQh-7XvD1Bdn$XXNBT{Dxx!B9GJNMgsyur6)~T!LW;r7y"
    "oUs4kpLY3`hPvyyjU7WD#0<~cjvKg`aw70eL!9}oRSBEKK+ZMW1OvJ&ZM;E&YlZ-{g`!WUiIl6wIoYLm{777oB66_z%WDrea"
    "AS8~f=>AU>OxyP?~|DN(fOc&d9@=H%IQ1kBC`;9*opB{Q!1oEy+)T=HjcD83)f}rJlcTF;OFBS?!l=dmQ(rWXA<eTVZ!$~P1"
    ")2H7S+!p^`IbmP8<WW1Ubcj}{z*WXW_%gRLX=+lXbk>*;DYdS_xYE9!oY1)G@GUId%NwNX8stc=da{Ngk%A#+r&P~#H(i<IE"
    "m3r-jACw7{&$AuH6K~DWmUN|Z%^*i2%^Dtz_h*-2o_RK(mJar=~{kb^QPw<5m*?s8-~PYB=$>RZaW#)k~dRUwoW#Dr~~V&k8"
    "OJ`i=M&8&0v{ktm6enm9;)9jRvAJy75_b8F<M05ZvjzB@Ufr3?7c*Bcu2D#O={z^HBfIKypn!W=`#cDaWE4Ux@#Mi@VF>vnz"
    "=*_@f6TnHl`YPfBP%|MX`eCNI~@?LtA+n<-0f1Taaf%^A>+jF_KHe=2+VXtP!A7j2i)pV*$qicWSqk|IOepGO<7ZT?X8YBW|"
    "R1_Bk;W%mFQ;^^+QA=((>EQ#*_ru&JG`hN=C)O4$+WATKB$QUh6#^dCwBp;Prz2xX$<l?1l@r!D;DT>?Zi{pbdZQD)^7yqfB"
    "fh3Cmc?${mTvHqWJ4R2Pz|@Zru~nTA#3)ixBd8peb3s_C)KbX^ML*6-8U`V+16>3+I>@#~aINVjEGZ|xU>{^Y;$+xw<?n^pJ"
    "v)ymbDa@Fa-L*YI4QqX4W$}O0A*1t7!P+&{k%T3v#=AM?2$-rm7R=a%Kr4LLnv!cUKB_Cq74kcj=CbYlA!lpk_HR;y6Qi1)p"
    "#dEXFQeH)k2nKN6nTtwJ51ClK67cxM17)rEY9txR2y23z!z7AnMCPeEI;I?}k@yH8hd`dPThSp#w)K885t-#?%QB?|4dowVe"
    "p5nEZ_{r^NZPf|rg%65<d{yATo^MDkX!$FX1{mUM@09qfHFJ($kzN9#Z@=WiaW>jXph!N57a&;Hn7ZyHS;lAK1}Pczc3Zv`a"
    "C@4~`t;*i8K?t2bThW(jzY1cabn8@U*%i%iW)pOKcF^L}?`wo@6k*uY&`gcs1-X56xP7PZCxlN+{U1{_FZnX74>BN?UH3!38"
    "kB0uBPu@~t$2p5<W~1KQ{kyT$k=T+rZ#Lb1<+ye_{NnAyyYF?(huA4)qASutn(t$VTW!GPeIWb76F)i`!o-$7$XU9zZJWF^p"
    "(sSZgR&EtM(g;=rKvArnwO44CpAeAb#15Zo;PO1Wp$F)OvvhVF{KEmFP>QpQe83n%1yGg)mLslRCc+m(NH?EgWVk!VY=J<q;"
    "FE<n~coa{fzYP)=T7XZ)X4Qdd>Xx?!?6OvR=JOt>V6xxpb6|F?ucZHQtdS_sjhnKV60*I3{&5?&`WqaPQ8YIYmiK^zIQ%BX5"
    "eNV;b`26p7^C6|;Lr>+TJchP2Ii%ZQ^L74zqJExF&-_r80zMPN_W6PMKUNkn5&U}Hs0ZvYuRex!~I-8D?U>k^2&uX?}dB@lN"
    "mfe6`TJ|lF%uqGi0y6X4q>^zcVb>;7R_1tx5C|w{kY0E8ftmUT=WStSECN$9DYn%C9V|h&5t&e2jO=*kQHyH_%CDz{Uf}OGV"
    "D}SC5PbdBJ-7bNn)>;C|W36D^uP>g<E5COE8}|=su%jkm^fg}Yk<=l|PN+1MardnMotcR{(+%tZxR)Mw?(j++I_V~)wS4Jc4"
    ";9@zcC^8JN_0Ug@&mInaNz2mH~!q&q!4mKq}IfQi3k#*Xiei^$q5m|W<%?!<EMAs4|k8jpRxszF>m9NBs#!JWK+%WJ;obHBc"
    "d@rtRtw@=(1sIhq_KL5@jM!)gieT#X_@x_o$ZPP&)!bW(CUSu5iZ<hR7z+xaK~p9*=jX2!u~$gf>3(f9{rem|Jro<dO(#9uP"
    "1jN?XZyB^)Pf*p)JGoYJ7{%?RtwT@ObNe9EvV&FJ1oCukvyM~`ps-imk6+2_QrF{Xnh`^w1)Xc-V);U_;XWYdCA_J*1=vRTT"
    "2u6oS|V!wDj#w5LDR2Qf`CaY?3#T}hv&abHNYyF1Vo$7rEVw={9LA#L{!fjO4GbqgYGq=ROgLfaKyXS$qyIvM|731+Q+JCM4"
    "H>*{6JzXCNsc6+CQ7Ftw^>cFlpER+2=UGmwVH34vD%dMK_n6;xZ{1xdvvMuaT#wEzr1z*8P(~e^Rzg{`HRHxQWJx@=8&EA#c"
    "yU%_R8zwl&pVY>AJ(V|Sp7+FeikHpZ-sE^Kf*|hV*R$|x1M7>n)NE7qv}XSY<0gB#PX`Ys$B>yOy3CEar?36*FKWeZer)zxM"
    "*Sfu7!>}`QTJ*1G@wTVb$*ayY8}+(7c3@%Te#j9DO~l0pp;VQ_pMUtOkIoYlL>~>h@1AgAw7oG9uc}k?5%EPLZ^9g7s;e)=E"
    "sOuHZ848N!2NXmnW(zU~RTqo~YMEeLU)67(oU_5@nFm4jD6O-Oqg+)M!TF<mdrqDnlG2NQxPv$NpVLv_rS_`y7HqBNrarl|R"
    "S>LrQ*X&pQ@UDTJ6?6jGeG`2(USc5puhmXVDDZXq6FIExpsK24zyKi?*f2l?Vx*HyBE|!BK^|+M&?r9X@sZKg<Y#nba%oe}3"
    "Xkzjf>I`JSA%As2-@RYP$H#ai3U}q*wakC#em&$mgLqQ3X$)-pd$P5E3F(zvg~}zX0UQi_cebCz-nFNteH}F*zx)2JJBwF&*"
    "`Wa^Bc19*-rMeAs_~U8RozOIsd$nj38%bQmig{gcUmCj^5}cjI(15pbEDc_uk>&bt&7&6BxL*0cKd_}7`|zvwuI>9x8{*T(c"
    "m_!`ypq!px%jUN>Y2b<Xruo0;xin!?t@C!d~P8>(wVv?;Kza>5ddP(cM)Lb5HhN7tFb5c4Y6<$o<xLT{@Hp81F|~^ZVs-d0g"
    "YC+YzS=cS}D!2z=xSkgslql<9Q+`xZ>Tq1jA2`mlk)PG(ev{R<Du`opW7k9hSyM}hdJzs#6he&_~lqb@diT)Ak^fF)f<#f@-"
    "}tJKXGcky8_Z`G9iAxN^oKw5mMmBKs-;Uyu9|01BT%VUVBgqHfi`bN*A%<*6JS98EjmxMAuF&?+sUQRM}Mo>xD<ri(8ul7|V"
    "Hc$^yB;{z_)0oo;BCo4pwB?me%0Vhpw{jU&>ynjZ#P%4S4k0?{p3e^@h5eG>V12zX=v*{~8>Es~dRZts)xil`qHHzFncg%H-"
    "L}}@HIMs6pNk8JPt{yxm~!_fQi?Biy&vOU{~e*c4Ul2@G5WJ*5BL5aF;qlkt0F3kddMt!KbSUnc!gWnxJ#(P)mDN>y!Id54f"
    "DvmVICS&N=S~g7ET}2`lU<&lyyPSb@dZLlW-<{j1k%+O3@lWxeW2`-PWQ_G7=Eohxl_=K&Th*L%oTIHikU31?0gNkcWCL5{l"
    "V6MaF1q^TGa$$BHlOpc@;7i@mWwt5&NY+;Q|+qm)NyLV2raNX*x0szc}wt%qKovZ9FX`}LA<{>S>#UsD!j8dMJi;^>Jn5%r;"
    "@x+_|8mHQ;26@jV#>x(=R+7$3$$t~oN67#`RzGizl$#Al6%@xkywtcX3L)#Q*RqU#X)(3atBG1dDP!&TCw&C+NasB9R*N)Z6"
    ";uc+p$-Z>qZt3Wyt?hX^Ynu`6wjtp=w;PK1!ygYW<wau7v8#tZwDZsjD@!8AxvkV7pGqMYb+Srwv3#zYuZ7CP@<32_wXr0G*"
    "r;gh60VS3eDh$FNl0=o$7Vqk_4URpfKyTV-3UYJ#QK{h3KFGCQr)qBa5U<{*MB6VNA-xr99J^2eAw`z4QdT8YUv~m1k{5gC;"
    "CKoOX-e2izAY9F!&3LP+&rT+AZILrCbI2a^K@nWsDxFuG^2loYW(P?91{ybl&sjd3j#rrzvdYHL(Rm*W>A<e$PDVr_21}zl6"
    "Y9LiB98)bGix7+3pC=#{5y`w%O)%RiY3d+O|rD#BB<UOKE9L|t;-%NL!jXrFZ_-%~Y0f|<gnC%^?NjZfb}Y8Vom(NWbCMrz~"
    "PlRHYa*l_6=_vyaAtJ1&7-nJ1v0p5w&mY8jfL@{uB8)?zRq*iUAsd?&7(P}ur0l}$Ukz!3fcOkyjfkPi6C})II8iRWWRJob)"
    "sk=e(a<fl5U1T6DD-WSIrL7XgE2HqrAa!2)d6lCk2h!7Cq^Fv&C(YNBrt9f0LqN5jw1|?A!}9qC3HkD})t~D)3ce9?ps?Qf_"
    "K$ePFI;J?D53rDkYcrx6o6;_Y*r@?wmsKQ|2w#s&<f;)NY}c`$H3*SrlUh(is-4H)ss(dJoDPKL_D*{%EQ9FhumtIml{4j_j"
    "u`d8wQdOMd#0|aUz75<d+&Uu0MQg4)Mv9;nSlR14=p6vn>;TMb~oW-pHpW6D3y3=<x_P1aX-*ib|m4GHvosEy=U=4?+f0$-u"
    "XIC6r2kg_TG3M41r?vLeXiy2gtEkOyQ)ZACR4<K~I_rwUX&_GqG?o;i4`{d)RXnzCG<o0FZ#6QM{5R2~C8w{tQjsq<!Pw=^k"
    "6>3=H-w@jmsuBqq14TKWvkw5u##B-eWceM4IKpv7iLRPj5*D|{GVaDz08Mdct*VuG7(@lguV9STKPES+yOFxvTH<lrEpZ9a*"
    "LhL7PY)-a4$JgZ<ah&5HdC&I{p88&cKo4qV+m)e#I9v15aS>!eKpEU7qQUgy)ALD!x8;wzX~AYYTW_pz29vp3&JgKzE^dc{%"
    "<2a{ISTt+?KBFdUY8<F9z3;Sk5Ztrx9XFwRNOs*07Q&PrAd7;Br66mJq+*T6{t;hr1e_x^$q%V$5V^_PmZccQXz~4wGm6#k9"
    "GUj@R84U5j#*_!>4w_sL9do2@=>+tE=k@93ysI=sRD<QdXMpqwZuRRpuD)2<q3$`mbP|taO~z0eG&mxT}SbL}PcJk?ey!I0!"
    "jpmX2g;WU!wHUzK?B$eEG~V9xCs`4w{CH$=EOzT!`p@p(M-FA`6L{5(Wew+;=gkm_oTAH~~5b{TmGj6-TG$3iL*nm<qm7-d^"
    "g4beSY7)=Wc)*n{w2y3~~&$}0%9Pic%o+qcfpSl`BA`O+VN8=M(&*%U>-@0=>V5qA`)6e%~)JXdI-Vodk8I^v#C_3ZUe9<wb"
    "_)`r=-Jm5A^*wxv>J?Qsiun~WSvCN<_-wz~d3$G9mZ8)4Nfc{yRz8zr?ho2TrbaPA%J@6}YlIMSykEwLYK|KIWV=bK6`qhVB"
    "7ypc(}{o4bV_1W8J1mEWyCbm(+Tus4J0SAPX2!e%qc{(J8~o)84qUkiS&^J>DScgn^Vk7$013?bLP&&y?mHrrz-~=dZWiSCu"
    "^Oizw?2&c@f{}EBFkuy7?>hqxQYffje3EAeF=^xg+-Lo;Va~gU7~QapTOM0D~V((vRkT+Ou<Z4~*O*mtgG}FQ`_Hz8|im4f|"
    "e!PG7dC9${J#?Wtp^lQ?wp+t5Q}D@bYhy!1m_!3OrN713WGza5vG{>q(K`LHJXM3{SLQzvNonE9C3!;SrRxFju!qtfq-OXi^"
    "TsshqZzadccynRcGe)r8UK3Kt#w{gky>zxcIYn^2fN%iy=Unnw_50$P?wgW!ltEazwj{E-NY5T9_c(q&-x>BEVR%Ki~niSrg"
    "kbbVdv(wNKJrCO_ji&fywrWo_b$3`Jvx4JG+PC<jj%g~etarHMY(_Y%137MvmcOVuozzi0xS~6reBTur^p#hZpH#YcstbUFy"
    "Z1AhIA!;~)x6Wgl#MOpl85t?;K$T6<vtzxY?2Kh+B)4G{rifD;h7;d`wEk}J<#1;I_InDMn8y$N=BA=kG7NhL?~p;R>B;g#t"
    "eJR4Vh*iv#f2M%Ev!vzWiai9dxe$Imp64Ivq$r@%r%6^SI1ec;ry0L-X5x1`O6)W)*CQyn5PAiOhD$?7w5oP{kCic+;DD)OC"
    "NPo^#eCH|YTy2_#~y)#|Zds~2QD(+1`7ay#CsJCftg`^Ze340XVCI2fjPp7C^fDq2_BgZ@nViN!H*-W$)0_rx@!6>^4gJTKx"
    "Kf8E13{@*oxzf|@!FW(z~-M#mVf9yETLEUDbH2ti3uy52&d^FwM*eA%Y0j{`VPw<USc~sm(91T-PL)<k-y;G!)WgOS8Q2SxO"
    "Q-SAY84}V*-q~RHZOJx#Kb@RGF6X&~Q`Ml=GE-3c0_QK@K8p06wdYPUHnp^DCC$?no7Buo{l$6$tGYJJ-dh))r0-pnCHK%JI"
    "Un^eRVJtEn?<8H$^T}b97ow>s=LuTZ{=5dy{j7f`jvO}HI|<b>rTZ<r8iycrge#$Qcd=U4IkQ0n)wCK&|cAg4`9BTU)fz+J~"
    "0woX#`$=5U>6iM8=0>bMoH?4)Ii_cc-fTQt~`Liqq)yA*)QM-NNZE-Hh4UT3+M%Kwf@@ys}+>jon+eVJ8lq^nk=$670*bHFR"
    "P?b{V($soh{w>k_S){tIF>{)dQudd&ey)m9FjML=j6QZ+3&>J~ojRgX}W2K}zrFl8*$CbfH#a?tD(fMEpP7X8C<TlM!RuuO<"
    "@t5;QgAY#+nQ7i{T_!EwIe@j~!QPNpF37PTN6wIh?6QO#=Pga$8FG|Miefe|wqlxD~{=A@}fzeA5Xn-2HeuW&Q72}sbYQp|R"
    "0^@&;j*YO$)r=!KSRi=0umkYVb;BT}zRdCGTJ?{_{JA=am%RCjzwG||cli_JI`u04=qSM-juHGR_dCK9Y+_of_)`|97yjr98"
    "C?b;BJHX}Lx1!+g+J`u`=go+9PJw8ieOD~DSZ1uNO-&cB0u_<370=A1%FhR|BUgAx7nX)l;W=-qS61e#!oR-PU$<Bf7YV^Bo"
    "S8D=Ym+wo8@XvW)1$VqlGeM^|JdPJ|!TzTTXAIH1!ZxeOc{~FVFmgC(-IXiN}IT9Z)ElA-1Q$;)oQl2aRW<c0itV|3zEpNk|"
    "a?XubYKh93$<-}JK_3{**21Bhf`*Y_uRlPH&uK|=kcKZm{+k6Zw>WIAsM!tiI<gbF|wbJxWm4MG1L7%p1+4A8sdk4_@1Z`Sh"
    "0kqiAZ_0BH6iw2%E2dN^s#=OBFf7AZYp@S*m_4nob8ovlIM7y>CttNi!JaC9vhPw>=C$)l&lJCp67HPB|e91*&fs!N)k906J"
    "q~2iP*wk0V-$qPSoW7Nt636Wu)jLAeNs(^~{kJ}|e9_!y{QZI0AmMq0qJr{0#xI%xiAd#leqiLAukd`2((wm|12z1_&Y&Xjt"
    "#1u~t15hZ=O|DUY-ER;6%M&_DU9eG|7Ad2k)=Mgw6LI1rjBd~5-=C?&Cbt^+49h?rEfaP-(ywWvBKzFU~9Yne39r|&0&b>0e"
    "y$Vr4&Sy{0R}QhNQZ}2AR;e|6X(j1X6x4`8D4lKZvfFIPNUAAj74mSHIU7wOWS0=E=UbuWGtX*Z6(uUna}&9&8uR0AKPXuo`"
    "O7105Mg5#?*glNSr8TrBjrkF~2I{+hlH&|qNFO3kD%#ZK2zhTjEI8z4C=BD1uka%oG1_n~`p1h1~itASG<h7nHMk2tYBUcWD"
    "XvmrSTH>o~Ipoxpep}DC}(EnC0D9BA$MNQlkgPh*RYKYo7vCgJDA11cC@rh;$qU9dP#Fu6H$kXImtLf^5?Dj(S7P$&+q&Zh4"
    "9tGN`AkC20G^b*)MNhAoq?2VJiqY#w76taBKg8Wx_U1}xk6Pdx-+$hI9&&D-u3@j=`k?Tn8(XJ%Rw@SJlLkPOm+%a&qn1~uT"
    "-BRcs+)ArVtzoTe?4Z>HbIGkKi}vqm;S|~NnaS7xVm7<y9=g%c>!b>H2iCD7U(7|%vs{$%l5zcFr~i12Y8&GD0}i;8imN-<)"
    "55AbZMPuO8Y#iK18D;3Fx(9CTEWk&mZb(?f=J#lDPwZjJu`#<&)0qhmbG29*c)w#%9YiUJ+<kfU-QI0XDQm#bl8}KH*~Jqwy"
    "07Y+oap+w?ADVTVtNR{-0M?}+Flwef$F;vKakv+sVwUc=)1P?il~^IQ<cB04LV>G2gFjq&RfiDD`@WAxlO4&!SIr;aU&b50a"
    "TU)5i?HbW=gFw^L%39y|wbkdR#SG7Az^@urUCC2L9Lo=!ImGG8Rv0eB2PTKP|dC!-?9;u0*^6<md&pbd>GK9;i(+oc)U8&(4"
    "DeNJqkwq=&8)(R%k;J%39hEm26Cr&X2bselIR4FJMr0ldR{6Kw)(IT0NSy#?d0m3sr%JKTE_rO1y!3O@ERlrGzq=mxj=v#!K"
    "#qc3Z6g02Wb=QAULG+PxzLH5Jdpz|38&f~XX9yX7kBt3(#nYborKB<tDU$qjpsNq=*~lYSqw<ry?A0FH*Jxhc)KEZy<sQs%A"
    "3Z2m*`JS(=Gnm^FPhks7?B*vGd(N0xYkzZ0dDOh-xKQYpRpwl&S`(ny;R^1&Q$57Zmv7+2r>;Pyrd})vk}K#-FerF{bMqB8C"
    "2PWH7~3Ij97#d|h3i#6l1iBF!=zpvR*{)ya#hQ(l5U@pbQzn}mwvx|PTmUbt%|&HT&7-(o{r2Wd|lJhc=Of2nppZW^Pj3*TX"
    "rz?WknmWNu8mCL9BCdFYd_3T6!a^z((AaTk=_ATe$1vz;^LyO=(=7Ge?kN4t=5WP3K8B(oIBt7)@uy@?_&ez6l32Gx9-H;Lw"
    "u6vk>v+f9*{GwLZUqZTmEggT=)Aw<a>5V0w8JYB5<mp}Y1m{b1*5??*&wNg<bPRXN!cLUK_^Z3bqI?MU0R_@g4b*Dqe7%qI>"
    "v8>Ok4$9#c#LR_H_J%&tnaAq)>t(5P?sLg2Eh4>k6OODaEA#ue9c$;oYTp(zZxshEo|2rx_6s-uVtsoh0dE<@xIRa`iD&dfz"
    "gm4N0i?MQ7s!_87<fBvj+23H`9@F69qm+L#WtH<>GU9IxiA}%$9{kkI*nA&dz~_yOt7Ll0=8M^iPZGx?5Fo<H|Ez9t81>zMc"
    "abCp5;bf8;V0j6~)uGw=oi$ShjO1fTGoHJ32~#h`<(Y65@p;kTmxpQ8OzrSFGtZoRNudcG<nH}c7sY|YvjuU)INu91Echx&z"
    "udP6)dZMoi7<bfl;0}7!G2+-&8R0?4oHFUSSLrJjR)e;XzUd;6OB}i&@iKyQW>f0XzGvf-w<oNd8%~1Kf+MT49J>}_<U)ooP"
    "B;!FybdZ42`n!|(;<?!MJF7+eM#wW)RBCB!QKOF*y{WF^F$Q@Ui}m#;o3B~I1lw3{T}xJ!?48H3Gc=g<OWSk*()R39xqI2W6"
    "D-&oZl5Kuko%>;w2prT1mjrjJ>;<WBXkK=p`xP7{@-yvROh6AE2rLHvh!AH{<_Rjc5Zpo-yFX%(q4+0trW8c0do!l61BN!W)"
    "4nrw;b(m`QanH!RRd~4xP9re|YPPPBIu-()AQ-1(OgZ)7Dv=KTMhmXTaj%$ZJ72KiW8R@%fZU+|I>WD1}{%gs-%<e+;z*5aZ"
    "YMMwzKoloF0`ac@aPQZ0?H$_gp3rZ48n#KtI7LfuO;>lCsC@t)Ev?wmKYjvB(vTs?&^Wc9ovyi*HCiGq-wGtHi^kQ${_WLTv"
    "#=<Sfp1Bt{Umw9H^3k1i7k4g@BS(Vqi=d|<vBsM+>vfhx`Dg?yneb%a~B$ib1O4cxA*Kj^Ce*-Lb?3o;)oXeyA`n66j1WuUJ"
    "MUmP4_^BeEW(s(&LxQ*Rm}BGu$lYjy)l!T8yerCIZE-S&S;S(D-&KFuP5&bC)I7aVD|C>Na-c~yiSiaG0Liw-um<*{aq_G;`"
    "#21^95@HA1dM}cqk=RfeWW?{LdwtFeDm3QGi!)5j}xJ*YEv&c=RI@BgPsC6JSZKLqNm2xvvvY|GI?k*Gi{eU#shw?(Z7;^Qm"
    "JJfnG>3snM3LcQKd$okxFbP2IPpCZ6(G`|B8ufS@umhhEKFiS~8LlFX`N#0dM*|N3gY8dLvg-?4u%f2UH8i1}S5VLq_Qghdg"
    "4#p+UwizgP#8cdgH@aG!5p<_lQmYzI>#?K*$`9YFikGOL5=)Xg@+bv1(sYsHC6Cs_AAyEAv=A`4IQul_{lufzQ7mqVCM(d_F"
    "{L>5O;T)*@uqH9hM%o+gAsxZ32MPjnVCy@rQod>c2)>ZLbhY@i<cWGHw1`~xb9E3UgT-dx$#a|vzhHtb~t0L-`$C~dA@IZgY"
    "hV&GPMVoK6kJLq+?X9!c>aGCon$c-le4k{HZ-lKgEgq;w0FAmThKtLg5eqwAroe}G<YHAXamguFwpV$puFH|>AajZFO5&*`l"
    "FonY6-H4(Xhl{}xCO2^HAE}N4-EKJcYCs*zU&N%=C$b)Q!|6YkothptU)11!)JfnD~~i8WaM^a)m;|6qs&fCdEwj)=}+uH<@"
    "6wlc|N+6G{CFeK033XHY9n5moLn74R<~_#LWyLLypDL3i%N)$1R+zcO0=%`0)$3`|C36Lu7M|Yv)7fTr^(Oo$i)&u2qDNSy#"
    "~VZQ-Y3+?0_A=S2*Pl}XoWLLG?=&;hJD`tSJI_|8yZ!E*shy(bQTSstWYk^~FWI47WtBpht=m|u~^2;hBP=>NZ2%bj)KsyE)"
    "7%0}ela)}bD<28$hhYR=WEKKY!8mTUvH<yfOzOY!k_$2PawKq!)JQiJn$s;z4rz{dhXt_3d-ku200r*nfMYq$8Qtb$>C*}6i"
    "b1OzCdTD?7e)+XKqtkZjmrEOev`1;_k=j=YK3$b)r)ozQChDbpVf^Y7Qj3m*EHU;*gvVczl&{-m(eD~OvL&2rK2GB64X8C+e"
    "0A@lp6ODeAJ)FZdeNn7F%rVWyff9lMJG-q82K#Pk0_Bqh6heIirDZ;8Ktf~xYIQe`;V1vXCL;_v`5L6$`6;P(LvA(QYTDw{#"
    "JbK*dy~(_xL{-hYcnP8jB@f1cVvSqo~e=)Ien6dn1cKG9pkZU7VHt@4BW(3zwyOxoA<>IRxhy5*?%6m#!@3*m>U3K_8U+FT&"
    "TCD4#wYu@LajmyQnvYUPUD{lVgoL;vAv{b;fwfE~h%R`Mmb>t?HFXznEMZ`is=*b$#+Ks4#mZ&}polaQC{^C4HQOD*c~NyK|"
    "o;F=e`M@5K1WAy3x5MAPOaVHNsYkZPxkBj<oiw5M}P88w~RNJ~%NL0n~uVVS<vP88C%~h3u)oNl$g}8DN;-Yu?!dqH<%f<T@"
    "yU8d&CvE0M7Nx&H%9-8kvei|W*)0BOu#B;|iB<i%PDMAIBJ}k74IvO&)@2z;R*uYS8u*!YmfAXqBq$HEZ6#b;^X^rntf)T}5"
    "-rlWlX74DxU4Mj8-_%TKkNNgq-nabb{_Ix)|dWQ338hi7y-jLEeyy1$}ylI9QIn&fVMC=ZWB$7X7!?1fCE4Q9v%Ryx4=aJ3t"
    "ziHs*&-BC<Vmp*!8czO>ogi@RqRjj&|+eWxcG|Z~d79SvAG5erdi9$xt|o3N2Qkgm$nds69GaODddtqxzxJZhRmx@cb6^FWy"
    "qoEkrt#R0v&XlXSUXd6lkT^dk(|>C=|$*NX>{7>_-AM&1b5Nff#d{biwv9b3jyR8Ja$rK4Kb)U7m-Fgev^z^Z(@?W-Q$It=="
    "U(LH|rSrY@*=qHimyT5d1B#ZfO4Ki&yuq1Y3m!th0Z+0-=KKhB82k1oUO^T_8WrC;rmofT`k;EG1;W<VriDrFOUtx{Xq75l)"
    "l$htLf)WNXg7iT+$*7bZd0JW9S-qYk7-jiA>pI@Vu*7`G8lz_AGg-3m52M9b8AKl(Ge4Dug|Sr=*y>(u+HuuR$#sjLBJ6X*K"
    "n3t4P%bzz%y)n<{TsoFLnmpzr?VU|pG?`eotJZbJ}GRr)|1F^bkvQ~*jBz<-HEkyTagE%AJrSKVzBv~3FtWSb+OWkLpaZw=u"
    "->prXV~=D4aX8{shJ5nVw8cL|*Su9Zrg2f$o|Le=5`F$}sx7Yj$@*;^W@#dG{n`N0$Ud2n<Y+3Kq=INdH!}uEN_#PS~0K`)&"
    "Q-`2>C`Pn+c=-J5@o-{Xp<@jN$Vj<r!U-Uj?NQBg7d*pe4&Bv)avmrNJ^y{y4ow3U~5(Ri4Yqa=WJVqK5%6M4w}Qu@AeXsHd"
    "Mxlnt}UR3Sfi2oPYG6muAOd_Tn-v}&7y<H6$YCnL%N-BzRfM^9VaC0bZ0}zgmlU=dfU%2NEp5S{#T)pL0=cpNT^5NnMo$5#i"
    ";pDhTu2MqZ7hn287<`l`IzawHdDmikScHAiB0n6Z9zL9i{FDn<t%Zna{6y$KLQ?lbZU15N$e?M_V0Nje^_P3m*1vBZEnNRyw"
    "##;n-`BK;yy;&g^nw?DBa}ypEs1>GyrT-JHt5<?$pnXXHA)@jOhWVH8^hg=%S(}ENUTQtWr9WYtE~~<H=kxY$#_xsI{r??WW"
    "k5<PBvnHnh}H~^`e)(w%SgX@_Zo&7MJ0Tsl({<%G!pz&H4fK$G59A>lHB+g9^QfFESB}!QceRN!OrS_x8Og2_&MHo&&xyC2&"
    "lMPlV{~XH99#<)V${qD}WcaYNQGs)i|4>gNi`pNa*Rg%YQ?nFjdF{+qXtVlTh>@Jo?#=qjfzR8u)g_lJqB5A6YW^LDk{)L)#"
    ")eaURwd-?vwZD1)^tsz_t={o^Tm!HgbiowzMTO`qm_0pD*0g=d$s?w$|xx^KT6}<r?@%rDMmUzGWdF<#tS;5};B(HLcu8_&z"
    "5fiSV1J`s>Ia({S>ap!~`xB*4?K&uX%7wQR_0Hn(p3~>(ac|+@aKCJYDkDkNRLi@u#Z4E|M@zZ!xt^`aQh`*2EG+t8{TV>Bw"
    "@@Fk?;i{e)CDjXIwDQ?7m8sW&85AkmyQ&mz`375zae@ntEQq1Qf^d2|8Iq@Gccvl$U_(Pi+<A)ncLp+mzK&`Fpa<xS=j%@TU"
    "R)gyrJ=Ar?Hb-eN$tQr<S92es>)bP==owPcuiLPk2N3gqFBF<cdx934lH~x_N)UK@~a4n2)5Z-Y1_rrNx8U;+6xNU)%-<ZJH"
    "($B##gZSH+zrB%~v;kD0kDotoa;3dzuJ;w|zgJkV;`ItwEQZsl+%EtPK(mE9+YTDNDU{8<)FX3N{Bik0ru7>d5)c15990N~O"
    "ac-LdMm&n@Iys7O}DX29H;@^wUx8&6=0nwL6X2X3_CH0r0{ZjqrZ}Ze@y8dB%R;Q|FvfeEtW1>d_<>7YLEe6KhEi@utY6EBz"
    "yaRp99q1c7&?S#eu-G12O!_4boybJGnrcC!Q4!XvxRTd;0c-VR(+ZeG4BIyryh28Y4=Kf>zw9lFpyID}Q+(YDVzT*0a11^SQ"
    "Z@_X7_F#+lHatVqxTCK<=>9c-u$Vojq*MI`xhl5+_?|nZ$biY{3fn)7m#HW8+?6}e_q+I3;Pkp(mG{NuyV1l-t;13ZCl#YaP"
    "Nk8)YQe8d{O$wrfVc-yIY?m)*6=st@kBAWVv~-^Ol>Pg?V+@mK&di8dxXVPRi`{2PcP$MRTOtmuwh}6d3Q)-}E^R#X`?{Iuy"
    "(io<`)NFs>YgGKA(jaNX{<mKh-}%((<nARW4V`FYgy%cu}$%{HId37|y*Y~!1)#lpykmDw5rih__c?W8q~UHt~sb6WW#7U25"
    "V+4Sz58hFyyIRpojV?*%|>BF<zN^JD@(vHoI%ZxV-RV46z(_eveEM&_s18y3vhH!VtNMVLLkIoHPA1XK6&$Q9|)P$}(CR*D1"
    "A~#s-;^Kx1+#?+;%s$oAn?19##&~GlPtuZ6`ndOjk@+LNJ+v)e0i_s_vXmq8PHZyv;F`ZK-w9cx4p{4G`+bt@Lv3L^Kh675y"
    ")Wkl6iLw85k$8+BbzhBYm-}EZnJT@jXqNze=VFC2w~5|^(VvU-QH07d|Th9k*oy4c$?0~z)tpm2JG`KgpG}zTW;(G>2&$x>@"
    "5mOm~t|h^4XcfH7_R_PS!djTqrqTF<=}5-~yj$OKP?yH5(As`dYM^MO8EyQ-_dNIua8xo{nxx)_RT#x^57-?HviM^pj&Biii"
    "Efs`l(oWJ*88{Gly*wPz16z$GIj&corv-@U6C&!c@57L#^jGg13m%Z9k-6xT1_Qc*e%NiwJU_vVvs-F@pxXqk!aoO4M<I_e`"
    "l(`M2qg;P;ZVmEw$>3!1u!ziR(Vb4;g)7ArX<DSHJ_VLl5G>0pN$IK!DhrE}eV|qewu9p1rm)I|KfUi&b`Z4RIgu^@sm;v|c"
    "=}m`Jx9W$Qg*;1mFW#D-*(x9TG+;P;q0!8UwK?0HI{Lu~$Qu!-R=2${d0;k`53|MH(vk5TMeQ%H>em&g?UC6!nG%uaP;}o-J"
    "xNOjzUcW@HWGAnVqT+8?0gte_*X3DcGdr@A6qde1(4Lq{MQA%k~+?t$TxYD<6UIAOGvWRBw+BvJT+sUq@CEUd2ns!3|r3z!z"
    "cQ;ex5(cX+j?50srkh-fy;d%#;ns*}9m&%7<poNP&erqQ7BIN)h-dT30!)X4V{?!~QHtF7g?A<})KH^lPH7T<(!b$xPNxnu+"
    "tByO7MzNBu<g(XUVn-aqRVlqIRek50Prnp6-DQea9{w023^UbB4!hfZ3OjMuzc?xo|<NlS9t>>;0@@jSV$ZhJ!dvH4BFFs$k"
    "ty(P<oAJuk!u-i=3#baY$)g<d1)Oyc?|7T}Mv^f@#maKFfl8oIxHd_A_TjwqajEzr{&!TNTlbZ(nj>w)C_w%Xj`H{0u?fL%k"
    "XD{Q@v6-~JqhET^tQ>nbe=*R!t&_>FyW)Z!glKR524VIZz|G4o>FV#nCvhtYttUCHcamv%ji>c|UBmn~^6n$Bm)`zG`JjK*G"
    "Dj|jqP=f1mS=aVdE$AI`bVX_=!$S0s^d$4ZEH1TTle8D6@&(xl4wM5^iM^0RzIwDN;-}xUQq>f&7cHMaxic(7&!C|txad{H="
    "nuR^31(ZpGVj@d%tn$X3N8|fsV)0qp|caRBk$dza5+AJS63GW9sG5t-jl#oy7!cGMub+=Fls4c%dAX*IU5aPQ<#Ex;Voy7}E"
    "z%;BE&o&3N`~(SBpCr^KH$syrS(cex$^{wcUOr!oG!{CCy;&;Na0xK!)hM(}^C)|C;6*}J2>^mSaS@%>`1z<wQJ($tF{Uf#j"
    "mk*{VYpWc`AhF)#=i~m=-3Cd#G5*Qx+$5q%!N7;ntzAMUbQb*Mse+XeD_>uE+Adwi$ZfVsb-$%4|9Q_Ni>W`9k7igDysn?4x"
    "fe-840biNnsJgd!5~w0pPj?8~Y{2$+h~X+PhTIt?cEiOGLq*9$o;~F6I3Sc;Lga*~I&E0lMJK7<Cy8h*2z{Sh$S3G3b1fd2<"
    "hTT|o+GOfPsr_g(R;J%u)Xe{;cG7!?xUAj=LBr)8f`D!B5Oi38tnV>jUZqj8BN5}x1_?`3PQHFF(n}}0bMmZkU&d$x|fR=(m"
    "kbBeaJgk(hca6yZL6Uy1BY?KXbh*ljPZ3+jNCt6d2x?tI{ng@4;ro@1onLkUYrJ@0o(dYpZHuvikgc&GYX<b(w2!&`z|0C5B"
    "qTW^=9t&&)U^Q4bQfzm5M&$F%Y<y`LP~G)oeZ=GeBZNhf_LO^3~Ci3)nVf|KRs)N&I<05{L;qfaVi05P}~of-pQrQ^^^?W84"
    "fn5-rkh)rKgFk9`)-7*b_x029|V>&lO^PBmtAnRjsHYOW7?E#4YD<5VHx>WQRyPmc`%JxyGqhHsxNm+-4(n+S)tR*#O-U!qB"
    "%Nrh&k}djtLi(PRl5*p_LWy=Qmaau-=a7sBebm;T5H!OA!;qNTc0Zgc!o1u=@F&8WJSdmXe8R8kgrvhUU(SgI6MKAjy|}YqA"
    "dr2gi65P`JCz;_C=NA~Ye1>*Ii+pgS!_5FD+kZ?u1l7TB_XxbmYc<*Px~a4PCh1Cz#dmW!H0&x2D19$*gpC*dSr=t`1D98_I"
    "Nxm&JBgmMjEisWMv|i<H20zNrukS`8jEse5L3-uV0q_q^j+zndKX8A^RumYx(2n@TWh9KWElwxII))s)Np!GZLRDB-85gZ$&"
    "qHm6MRRDQ~V6`)ip&{p~?ujcN46p_7&*ZTbo{O;+^*yE#ptu5Y@T*n^Qm%^eWHE4A}EnzYUiSk#OR0>9r5m^07@zX9fJ7V$Y"
    "Z3Ys<Wy8!h&Bj!V>I*~XyE_30{kcaU)v47C?F;D4fx{Xqvr=XJ5B(|WeWpF8YQ9e2FU>J<{ce(1Apz|vIS%wUM8G7hT`N{Z;"
    "O-9@Cj+yFO!Iq2ai7QPAYL;)T35wh1ci*PX?FQR~kj-1^#m!4ki9;t@|N6>P^;f<GV_I^)ZuU(x`39RpP9xH5(vqd8OwtGD<"
    "m1VD75FI0*Wb!t?i}W4hVoR{&iZM5e@(T7!h^6*=reSR%j1lP`_hR7=dLn={pYXEh>Uc6z@d}O%9EcqJFzcPwcAk=<h&J5fO"
    "kSRc8c|L_VpL<2IX>2#3tz`>u8S@tCr*EbAI;s^z3JLR*V)-a0aOlQsO)PbKu%NYgwt=n(Iwa$I2Hwid0)Us$D?{ZFBS4w%&"
    "f8GZ!C9`N~-gk+Jr6y0N&GSUxP1BA%Hp+VxsF$*J{Oy!k(k_eV*6b^3SR4YmBHILl(9Z8m4t?Q1O^iJ#^Y_LKb5>yK1-&Khi"
    "ZOx@pLw!yn|XOsiDl<aOv_uhW)XZzXjh7IO|yJxxGKgD+M<#VrYO?2P1AK!k|CE--3-J=reW3l%~*8G?LZkq(SdgTXZ%&_%&"
    "1-=SnBjItP?bKE};*F-~4W~N2<%(8ex0zkw*XTz3^(msAUMWUD?z;T+uFFsMQq=Iv{JpSex;~3PSW=%lj!~cQ{TY3#@#{-|j"
    "$dIzivv|h(IoKI*iM4g+tZ^cjk+b?k}>j97eg~&l_{>8gIXrH{JqVP+LXo{)l*${ysKnNN>3Wvx``~d$6=Hj#YDj<!Z@Q#t>"
    "K=&ir}4F`UY718CEh32(ch#=AOdXz7gmUan89_=dq-+)Zfsq9>a`WB;&z2cm0G^MOwe~*HRTAcY$LO=yq#E>!_Stzs8iQTz5"
    "-s9r)UB5~(@}TfGsW=0<?ZRX~yoOaUvmbu$n#WMsZ}g-W8<?<?!~Rg3Hr#Fw+yHJ98gOYU{msTib6fpEMU(~#k)Hsn?!&%F&"
    "yBv)M-ByG(agy60T5jk9&YKqdZS`YyzS!27kDU=2yo(<tF=x;WE`>$$?v!xnU76AI^-SX>hRU4Qst<bg@9UtU-ZgrJ2UGY=%"
    "iXUZFMC<s{pFUTB<_!bGR3~KW@qp^l9d4WsI&?ZiEHNM}5^XY7Uq6vbuDI33fR@{z15Xy_bvRI14+3Tyu;w&iVAJxpP|pKcI"
    "?97R+`L1pT_Pu&rk`|;2wPKEX!s`JMxS6(sngT)uAp|k7X*45=}GQVJmld+rlVX%i!GsO30K+F8Xi&}eaq@Z2$QdCgUG81Bk"
    "K^*q&+7AmhxoEUP8Oh`pbd7=a3+mb2|uo*3CEC$g0k&Up=tHVJ!nfnJuhWz=|I=Z;ctPcEz*ksD-Q+GE-c3Jm*sLT`}0lcF#"
    "E=D@Jlv?A_7%5-$~<18>)Z+&+d;GPCiOU@;&Sub17vXx7^G=hE;Zy?lq>?V?Y+7fY#?N$Lzr=<1Qifhyzxyd`%JJKHV#_G&I"
    "WX|Q5xMI>8uU<ZMi3@2-_xg?-ui%{aJ!RSwXof2d;>Q4_Yv6*n>t<$!Dn9S8YG`^pQ91NK75(xAT8<E{oRX4~XrKTDswa=~H"
    "xQxnR$6^gEOF}o$6t(cjlAyUDDM0OL^n9m{-G42NLYAxk6GFD>A~c=U%Fc22hlfsD5<=9mh2|+cgMDIduBkiIJTwwmN5@NB`"
    "O>yG!no<Lcd~(p51TrXyPIYk3~8e>H*SIrm+<~sjpk1+7*H}nAynFd!RUmD&<#y0zhx0yg-8_JEZ>N(z+^_)?(C1Oh+(E!;j"
    "iy)PLzfw^pJALyprKmJB;Z}+>~8(&az8TXw=9`sQoLxI#`&Fd7QJ~%t4|&6C-x917y>3&3xiXxcA<QGoPEE4Jh-ll8>)8Usf"
    "rgs}9LXnmI3*W=~prvLjrvk_;!ajWP3U)&Ec$H~p{GQ8yV*MxLMhcA9Q*mhgl`(;#v(IL!Z!9#Va9CsXqUQ_WxHZh1{WBA(Y"
    "*+IwC704vF42$*Lw4QXcJ-DOM-^49aj=SH?h0pImF@p{jPzk7v1gxnPjiJ3p0rmb{$D6?KXYqsE=?3wrmD@oRLZUQO&tN($~"
    "-&|8OvuTJZf8o(nyTFkRi0+C3<$agL+IO*RIyhiXJh_gn`HQQ<8MDRm@w|>ATd^Dr_-#+B^=j$g8bo18|LeD<HI?Q15~-z9!"
    "$(0w68w*hrNm!dEG}7*yQTaocWxRIQ$^(R7$k<%ZWr1Rjvamf7gRqrUNd$oko}Qt@<pwnBhF{K8`mgGrskp;>pk`KZ~;uS4f"
    "}PsL;=^<tfucXTH-42;SN#|vaN$~lDj2|Sl5gW{a!Y%OJtBMLGqq^t^}+-rjJzG1J3J!*u~PW&-@C}I>-)zT^#*Uiec~AEgk"
    "ivN9hM~(<G~iO@HjkPkQmw?cx#TGR9&`1)d(RR?moH6t!r<T-!80lyEmwBg4jqh{lkxjoN?Jv>!g+p87_pkL~40fSAc)9%o9"
    "hp0C=-NgV+T+_XlgV*kyRaZ)J-f%0W?>ou~=E`ZPbHQhxO0{auqPz*QYKl08q=G)B*Y|b+c&q#N6bcYqFM(k|OrdaIr_t5BQ"
    "mTVbEX*psc>xnjdAg<eLg9rY56;}8}c572fup#mrkv60w5Bx&QyRDi^I{n>o$0d&;+fWUZDLN3xKbdU()!*%7;1j8M>*efsG"
    "u!Igw<mPlcf5wRNiYcgv+q%VY>c*`GZ8KC^l!esziG3Fgeov!+X%TysM>rVxCkSC_N3`f_r@wlJ8w`A_9~Y3Z45sqny4widL"
    "V)&-hJ$P4>_c4fbF@s_IsbXM5pP1j0DZfL>G4AE2K>u{Tt^w8qKtCq7}$7w~->H393J=OC>F>U3Z_U392`Tqyn00J7>3@T)2"
    "iD4Avvgv%clfW_`5-IRG|_#wpAeMvx1qP20jNXW_oDru%tXete-VI?UE|&qRx!#VR9iBWUaYnmQXSXIUi(ZzWqZqch`~L~{k"
    "g>#Y8EJ=HkhIZ0P3KcXN)1I@>Wfo1@p=@Em~WV+`di{B@h&v*h-LDNz8d6Lka;<A5=tC|nNzS%{V1B$yLvJ)V&F2_KH*OLgr"
    ")nou1>4gA6cLZ<lP_7L^;P-M%EpW+weAri90=p(6boK(NNCU|oS>&QEqRl40M?e-M4^m)V8*!WP#*+fP^VYJ{kNW{y0#SCQ7"
    "(YyTW$o2s&};#}pwtk%R<)tIE*|bE{&skkc%da2f-`EZrWyrwdeNr<l}Rl@mC5b6r6zpn!3##TkkM1;r54AkirJB;u&PoR_N"
    "I0pjNEvyJg}%p;xeyEe_iCo%$vd@=a5ec7}L87Gsz1pcMA(Fk$N`9V!|zX?WI)lluaW=@}ifs>nwAX9<!QkNq_WSll=Mnn{k"
    "zgBdSk(s8jZ%#1ED27d<N%z}K><LIivr2dDe=;zgJA$?TxK{N`(YsBe9nEz@;#*o|8~bU_!l7q#0<D|tfFa(Kz?Phmw`dGX9"
    "KUr<<pCh0G!hA}uR)0&2o*zCY*)xKJur5k#1>M=ejFWz2BZiOmIax)Z~c^bS>m&a(2+536%A~2>`##mkPP+ifY6N#*%UwfXc"
    "jzMz)3M)23Y66eJF&ux8?bDal&BZg;i)QVGjKKekUsG^Rcv}R^q7Pmq_=xXW_zLfJx+A117J6W&ctW!b&HPBZj;oW}xNiJa3"
    "{eA$$m1fygTtTYmWCL;tzk$t$Rs(n-Ex=<YYUcA=?`L0zUON7SO9hmM5Jynnp7x3Bu9EZNbhkS67Z;&PNKh7b;?YstR4p%Nz"
    "C3`od{JI%h}-m*kHxfptr3~BT~OEV;clW@#>z7`?O{AWm+Ejs@&x1OP?99)NM7Va6t?|$cLr9qEf0_x-I!a=5twac@h;4TAr"
    ")AT1;iUF8+`TGYA>C93%1rU+={-54cke@#q=Rz^=Jc6;cdJG2NxgdtBAh<i^vZa)+)=^>?=Np_J5RcG;O1Zi^*8b|qFlm%3-"
    "lM-QgbgVDGl<(BV{M+^bGt%*-dA1Iy2<d-zbr|fJ|2$|z3*oZc#9u87quba1|{-S7@EoD$g-*1?r|GA|_dV^D*O2ELSCisw@"
    "RR-ay3_1dO)0MP=YT%AVwDL@hrmZpE(j0dVq#7t^2lXy+Bo^cFe}T`xES(hx{nmQyj%2sreLS(;=fTXEYh=Ios-;wqZEG(!|"
    "54&@U-T=I%on>Hox<j_>G<31x4F&vF1MMlA(+Q|f)7v2jEgcH(qZ!3Q=8+|)KTx(f{gGjes}$u*OaKR?J_EsRG#l?X<jVN1V"
    "C#-hV+WGKX#PCJ-1E=D8lN0s2*}0L{|Y-YrBuyc(5`ka~S@^Gh}Wg8<f6vySL+>Fl|YQL*qxKeXx=!aWEB3BL(uJk8>P2{iZ"
    "yek6c4kWWThKiOt%Mmeow7#%MFCn6(>(fk+hvp0O)txQ-p%2E~Lc+W!AgqWIEBCyEmV)<_I6M`23R2Q7n(tRM8(8abIuhYGX"
    "4iziJA<T090Z|>u%|I=CZe3JC13xcW#=~)`)eLVoxwrp55dZKM(yg86If7?>w)Lujs@@|Mm*KU@(<8t>e?<fnQ(PP492Jm5U"
    "lmma1#d3zg;ErN!XAk97GdV6&21{}RG^30eD0NSRl|h{arWBc1HoBUviY3k$@f8k6kEme0WFp`bK{MZ|ShW2bl6wR5G`Vwl<"
    "x0_li-yB1pT5a_vCGjZ9@Ll432tKU03})eXa*ac=-x|wQ1eBOgEPTyOd>E@2F^(`vbQ!py@-M_jM+SsD3L%pV+fMTD#L(_Xq"
    "55)FrEaB#DQ7puZCk!?Qo}=*mc#e&u7<!ami}AaKvjJKp(5qw&_DZ()m_))FU0eYnSFDgg>hNl1Wqzb<9l|NX}~WJtpa~{@N"
    "((%|?JEBN-?AJeKo$*O(%puRWv)FS9?%@f;mdy}IY7)7#9%g&^TmTjQEJjEtcobuG8t0Jk?!H{<H9PB%5>U7H|_p(f~1bI}E"
    "Ehnnd8m;P$c2k3Z}<EmVsC2!N}Zq8TtR_jDes3;ADe()Wwldt~xLD*#k`@uyQh^KL@Tx0t|$mON~g3w{SS2clXL>!Tre3Tyq"
    "v@VuDI78NG87Al?>V-P})88%hAb9_`O1xMhKZwqsnn+OZ-?ti<kLZ_4|0pa-c{Y|LiKJ1@ISFQ*41$LzlE6oLB?jXC`1ZaY7"
    "mGT<Tnm;iX8+r@TJG=YzfKCOl+Ux6f-5USs5P8;T%^E|RY_5-50)0l`gitabjmhz#H{fX%Nk$P5)i&Ib^W7^zPQTsH8w>154"
    "Zcn=k~)3x(7G&Jt%H002mZ*<Gk0$S67-9eL~g#ucdIuo6JsC-<QTSYgSZsSenA3Qf1sMq?30%5vUhL<m+Iy6}WC7<Dp4T6KP"
    "$NkZQ5h&mw5`h9nnX%EcXC#SM^Na<KZx>|cI4t1h)uU;L29R=j5RC-r|a(&1SCO~{Hc<<{dNXi!dq>JF3T5<iw|tqr1^{`RX"
    "2eEC~ar8tz(c}3}}JF%E>tp)KZ-^+Sf;{HS|mb1YQX)=<IPlzn#K{U~lH$i;07anW8pHZL4<WzE=D9o;l<@A}UJeGSpeD1@M"
    "=rGo-TAGups{`a!o!yYjC(`Lt8F5YU%@<nmV>!<9;MQZd^nqVd5hB*fUH|6<^>B?yq9>jWLXPaDZ*K@Yy6Q7J2cbmSiu2h-r"
    "_ehY@~|e5Hj`z(sPE@koZ|<%s#P#je2aBSkCr6Sb3S%QOAP`LI+F})Tu`)I=5;jG2jIUU$kO(_OS&TXZbwnGIEefOiBe5Qtx"
    "Q}rgp=Ci+Hbn@;;1=_;=iucjjJn0+SFB_MrkeLoznk~2Nl!xX)9Nd^JXQwEYB*%t9Fmj$xVNem;Umg;>C>N%53)PUF>V_Uth"
    "J;4xoBwWnuupxe$?(C>+fBtowb^{ug!Ure%3qf=9hCH*DL~{R`vrK~~xZs5C>K3a8B4!#_<(vkK8wp88K*?Kx#+dfIF>5^`r"
    "F1S!~2&4kb-&j3F->RGBGeUUW|T{R1<G6$<Nx+DEf{PmXZSTRdo4jP=Q)|SLHEBt}&<0^|pdV)rI)%&hlnswI#52UhVSC0`n"
    "Q+UMi-~7=Ql2tBz8c3*V(Fasz4Ay}JI<~BSFY42hD2fam>TAlVTJ^|vbwc`P%9wxM|8e_D@u@9)0>atforA?C)vJ9y?19Xau"
    "2c@j#_Eyt0U`RPut{mfOeu0Uuu~oEC`LoZHLoKUGd<Ej{y6`R2=>Xx&p49vrBy>hJFO4P<uDR%-7K9d?Sy2^C|1W#fj_1#<="
    "-6+o(`W54mlhpd^k(Zcd_X&lC<^+|H{UMc=WUrFRzT;UTnVT<zc97@}ORxu<h!s$b*cXPVUA26IJ$l(I?i!Bb<TJ_X*jaQ$q"
    "FgmBD?3y@~kF-`=Lk?9cT-C+$sNoLr*|@`5Ef20L$F%YY=VTnq*AJ29B!8$d{6q^K<_e$ooe>LyBaIa~UGXx<cH+D+aUP{2H"
    "bAa|d>`+zvtd)xACBcG`BkJWDm8tBS4iq*}8WBsD0H~PF68H>=o(ByupH&@cX?l*Lt5>Ca7XqtB1smD%*bzp5$;8sa|&uA?g"
    "=RxqPubk$8Tl0z3c~ziC<293kiI5wvs)ZzpMMx}-N{Knwl?-yTv)%Py5aHgiLr~-E!e^posn(3}kgB;G?_uL>+%Okv(BYwtp"
    "aklBvv?(!t^mhvtX~nblGw{wLh=P`qy787ReI`31@9=g12nE3u*D}>H`1BLR=dUmLt3>JWJ4$fb#nI}&ViU|t37fkx_Kw{j4"
    "Y!_6iH`>QBU?nZ_sW{-}3hPacj0ZqwheIKBfi!#E*(8QQdJZ9-?bEi2OceFupzGcR%9Y3LYM<?g;qMBJy#-EP=M&S>u@}Kb8"
    "YE$;IN{gWHXLF#`AJ=P>xkk){ZUY{j}3X^h+iLVoRuQB^n6>!bbh=k=mc?d9`r>Y=$mdilu_x#Svpfm%%f?KJn3o=Kegc+Kx"
    "#*BAvXx_!IGw+5x&h=YHrXlmQ17G*Y#{6!gb;xA4d-;=DOw9UO9p{n;pC35BI@O5bJLTj4=gsFp7oO#@=sfj|8Y#GGUtF8li"
    "{n4V*K$c)j@%pnQkhrn?c`yxV=`9)?BDL+Z#Tj(i-^1@%*W9);a#`)prWQ}zT4|)M+v;e0#qVRMo!MS&?`xP7BVDgAzWa&uA"
    "aY^Ta03o{SeUtJFF8wP9C9Ue4(~?ONbB-6By4p*N>Pa!sXJoiq8*XW@L#5zml(8ikAL{mGnFzlg!&?_c<Y>|ow^$vb+ZEA%i"
    "mimI?G)b&rfZ2ib7h)vO=@dsHqW+N&p$Y-?#S^Kc?OZsPKZYw`pLDJ9*2zy?m+BY72LE)x4ayCOn;jMt+E-oDD_r*16|PO?v"
    "6=<NvWY)qyf|t-9c?jfEY7Niic`$2t;rjBTn!xdNXlp#HHF)C>Psfs)YUdaEz+W}{q1rX`O`m?z7>*?(2CNG>j47aJ#0H@=r"
    "|Ot>e?ElRPT^IKnQMYb)!ZPAS_Z2E*fKnXP&yxcGs8ww;3eXRp987Z?8ytNQTduT^Mq0Bz}-9r+T_Ee%zI7)Z=nKSp6%IA?F"
    "M@3fEp&1w_*PAwEd1p?j;qZ>86LYxVGB(H^rrP?g#iP#zAL_;dA~D$pTZSJ+F)zENPA;2@S7cjs69!6+z?#ckaS0swrl;#wm"
    "+w_6wwao@%aP>QGB8iCO2x)qY^<1hueOLDc*a9ncULPWJj}rgbaCMQ;lR5(h;L@ng#03U0r!0{ktR{^n3zHzJhdV}*E(M)58"
    "HXTs!5F`ImHG-AUxgTy(b}nuT@iOd)4<N`W?^sHoW(b>E2k!CHk<8Q2YE7iP*{3or(DYak*Vy^giFEh7Rgyv_G`;*HA!jo?x"
    "a4;un*1q(D{+-mDmWGm{!w03`RcpTr)najreK+$Xi)`V_yYR=eCgxfn9y?UNcbT{d|oB6@)$>r%#dE8sgi_AVWJw~ie+fb{T"
    "#hX+C(Na0ceT$sKY7%jQ3MQ#$rphOId3VpKJl-{l0^0U*^)^$e_8%>!T-CYUnO?D>itD+C~sg_RQ6X9UTv+A<Ph9E{7kb?BF"
    "QRKU}TI9kS76UXOnTWdt|8E45d4XbL<+&C_T`cjG_n^_Ao|}{R+`6HU&B@)E>DF8Z6e6qK_Ip8y{=2EE6aP);qSxL7HL;_6%"
    "AbI_=7TKIhaLlP3iSat;7Ty(149HF1N$bjyZ+3FPL$(3+pE@2s&yZYYW-)4AB4JBi3Re&mx_w^GPEQ>pd+KjZNQhZd3mt;O("
    "G|p$x{AzcPe@4=>J11YZk3*RD1p=Gsp<}P-)L??1b8im<O(+`mJ#$rlCr(w_!)EjNJ3Yg1crqAwRy=XoSk6E)rt+)s<297UQ"
    "}Z)7g*rTMIG0X}hG7DD_N;q7IO-+O4KkY`gxGM8>w`M@yWiWP04+`%{91NK@OD^=tf4<*=itguF8AQ8K3j2Hm@)O3nHykDm("
    "pv%c8Xy~`Aqgj(_{Ye66Or;JgrHa<Uz#l()}wQ+=`ps)OA1ee}e`qQ!C($z-l?7z?*0dMTel464o(~$#=4R;&V?XsXHp$q7N"
    "pbC|II1vX?7j<q(Ns;k4HkRt@fp(iu1n}rGtGbgR-M&_fSu?E$nI0G2V5>ph@W8x(kjU$JT``%`*I%kS&1UNR<5Pn3tWodUv"
    "?3&ba&J#7H708Bnvv4oD}lS(J$>KxpAkf&%|j$lNrmIO2WR!PWCmV>*x3@ufcp=2lx}0kP$4%MXnQr@KoqG(KZ9`UF<a(=3n"
    "e`&hP}HsSN2tD^mJx)BlB7X|0p$uTvvG^>AV$Fn8vkO2h{14_MGa_J<GeR*h%@-Q~A|pRZX&ZC0w^zhK_bNq+UtMBcT`#8Nf"
    "^KL^Pt&nUmIKSoPLx<Y>EfRo|!kRsU}P?t6&&_HVtNw{wc$M_looz9Y*{z1ycglc$Ue#&u4Wj}yJ`8MW{k&da3#x5R;XoIv<"
    "cm3gKfP8hd)N+A~V6@U3qg*X#aT$E|Qr<azUaryl#;#NsG$w0kE=ic;Jgp%<jjPZO<skSBXrR#eaw$DLSlustjOG<HcMu3Pf"
    "dYZqt-}qEXE%2+!Lcfu@zxz{WC4Qyz|78T{H=arSpZ^DCe)}r"
)
