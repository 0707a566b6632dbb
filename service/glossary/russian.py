"""Every case and number form of a Russian rendering, generated with pymorphy3.

Rules (why they are as they are):
* Persons: every part of the name declines by the person's gender (Ольга Любимова -> Ольгой
  Любимовой, Александр Мацегора -> Александром Мацегорой). Korean names written in three short
  syllables (Ким Чен Ын) decline only in their last part, and only when the person is male and
  the syllable ends in a consonant; female names and vowel-final ones (Ким Чжу Э, Сон Чон Гю)
  never change, as Russian news writes them.
* Everything else: the head is the first noun in the nominative; adjectives before it agree with
  it; what follows the head (genitive complements "собраний Мансудэ", "Трудовой партии Кореи",
  prepositional phrases "о всеобъемлющем ...") stays as written.
* Acronyms (КНДР, ООН) and entries marked ``decline: no`` never change.
* Explicit ``form:`` overrides in the PO file win over anything generated.
* Capitalisation of each word is kept: lowercase stays lowercase, capitalised stays capitalised.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from service.glossary.formcache import on_disk
from service.glossary.termbase import CASES, NUMBERS, Rendering
from service.morphology import analyzer

if TYPE_CHECKING:  # pragma: no cover
    import pymorphy3

PM_CASE = {"nom": "nomn", "gen": "gent", "dat": "datv", "acc": "accs", "ins": "ablt", "pre": "loct"}
PM_NUMBER = {"sg": "sing", "pl": "plur"}
PM_GENDER = {"m": "masc", "f": "femn", "n": "neut"}
FormKey = tuple[str, str]  # (case, number)
PLURAL_CATEGORIES = frozenset({"title", "document", "term"})

_WORD = re.compile(r"[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*")
_KOREAN_SYLLABLE = re.compile(r"^[А-ЯЁ][а-яё]{0,4}$")
# Korean family names as Russian writes them: a name starting with one of these and made of
# short syllables (Ким Чен Ын, Но Кван Чхоль) is declined the Korean way.
KOREAN_SURNAMES = frozenset(
    "Ким Ли Ри Пак Чвэ Чхве Чо Чон Чен Сон Но Юн Мун Хан Кан Син Хён О Ю Ан Чан Им Пэк Хо Со Квон "
    "Ра Ко Нам Ян Сим Хон Чу Ём Пён Тхэ Ха Гу Мин Ван".split()
)
# Final letters after which a Korean syllable declines like a masculine noun (Ын -> Ына).
_CONSONANTS = set("бвгджзклмнпрстфхцчшщ")


def russian_forms(rendering: Rendering, category: str) -> dict[FormKey, str]:
    """``(case, number) -> form`` for every case; plural only where it exists for the head."""
    base = _generated_forms(rendering.text, category, rendering.gender, rendering.indeclinable)
    forms = dict(base)
    for key, value in rendering.forms.items():
        case, _, number = key.partition(".")
        forms[(case, number or "sg")] = value
    return forms


@lru_cache(maxsize=20000)
@on_disk  # a fresh process reads them instead of loading pymorphy3 (formcache.py)
def _generated_forms(text: str, category: str, gender: str | None, indeclinable: bool) -> dict[FormKey, str]:
    words = text.split(" ")
    same = {(case, "sg"): text for case in CASES}
    if indeclinable or not any(_declinable_word(w) for w in words):
        return same
    if category == "person":
        return _person_forms(words, gender) or same
    # Names of unique things (Москва, Кремль, Министерство культуры) have no useful plural.
    return _phrase_forms(words, gender, with_plural=category in PLURAL_CATEGORIES) or same


def _declinable_word(word: str) -> bool:
    return bool(_WORD.fullmatch(word)) and not (len(word) > 1 and word.isupper())


# --- persons ------------------------------------------------------------------------------------


def _person_forms(words: list[str], gender: str | None) -> dict[FormKey, str]:
    if _looks_korean(words):
        last = words[-1]
        if gender == "f" or not (last[-1].lower() in _CONSONANTS or last.endswith("ь")):
            return {}
        forms = _borrowed_masculine(last.lower())
        return {(c, "sg"): " ".join(words[:-1] + [_match_case(last, forms[c])]) for c in CASES}
    out: dict[FormKey, str] = {}
    per_word = [_name_part_forms(w, gender) for w in words]
    for case in CASES:
        out[(case, "sg")] = " ".join(
            _match_case(w, forms[case]) if forms else w for w, forms in zip(words, per_word)
        )
    return out


def looks_like_korean_name(text: str) -> bool:
    """Whether a Russian rendering has the shape of a Korean person's name (Ким Чен Ын)."""
    return _looks_korean(text.split(" "))


