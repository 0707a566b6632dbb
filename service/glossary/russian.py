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