def _looks_korean(words: list[str]) -> bool:
    # Korean names in Russian are 2-3 separately written syllables: Ким Чен Ын, Чвэ Сон Хи.
    return 2 <= len(words) <= 3 and words[0] in KOREAN_SURNAMES and all(_KOREAN_SYLLABLE.match(w) for w in words)


def _borrowed_masculine(stem: str) -> dict[str, str]:
    # pymorphy3 cannot analyse a Korean syllable (Ын is UNKN), so the endings are taken from a
    # dictionary masculine animate noun of the same shape, declined by pymorphy3 itself.
    model = "лось" if stem.endswith("ь") else "слон"
    base = stem[:-1] if stem.endswith("ь") else stem
    root = model[:-1] if model.endswith("ь") else model
    parse = _pick(model, {"NOUN"}, "masc")
    out = {}
    for case in CASES:
        inflected = parse.inflect({PM_CASE[case], "sing"}) if parse else None
        out[case] = base + (inflected.word[len(root):] if inflected else ("" if case in ("nom",) else ""))
    return out


def _name_part_forms(word: str, gender: str | None) -> dict[str, str] | None:
    if not _declinable_word(word):
        return None
    want_gender = PM_GENDER.get(gender or "", None)
    parse = None
    # A masculine name in -а (Мацегора) declines like a feminine noun, so the gender is a
    # preference, not a requirement.
    for tags, gender_wanted in (({"Name"}, want_gender), ({"Surn"}, want_gender), ({"NOUN"}, want_gender), ({"NOUN"}, None)):
        parse = _pick(word, tags, gender_wanted, nominative=True)
        if parse is not None:
            break
    if parse is None:
        return None
    out = {}
    for case in CASES:
        inflected = _inflect(parse, {PM_CASE[case], "sing"})
        if inflected is None:
            return None
        out[case] = inflected.word
    return out


# --- phrases ------------------------------------------------------------------------------------


def _phrase_forms(words: list[str], gender: str | None, *, with_plural: bool) -> dict[FormKey, str]:
    head_index, head = None, None
    for i, word in enumerate(words):
        if not _declinable_word(word):
            if i == 0:
                continue
            break
        noun = _pick(word, {"NOUN"}, PM_GENDER.get(gender or "") if head is None else None)
        adj = _pick(word, {"ADJF"}, None) or _pick(word, {"PRTF"}, None)
        # "Красная площадь": красная is also a noun (a place name); before another word the more
        # probable adjective reading wins.
        is_last = i + 1 >= len(words) or not _declinable_word(words[i + 1])
        if noun is not None and (adj is None or is_last or noun.score >= adj.score):
            head_index, head = i, noun
            break
        if adj is None:
            break
    if head is None or head_index is None:
        return {}
    modifiers = []
    for word in words[:head_index]:
        adj = _pick(word, {"ADJF"}, _gender_of(head), nominative=True) or _pick(word, {"PRTF"}, _gender_of(head), nominative=True)
        modifiers.append(adj)
    out: dict[FormKey, str] = {}
    for number in NUMBERS if with_plural else ("sg",):
        for case in CASES:
            grammemes = {PM_CASE[case], PM_NUMBER[number]}
            inflected_head = _inflect(head, grammemes)
            if inflected_head is None:
                break
            parts = []
            for word, adj in zip(words[:head_index], modifiers):
                parts.append(_match_case(word, _agree(adj, case, number, head)) if adj else word)
            parts.append(_match_case(words[head_index], inflected_head.word))
            parts += words[head_index + 1 :]
            out[(case, number)] = " ".join(parts)
        else:
            continue
        # A head without a full plural (Sgtm: Москва, Украина) yields singular forms only.
        for case in CASES:
            out.pop((case, number), None)
    return out


def _agree(adj: "pymorphy3.analyzer.Parse", case: str, number: str, head: "pymorphy3.analyzer.Parse") -> str:
    grammemes = {PM_CASE[case], PM_NUMBER[number]}
    gender = _gender_of(head)
    if number == "sg" and gender:
        grammemes.add(gender)
    # The accusative of a masculine singular or any plural adjective follows the noun's animacy.
    if case == "acc" and (number == "pl" or gender == "masc"):
        grammemes.add("anim" if "anim" in head.tag else "inan")
    inflected = _inflect(adj, grammemes)
    return inflected.word if inflected else adj.word


def _gender_of(parse: "pymorphy3.analyzer.Parse") -> str | None:
    for gender in ("masc", "femn", "neut"):
        if gender in parse.tag:
            return gender
    return None


# --- helpers ------------------------------------------------------------------------------------


@lru_cache(maxsize=50000)
def _parses(word: str) -> tuple:
    return tuple(analyzer().parse(word))


def _pick(word: str, tags: set[str], gender: str | None, *, nominative: bool = True) -> "pymorphy3.analyzer.Parse | None":
    """The most probable parse of ``word`` carrying ``tags`` (and ``gender``), in the nominative."""
    candidates = []
    for parse in _parses(word.lower()):
        if not tags <= set(parse.tag.grammemes):
            continue
        if nominative and "nomn" not in parse.tag:
            continue
        if gender and gender not in parse.tag and "ms-f" not in parse.tag:
            continue
        if parse.normal_form is None:
            continue
        candidates.append(parse)
    if not candidates:
        return None
    # Prefer the singular reading, then the analyser's own score.
    candidates.sort(key=lambda p: ("sing" not in p.tag, -p.score))
    return candidates[0]


def _inflect(parse: "pymorphy3.analyzer.Parse", grammemes: set[str]) -> "pymorphy3.analyzer.Parse | None":
    """Like ``parse.inflect`` but staying on the word's own stem: pymorphy3 files высший under
    высокий, and a plain inflect would turn высшего into высочайшего."""
    inflected = parse.inflect(grammemes)
    stem = parse.word[: max(2, len(parse.word) - 2)]
    if inflected is None or inflected.word.startswith(stem):
        return inflected
    for form in parse.lexeme:
        if grammemes <= set(form.tag.grammemes) and form.word.startswith(stem):
            return form
    return inflected


def _match_case(original: str, form: str) -> str:
    """Copy the capitalisation pattern of ``original`` onto ``form`` (pymorphy3 lowercases)."""
    if len(original) > 1 and original.isupper():
        return form.upper()
    pieces_o, pieces_f = original.split("-"), form.split("-")
    if len(pieces_o) != len(pieces_f):
        pieces_o = [original]
        pieces_f = [form]
    out = []
    for o, f in zip(pieces_o, pieces_f):
        f = f.lower()
        out.append(f[:1].upper() + f[1:] if o[:1].isupper() else f)
    form = "-".join(out)
    # Keep ё where the glossary wrote е in the same position (and the reverse): the rendering
    # decides the spelling, the analyser only supplies endings.
    if len(form) >= len(original):
        chars = list(form)
        for i, ch in enumerate(original[: len(form)]):
            if ch in "еЕёЁ" and chars[i] in "еЕёЁ":
                chars[i] = ch
        form = "".join(chars)
    return form


def form_label(key: FormKey) -> str:
    return f"{key[0]}.{key[1]}"


_PM_CASE_BACK = {"nomn": "nom", "gent": "gen", "gen2": "gen", "datv": "dat", "accs": "acc", "acc2": "acc",
                 "ablt": "ins", "loct": "pre", "loc2": "pre"}
_PM_NUMBER_BACK = {"sing": "sg", "plur": "pl"}
_DECLINING_POS = frozenset({"NOUN", "ADJF", "PRTF", "NPRO"})


def case_readings(phrase: str) -> list[FormKey]:
    """The (case, number) readings that every declinable word of ``phrase`` allows, likeliest
    first: how enforcement learns which form a sentence needs from the words the model wrote
    ("Ольги Любимовой" -> [(gen, sg)]). Indeclinable words tell nothing and are skipped; an
    empty list means the phrase gives no evidence."""
    shared: dict[FormKey, float] | None = None
    words = _WORD.findall(phrase)
    if len(words) > 1 and _looks_korean(words):
        words = words[-1:]  # Ким Чен Ына: only the last syllable declines
    for word in words:
        readings: dict[FormKey, float] = {}
        for parse in _parses(word.lower()):
            tag = parse.tag
            if tag.POS not in _DECLINING_POS or "Fixd" in tag:
                continue
            case, number = _PM_CASE_BACK.get(tag.case or ""), _PM_NUMBER_BACK.get(tag.number or "")
            if case and number:
                readings[(case, number)] = readings.get((case, number), 0.0) + parse.score
        if not readings:
            continue
        if shared is None:
            shared = readings
        else:
            common = {key: shared[key] + score for key, score in readings.items() if key in shared}
            shared = common or shared  # a word that disagrees with all the others is noise
    if not shared:
        return []
    return sorted(shared, key=lambda key: -shared[key])


# --- the form a context needs -------------------------------------------------------------------
#
# When the model's own words give no evidence (a name it has never seen comes out as junk, or a
# placeholder stood where the name goes), the case is read off the words around the slot, as a
# Russian reader would: the governing preposition first, then the word before (a noun governs the
# genitive, a transitive verb the accusative), the sentence start the nominative.

# Preposition -> the cases it governs, likeliest first for a named entity.
PREPOSITION_CASES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("с", "со"), ("ins", "gen")),
    **dict.fromkeys(("в", "во", "на"), ("pre", "acc")),
    **dict.fromkeys(("о", "об", "обо", "при"), ("pre",)),
    **dict.fromkeys(("к", "ко"), ("dat",)),
    "по": ("dat", "pre", "acc"),
    **dict.fromkeys(("из", "изо", "от", "до", "у", "для", "без", "около", "после", "против", "вокруг",
                     "среди", "кроме", "возле", "из-за", "вблизи", "напротив", "относительно",
                     "со стороны", "в ходе", "в адрес"), ("gen",)),
    **dict.fromkeys(("между", "перед", "над", "за", "под"), ("ins", "acc")),
    **dict.fromkeys(("через", "про", "сквозь"), ("acc",)),
}
# Words after which "в"/"на" means direction (accusative), not place: a visit, a trip, arrival.
_DIRECTION_STEMS = ("визит", "поездк", "прибы", "приех", "отправ", "вылет", "направ", "прилет",
                    "прилёт", "возвращ", "верну", "перевез", "достав", "въех", "переех", "пригла")
_CASE_ONLY_WITH_PREPOSITION = frozenset({"pre"})
_WORD_BEFORE = re.compile(r"([А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*)\W*$")


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def governing_preposition(before: str) -> str | None:
    """The preposition right before a slot (``before`` is the text up to it), or None."""
    words = _words(before.rstrip()[-40:])
    if not words or not before.rstrip() or not before.rstrip()[-1].isalpha():
        return None
    if len(words) >= 2 and f"{words[-2]} {words[-1]}" in PREPOSITION_CASES:
        return f"{words[-2]} {words[-1]}"
    return words[-1] if words[-1] in PREPOSITION_CASES else None


def context_cases(before: str, after: str = "") -> list[str]:
    """Cases the slot after ``before`` most likely needs, likeliest first (never empty)."""
    stripped = before.rstrip()
    preposition = governing_preposition(before)
    if preposition is not None:
        cases = list(PREPOSITION_CASES[preposition])
        if preposition in ("в", "во", "на"):
            earlier = _words(stripped[:-len(preposition)])[-4:]
            if any(w.startswith(_DIRECTION_STEMS) for w in earlier):
                cases = ["acc", "pre"]
        return cases
    if not stripped or stripped[-1] in ".!?:;«\"(—–-" or not _words(stripped):
        return ["nom", "acc", "gen", "dat", "ins"]
    conjunction = re.search(r"(?:^|\s)(и|или|а также|либо)$", stripped)
    if conjunction:  # coordination: "с Владимиром Путиным и X" -> the case of the first conjunct
        first = stripped[:conjunction.start()].rstrip()
        words = first.split()
        last = words[-1].lower() if words and first[-1:].isalpha() else ""
        if last and not words[-1][:1].isupper() and analyzer().word_is_known(last):
            readings = case_readings(" ".join(words[-2:]))
            if readings:
                cases = list(dict.fromkeys(case for case, _ in readings))
                return cases + [c for c in ("nom", "acc", "gen", "dat", "ins") if c not in cases]
        # A name before "и": the context of the whole run of capitalised words (its own
        # ending may be foreign: "Ким Чжу Э и").
        run = len(words)
        while run > 0 and words[run - 1][:1].isupper() and not _common_word(words[run - 1]):
            run -= 1
        return context_cases(" ".join(words[:run]) + (" " if run else ""), after)
    if stripped[-1] == ",":
        return ["nom", "gen", "acc", "dat", "ins"]
    last = _words(stripped)[-1]
    tags = [p.tag for p in _parses(last)]
    if tags and tags[0].POS in ("NOUN", "ADJF") or last in ("визит", "встреча", "заявление"):
        return ["gen", "nom", "acc", "dat", "ins"]
    if tags and tags[0].POS in ("VERB", "INFN", "PRTF", "GRND"):
        if "tran" in tags[0]:
            return ["acc", "nom", "dat", "gen", "ins"]
        return ["nom", "dat", "acc", "gen", "ins"]
    return ["nom", "gen", "acc", "dat", "ins"]


# Prepositions whose case is fixed once the word after them is a person (the genitive of "с" is
# "from a place", the accusative of "за"/"под" a direction).
_WITH_PERSON = {"с": "ins", "со": "ins", "за": "ins", "под": "ins", "над": "ins", "перед": "ins",
                "между": "ins", "в": "acc", "во": "acc", "на": "acc"}


def _common_word(word: str) -> bool:
    """A dictionary word that is not a name (a capitalised "Визит" at the start of a sentence)."""
    parses = _parses(word.lower())
    # Short capitalised words are syllables of names (Ким Чжу Э), whatever else they may be.
    return len(word) > 3 and bool(parses) and analyzer().word_is_known(word.lower()) and not any(
        tag in parses[0].tag for tag in ("Name", "Surn", "Patr", "Geox", "Orgn"))


def rank_by_context(table: dict[FormKey, str], before: str, after: str = "",
                    readings: list[FormKey] | None = None, category: str = "") -> list[str]:
    """The forms of ``table`` a slot after ``before`` may take, best first, only distinct
    strings: the readings the model's own words show (when any), else every form; ordered by
    the context's likelihood and cut to the cases the context allows (all the cases of a
    governing preposition, else the likeliest one), so that a model's score, which knows nothing
    of a name it never saw, only chooses among forms the grammar leaves open."""
    cases = context_cases(before, after)
    preposition = governing_preposition(before)
    if category == "person" and preposition in _WITH_PERSON:
        cases = [_WITH_PERSON[preposition]] + [c for c in cases if c != _WITH_PERSON[preposition]]
        preposition = None  # one case only: "с Пак Чон Чхоном", never "с Пак Чон Чхона"
    plausible = set(cases if preposition is not None else cases[:1])
    order = {case: i for i, case in enumerate(cases)}
    keys = [k for k in (readings or []) if k in table] or list(table)
    keys.sort(key=lambda k: (order.get(k[0], len(order)), k[1] != "sg"))
    kept = [k for k in keys if k[0] in plausible] or keys[:1]
    return list(dict.fromkeys(table[k] for k in kept))


def context_violation(before: str, readings: list[FormKey]) -> str | None:
    """Why a form with ``readings`` cannot stand after ``before``, or None when it may (or it
    cannot be told). Only rules without exceptions: a governing preposition's cases, and the
    prepositional case only after a preposition ("Ким Чен Ыне встретился" is wrong)."""
    if not readings:
        return None
    cases = {case for case, _ in readings}
    preposition = governing_preposition(before)
    if preposition is not None:
        allowed = set(PREPOSITION_CASES[preposition])
        if not cases & allowed:
            return f"after {preposition!r} the case must be {'/'.join(sorted(allowed))}"
        return None
    if cases <= _CASE_ONLY_WITH_PREPOSITION:
        return "the prepositional case needs a preposition"
    return None


def agree_gender(text: str, start: int, end: int, gender: str) -> tuple[str, str | None]:
    """(text, note): a singular past-tense verb or short adjective right after the nominative
    subject ``text[start:end]``, or right before it in inverted order ("заявила Ольга Любимова"),
    put in ``gender`` ("m"/"f"/"n"); note says what changed (None when nothing did)."""
    wanted = PM_GENDER.get(gender or "")
    if wanted is None:
        return text, None
    candidates = []
    head = text[:start]
    previous = _words(head)[-1:] if head.rstrip()[-1:].isalpha() else []
    object_like = governing_preposition(head) is not None or any(
        p.tag.POS in ("VERB", "INFN", "PRTF", "GRND") for p in _parses(previous[0])[:1]) if previous else False
    after = re.match(r"\s*(?:,[^,]{0,40},\s*)?([А-Яа-яЁё]+)", text[end:])
    if after and not object_like:  # the subject, then its verb: "Хён Сон Воль вернулась"
        candidates.append((end + after.start(1), end + after.end(1)))
    before = _WORD_BEFORE.search(head)
    closes = re.match(r"\s*(?:[.,;!?»\"]|$)", text[end:]) is not None
    if before and not text[before.end(1):start].strip() and closes:  # "..., — заявила Ольга Любимова."
        candidates.append((before.start(1), before.end(1)))
    for w_start, w_end in candidates:
        word = text[w_start:w_end]
        for parse in _parses(word.lower())[:1]:
            tag = parse.tag
            if not (tag.POS == "VERB" and "past" in tag or tag.POS in ("ADJS", "PRTS")):
                continue
            if "sing" not in tag or wanted in tag:
                continue
            fixed = parse.inflect({wanted})
            if fixed is None:
                continue
            new = _match_case(word, fixed.word)
            return text[:w_start] + new + text[w_end:], f"{word!r} -> {new!r}"
    return text, None


def gender_of(rendering: Rendering | None) -> str | None:
    """The declared gender, else the analyser's for the first noun (places, organisations)."""
    if rendering is None:
        return None
    if rendering.gender:
        return rendering.gender
    back = {v: k for k, v in PM_GENDER.items()}
    for word in _WORD.findall(rendering.text):
        for parse in _parses(word.lower()):
            if parse.tag.POS == "NOUN" and "nomn" in parse.tag:
                gender = _gender_of(parse)
                return back.get(gender or "")
    return None


_VOWELS = set("аоуэиыАОУЭИЫ")
_RU_CONSONANTS = set("бвгджзйклмнпрстфхцчшщ")


def preposition_for(preposition: str, word: str) -> str:
    """``preposition`` in the shape the next ``word`` needs (в/во, с/со, к/ко, о/об): "во
    Владивосток" but "в Чхонджин", "об Олеге" but "о Москве". Others are returned as given."""
    lower = preposition.lower()
    w = word.lower()
    two = w[:2]
    if lower in ("в", "во"):
        new = "во" if len(two) == 2 and two[0] in "вф" and two[1] in _RU_CONSONANTS else "в"
    elif lower in ("с", "со"):
        new = "со" if len(two) == 2 and two[0] in "сзшж" and two[1] in _RU_CONSONANTS else "с"
    elif lower in ("к", "ко"):
        new = "ко" if len(two) == 2 and two[0] in "вф" and two[1] in _RU_CONSONANTS else "к"
    elif lower in ("о", "об"):
        new = "об" if w[:1] in _VOWELS or w[:1].upper() in _VOWELS else "о"
    else:
        return preposition
    return new[:1].upper() + new[1:] if preposition[:1].isupper() else new
