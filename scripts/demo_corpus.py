"""Parallel English / Korean / Russian news-style sentences from a small closed lexicon.

The demo models (scripts/build_demo_models.py) are trained on this corpus, and tests use it to
know what those models translate exactly. One generator builds each sentence in all three
languages at once from the same random choices, so the three sides always agree.

Rules that keep every direction learnable (a deterministic function of its source):
- every random choice (template, entity, date, number) is visible in every language;
- English *source* sides may use an entity's variant spelling ("Kim Jong Un"), targets never do;
- Korean particles are chosen with ``service.glossary.korean`` (the project's one implementation);
- Russian case forms, prepositions (в/во/на, о/об, из/с) and verb gender are written by hand.

About 15% of pairs replace one or two names by placeholders ``⟦0⟧``/``⟦1⟧`` on every side so the
models learn to copy them (the glossary protects terms that way). A held-out partition (a stable
hash of the canonical English sentence) never appears in training data: ``heldout()``.

Importable without torch: tests load this file by path.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from service.glossary.korean import PARTICLE_PAIRS, attach

_REPO = Path(__file__).resolve().parent.parent

LANGS = ("en", "ko", "ru")
DIRECTIONS = (("en", "ko"), ("ko", "en"), ("en", "ru"), ("ru", "en"))
CASES = ("nom", "gen", "dat", "acc", "ins", "pre")
PLACEHOLDER_RATE = 0.15
# Share of canonical sentences reserved for held-out evaluation (never generated for training).
HELDOUT_PERCENT = 3
TRAIN_SEED = 1


def placeholder(index: int) -> str:
    return f"⟦{index}⟧"


@dataclass(frozen=True)
class Entity:
    id: str
    category: str  # person | place | organization | title | document
    en: str
    en_variants: tuple[str, ...]
    ko: str
    ru: str  # nominative
    ru_forms: dict[str, str]  # nom gen dat acc ins pre
    gender: str  # m | f | n (grammatical gender for verb agreement)
    en_article: bool = False  # "the Kremlin"
    ko_variants: tuple[str, ...] = ()
    kind: str = ""  # sub-kind for template slots: city | country | venue | body | agency ...
    ru_in: str = "в"  # locative/directional preposition: в, во, на
    en_at: str = "in"  # English locative preposition for places

    def ru_case(self, case: str) -> str:
        return self.ru_forms[case]


def _forms(nom: str, gen: str, dat: str, acc: str, ins: str, pre: str) -> dict[str, str]:
    return {"nom": nom, "gen": gen, "dat": dat, "acc": acc, "ins": ins, "pre": pre}


def _indecl(word: str) -> dict[str, str]:
    return _forms(word, word, word, word, word, word)


def _tail_declines(head_forms: dict[str, str], tail: str) -> dict[str, str]:
    """Phrases where only the head declines: "Дворец собраний Мансудэ", "Договор о ..."."""
    return {case: f"{form} {tail}" for case, form in head_forms.items()}


_MANSUDAE_HEAD = _forms("Дворец", "Дворца", "Дворцу", "Дворец", "Дворцом", "Дворце")
_TREATY_HEAD = _forms("Договор", "Договора", "Договору", "Договор", "Договором", "Договоре")
_PACT_HEAD = {k: v.lower() for k, v in _TREATY_HEAD.items()}

LEXICON: tuple[Entity, ...] = (
    # --- people ---
    Entity("kim-jong-un", "person", "Kim Jong-un", ("Kim Jong Un", "Kim Jong-Un"), "김정은",
           "Ким Чен Ын",
           _forms("Ким Чен Ын", "Ким Чен Ына", "Ким Чен Ыну", "Ким Чен Ына", "Ким Чен Ыном", "Ким Чен Ыне"),
           "m"),
    Entity("olga-lyubimova", "person", "Olga Lyubimova", (), "올가 류비모바", "Ольга Любимова",
           _forms("Ольга Любимова", "Ольги Любимовой", "Ольге Любимовой", "Ольгу Любимову",
                  "Ольгой Любимовой", "Ольге Любимовой"),
           "f"),
    Entity("alexander-matsegora", "person", "Alexander Matsegora", ("Alexandr Matsegora",),
           "알렉산드르 마체고라", "Александр Мацегора",
           _forms("Александр Мацегора", "Александра Мацегоры", "Александру Мацегоре",
                  "Александра Мацегору", "Александром Мацегорой", "Александре Мацегоре"),
           "m"),
    Entity("kim-ju-ae", "person", "Kim Ju-ae", ("Ju-ae", "Kim Ju Ae"), "김주애", "Ким Чжу Э",
           _indecl("Ким Чжу Э"), "f"),
    Entity("sung-jong-gyu", "person", "Sung Jong-gyu", (), "성정규", "Сон Чон Гю",
           _indecl("Сон Чон Гю"), "m"),
    Entity("vladimir-putin", "person", "Vladimir Putin", (), "블라디미르 푸틴", "Владимир Путин",
           _forms("Владимир Путин", "Владимира Путина", "Владимиру Путину", "Владимира Путина",
                  "Владимиром Путиным", "Владимире Путине"),
           "m"),
    Entity("choe-son-hui", "person", "Choe Son-hui", (), "최선희", "Чвэ Сон Хи",
           _indecl("Чвэ Сон Хи"), "f"),
    Entity("sergei-lavrov", "person", "Sergei Lavrov", (), "세르게이 라브로프", "Сергей Лавров",
           _forms("Сергей Лавров", "Сергея Лаврова", "Сергею Лаврову", "Сергея Лаврова",
                  "Сергеем Лавровым", "Сергее Лаврове"),
           "m"),
    # --- places ---
    Entity("pyongyang", "place", "Pyongyang", (), "평양", "Пхеньян",
           _forms("Пхеньян", "Пхеньяна", "Пхеньяну", "Пхеньян", "Пхеньяном", "Пхеньяне"),
           "m", kind="city"),
    Entity("moscow", "place", "Moscow", (), "모스크바", "Москва",
           _forms("Москва", "Москвы", "Москве", "Москву", "Москвой", "Москве"), "f", kind="city"),
    Entity("ukraine", "place", "Ukraine", (), "우크라이나", "Украина",
           _forms("Украина", "Украины", "Украине", "Украину", "Украиной", "Украине"), "f",
           kind="country", ru_in="на"),
    Entity("russia", "place", "Russia", (), "러시아", "Россия",
           _forms("Россия", "России", "России", "Россию", "Россией", "России"), "f", kind="country"),
    Entity("seoul", "place", "Seoul", (), "서울", "Сеул",
           _forms("Сеул", "Сеула", "Сеулу", "Сеул", "Сеулом", "Сеуле"), "m", kind="city"),
    Entity("vladivostok", "place", "Vladivostok", (), "블라디보스토크", "Владивосток",
           _forms("Владивосток", "Владивостока", "Владивостоку", "Владивосток", "Владивостоком",
                  "Владивостоке"),
           "m", kind="city", ru_in="во"),
    Entity("mansudae-assembly-hall", "place", "Mansudae Assembly Hall", (), "만수대의사당",
           "Дворец собраний Мансудэ", _tail_declines(_MANSUDAE_HEAD, "собраний Мансудэ"), "m",
           en_article=True, ko_variants=("만수대 의사당",), kind="venue", ru_in="во", en_at="at"),
    Entity("dprk", "place", "DPRK", ("Democratic People's Republic of Korea",), "조선민주주의인민공화국",
           "КНДР", _indecl("КНДР"), "f", en_article=True, kind="country"),
    Entity("north-korea", "place", "North Korea", (), "북한", "Северная Корея",
           _forms("Северная Корея", "Северной Кореи", "Северной Корее", "Северную Корею",
                  "Северной Кореей", "Северной Корее"),
           "f", kind="country"),
    # Not in the project's core table; more places so that the models must really translate.
    Entity("beijing", "place", "Beijing", (), "베이징", "Пекин",
           _forms("Пекин", "Пекина", "Пекину", "Пекин", "Пекином", "Пекине"), "m", kind="city"),
    Entity("china", "place", "China", (), "중국", "Китай",
           _forms("Китай", "Китая", "Китаю", "Китай", "Китаем", "Китае"), "m", kind="country"),
    # --- organizations ---
    Entity("kcna", "organization", "Korean Central News Agency", ("KCNA",), "조선중앙통신",
           "Центральное телеграфное агентство Кореи",
           _forms("Центральное телеграфное агентство Кореи", "Центрального телеграфного агентства Кореи",
                  "Центральному телеграфному агентству Кореи", "Центральное телеграфное агентство Кореи",
                  "Центральным телеграфным агентством Кореи", "Центральном телеграфном агентстве Кореи"),
           "n", en_article=True, kind="agency"),
    Entity("wpk", "organization", "Workers' Party of Korea", ("Workers’ Party of Korea", "WPK"),
           "조선로동당", "Трудовая партия Кореи",
           _forms("Трудовая партия Кореи", "Трудовой партии Кореи", "Трудовой партии Кореи",
                  "Трудовую партию Кореи", "Трудовой партией Кореи", "Трудовой партии Кореи"),
           "f", en_article=True, kind="body"),
    Entity("wpk-central-committee", "organization", "Central Committee of the Workers' Party of Korea",
           ("Central Committee of the Workers’ Party of Korea",), "조선로동당 중앙위원회",
           "Центральный комитет Трудовой партии Кореи",
           _tail_declines(_forms("Центральный комитет", "Центрального комитета", "Центральному комитету",
                                 "Центральный комитет", "Центральным комитетом", "Центральном комитете"),
                          "Трудовой партии Кореи"),
           "m", en_article=True, kind="body"),
    Entity("ministry-of-culture", "organization", "Ministry of Culture", (), "문화성",
           "Министерство культуры",
           _tail_declines(_forms("Министерство", "Министерства", "Министерству", "Министерство",
                                 "Министерством", "Министерстве"), "культуры"),
           "n", en_article=True, kind="body"),
    Entity("kremlin", "organization", "Kremlin", (), "크렘린", "Кремль",
           _forms("Кремль", "Кремля", "Кремлю", "Кремль", "Кремлём", "Кремле"), "m",
           en_article=True, kind="body"),
    Entity("united-nations", "organization", "United Nations", (), "유엔", "ООН", _indecl("ООН"), "f",
           en_article=True, kind="body"),
    # --- titles (grammatically masculine in Russian whoever holds them) ---
    Entity("culture-minister", "title", "Culture Minister", ("Minister of Culture",), "문화상",
           "министр культуры",
           _tail_declines(_forms("министр", "министра", "министру", "министра", "министром", "министре"),
                          "культуры"),
           "m", en_article=True),
    Entity("russian-ambassador-to-north-korea", "title", "Russian Ambassador to North Korea", (),
           "주조선 러시아 대사", "посол России в КНДР",
           {case: f"{head} России в КНДР" for case, head in
            _forms("посол", "посла", "послу", "посла", "послом", "после").items()},
           "m", en_article=True),
    Entity("foreign-minister", "title", "Foreign Minister", (), "외무상", "министр иностранных дел",
           _tail_declines(_forms("министр", "министра", "министру", "министра", "министром", "министре"),
                          "иностранных дел"),
           "m", en_article=True),
    # --- documents ---
    Entity("comprehensive-strategic-partnership-treaty", "document",
           "Comprehensive Strategic Partnership Treaty", (), "포괄적인 전략적 동반자 관계에 관한 조약",
           "Договор о всеобъемлющем стратегическом партнёрстве",
           _tail_declines(_TREATY_HEAD, "о всеобъемлющем стратегическом партнёрстве"), "m",
           en_article=True),
    Entity("mutual-defence-pact", "document", "mutual defence pact", ("mutual defense pact",), "상호방위조약",
           "договор о взаимной обороне", _tail_declines(_PACT_HEAD, "о взаимной обороне"), "m",
           en_article=True),
)

BY_ID: dict[str, Entity] = {e.id: e for e in LEXICON}

PERSONS = tuple(e for e in LEXICON if e.category == "person")
TITLES = tuple(e for e in LEXICON if e.category == "title")
AGENTS = PERSONS + TITLES  # who can visit, meet, say ...
PLACES = tuple(e for e in LEXICON if e.category == "place")
COUNTRIES = tuple(e for e in PLACES if e.kind == "country")
ORGS = tuple(e for e in LEXICON if e.category == "organization")
AGENCIES_AND_BODIES = ORGS
DOCUMENTS = tuple(e for e in LEXICON if e.category == "document")
DELEGATION_SENDERS = COUNTRIES + tuple(e for e in ORGS if e.kind == "body")
TOPICS = PERSONS + PLACES + DOCUMENTS  # what someone can speak or publish about

_VOWELS_FOR_OB = set("аоуэиыАОУЭИЫ")

EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")
RU_MONTHS_GEN = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
                 "сентября", "октября", "ноября", "декабря")


def ru_about(word: str) -> str:
    """The preposition "о"/"об" for a following word (об before a vowel sound)."""
    return "об" if word[:1] in _VOWELS_FOR_OB else "о"


def ru_from(entity: Entity) -> str:
    """Source preposition pairing with the locative one: в/во -> из, на -> с."""
    return "с" if entity.ru_in == "на" else "из"


def ru_people(n: int) -> str:
    """"человек"/"человека" after a cardinal number."""
    if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return "человека"
    return "человек"


def ru_hours(n: int) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return "час"
    if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return "часа"
    return "часов"


@dataclass
class Slot:
    """One entity as it appears in a sentence, possibly hidden behind a placeholder."""

    entity: Entity
    hidden: int | None = None  # placeholder index
    en_variant: str | None = None  # spelling used when rendering an English *source*
    ko_variant: str | None = None
    ko_hidden_particle_pick: int = 0  # which allomorph follows a placeholder (0 or 1)


@dataclass
class Render:
    """Renders slots for one output; ``source_en``/``source_ko`` allow variant spellings."""

    source_en: bool = False
    source_ko: bool = False

    def en(self, slot: Slot, *, capital: bool = False) -> str:
        e = slot.entity
        if slot.hidden is not None:
            word = placeholder(slot.hidden)
        elif self.source_en and slot.en_variant:
            word = slot.en_variant
        else:
            word = e.en
        article = e.en_article and word != "KCNA"
        text = f"the {word}" if article else word
        return text[0].upper() + text[1:] if capital else text

    def ko(self, slot: Slot, particle: str = "") -> str:
        if slot.hidden is not None:
            word = placeholder(slot.hidden)
            if not particle:
                return word
            for pair in PARTICLE_PAIRS:
                if particle in pair:
                    return word + pair[slot.ko_hidden_particle_pick]
            return word + particle
        word = slot.ko_variant if (self.source_ko and slot.ko_variant) else slot.entity.ko
        return attach(word, particle) if particle else word

    def ru(self, slot: Slot, case: str, *, capital: bool = False) -> str:
        text = placeholder(slot.hidden) if slot.hidden is not None else slot.entity.ru_case(case)
        return text[0].upper() + text[1:] if capital else text

    def ru_in(self, slot: Slot, case: str = "pre") -> str:
        """"в Москве", "во Владивостоке", "на Украине" (case pre) or direction (case acc)."""
        return f"{slot.entity.ru_in} {self.ru(slot, case)}"

    def ru_about(self, slot: Slot) -> str:
        return f"{ru_about(slot.entity.ru_case('pre'))} {self.ru(slot, 'pre')}"

    def en_at(self, slot: Slot) -> str:
        return f"{slot.entity.en_at} {self.en(slot)}"


def _verb(gender: str, m: str, f: str, n: str, pl: str) -> str:
    return {"m": m, "f": f, "n": n, "pl": pl}[gender]


@dataclass
class Ctx:
    """Random choices of one sentence, drawn before rendering so all languages share them.

    With ``forced`` (entity ids, (year, month, day) dates and numbers, in the order the template
    asks for them) the sentence is composed exactly, as ``compose()`` does for sample articles.
    """

    rng: random.Random
    slots: list[Slot] = field(default_factory=list)
    forced: list | None = None

    def _next_forced(self, what: str):
        if not self.forced:
            raise ValueError(f"compose: missing a value for {what}")
        return self.forced.pop(0)

    def pick(self, pool: tuple[Entity, ...], *avoid: Slot) -> Slot:
        taken = {s.entity.id for s in avoid}
        if self.forced is not None:
            entity_id = self._next_forced("an entity")
            entity = BY_ID.get(entity_id)
            if entity is None or entity not in pool or entity_id in taken:
                raise ValueError(f"compose: {entity_id!r} does not fit this slot")
            slot = Slot(entity)
            self.slots.append(slot)
            return slot
        entity = self.rng.choice([e for e in pool if e.id not in taken])
        variants = list(entity.en_variants)
        en_variant = self.rng.choice(variants) if variants and self.rng.random() < 0.35 else None
        ko_variant = (self.rng.choice(list(entity.ko_variants))
                      if entity.ko_variants and self.rng.random() < 0.35 else None)
        slot = Slot(entity, en_variant=en_variant, ko_variant=ko_variant,
                    ko_hidden_particle_pick=self.rng.randrange(2))
        self.slots.append(slot)
        return slot

    def number(self, low: int, high: int) -> int:
        if self.forced is not None:
            value = self._next_forced("a number")
            if not isinstance(value, int) or not low <= value <= high:
                raise ValueError(f"compose: number {value!r} outside {low}..{high}")
            return value
        return self.rng.randint(low, high)

    def date(self) -> tuple[str, str, str]:
        if self.forced is not None:
            year, month, day = self._next_forced("a date")
        else:
            year = self.rng.randint(2018, 2026)
            month = self.rng.randint(1, 12)
            day = self.rng.randint(1, 28)
        return (f"{EN_MONTHS[month - 1]} {day}, {year}", f"{year}년 {month}월 {day}일",
                f"{day} {RU_MONTHS_GEN[month - 1]} {year} года")


Triple = tuple[str, str, str]
Template = Callable[[Ctx], Callable[[Render], Triple]]


def _cap(text: str) -> str:
    return text[0].upper() + text[1:]


# Each template draws its choices from ctx and returns a renderer; the renderer is called once for
# the canonical triple and once with source spellings. Templates are one-to-one: no two of them
# (or two choices within one) give the same sentence in any language.

def t_visited(c: Ctx):
    a, p = c.pick(AGENTS), c.pick(PLACES)
    d_en, d_ko, d_ru = c.date()
    return lambda r: (
        f"{r.en(a, capital=True)} visited {r.en(p)} on {d_en}.",
        f"{r.ko(a, '은')} {d_ko} {r.ko(p, '을')} 방문했다.",
        f"{r.ru(a, 'nom', capital=True)} {_verb(a.entity.gender, 'посетил', 'посетила', 'посетило', 'посетили')} "
        f"{r.ru(p, 'acc')} {d_ru}.",
    )


def t_arrived(c: Ctx):
    a, p = c.pick(AGENTS), c.pick(PLACES)
    d_en, d_ko, d_ru = c.date()
    return lambda r: (
        f"{r.en(a, capital=True)} arrived {r.en_at(p)} on {d_en}.",
        f"{r.ko(a, '은')} {d_ko} {r.ko(p, '에')} 도착했다.",
        f"{r.ru(a, 'nom', capital=True)} {_verb(a.entity.gender, 'прибыл', 'прибыла', 'прибыло', 'прибыли')} "
        f"{r.ru_in(p, 'acc')} {d_ru}.",
    )


def t_met(c: Ctx):
    a = c.pick(AGENTS)
    b = c.pick(AGENTS, a)
    p = c.pick(PLACES)
    return lambda r: (
        f"{r.en(a, capital=True)} met with {r.en(b)} {r.en_at(p)}.",
        f"{r.ko(a, '은')} {r.ko(p, '에서')} {r.ko(b, '과')} 만났다.",
        f"{r.ru(a, 'nom', capital=True)} "
        f"{_verb(a.entity.gender, 'встретился', 'встретилась', 'встретилось', 'встретились')} "
        f"с {r.ru(b, 'ins')} {r.ru_in(p)}.",
    )


def t_talks(c: Ctx):
    a = c.pick(AGENTS)
    b = c.pick(AGENTS, a)
    d_en, d_ko, d_ru = c.date()
    return lambda r: (
        f"{r.en(a, capital=True)} held talks with {r.en(b)} on {d_en}.",
        f"{r.ko(a, '는')} {d_ko} {r.ko(b, '와')} 회담을 가졌다.",
        f"{r.ru(a, 'nom', capital=True)} {_verb(a.entity.gender, 'провёл', 'провела', 'провело', 'провели')} "
        f"переговоры с {r.ru(b, 'ins')} {d_ru}.",
    )


def t_reported_visit(c: Ctx):
    o, a, p = c.pick(ORGS), c.pick(AGENTS), c.pick(PLACES)
    return lambda r: (
        f"{r.en(o, capital=True)} reported that {r.en(a)} had visited {r.en(p)}.",
        f"{r.ko(o, '은')} {r.ko(a, '이')} {r.ko(p, '를')} 방문했다고 보도했다.",
        f"{r.ru(o, 'nom', capital=True)} {_verb(o.entity.gender, 'сообщил', 'сообщила', 'сообщило', 'сообщили')}, "
        f"что {r.ru(a, 'nom')} {_verb(a.entity.gender, 'посетил', 'посетила', 'посетило', 'посетили')} "
        f"{r.ru(p, 'acc')}.",
    )


def t_message(c: Ctx):
    a = c.pick(AGENTS)
    b = c.pick(AGENTS, a)
    return lambda r: (
        f"{r.en(a, capital=True)} sent a message to {r.en(b)}.",
        f"{r.ko(a, '은')} {r.ko(b, '에게')} 메시지를 보냈다.",
        f"{r.ru(a, 'nom', capital=True)} {_verb(a.entity.gender, 'направил', 'направила', 'направило', 'направили')} "
        f"послание {r.ru(b, 'dat')}.",
    )


def t_delegation_arrived(c: Ctx):
    s = c.pick(DELEGATION_SENDERS)
    p = c.pick(PLACES, s)
    d_en, d_ko, d_ru = c.date()
    return lambda r: (
        f"The delegation of {r.en(s)} arrived {r.en_at(p)} on {d_en}.",
        f"{r.ko(s, '의')} 대표단이 {d_ko} {r.ko(p, '에')} 도착했다.",
        f"Делегация {r.ru(s, 'gen')} прибыла {r.ru_in(p, 'acc')} {d_ru}.",
    )


def t_spoke_about(c: Ctx):
    a = c.pick(AGENTS)
    t = c.pick(TOPICS, a)
    return lambda r: (
        f"{r.en(a, capital=True)} spoke about {r.en(t)}.",
        f"{r.ko(a, '는')} {r.ko(t, '에')} 대해 말했다.",
        f"{r.ru(a, 'nom', capital=True)} "
        f"{_verb(a.entity.gender, 'рассказал', 'рассказала', 'рассказало', 'рассказали')} "
        f"{r.ru_about(t)}.",
    )


def t_talks_successful(c: Ctx):
    a, p = c.pick(AGENTS), c.pick(PLACES)
    return lambda r: (
        f"{r.en(a, capital=True)} said that the talks {r.en_at(p)} were successful.",
        f"{r.ko(a, '은')} {r.ko(p, '에서')} 열린 회담이 성공적이었다고 말했다.",
        f"{r.ru(a, 'nom', capital=True)} {_verb(a.entity.gender, 'заявил', 'заявила', 'заявило', 'заявили')}, "
        f"что переговоры {r.ru_in(p)} прошли успешно.",
    )


def t_signed(c: Ctx):
    a = c.pick(AGENTS)
    b = c.pick(AGENTS, a)
    doc, p = c.pick(DOCUMENTS), c.pick(PLACES)
    d_en, d_ko, d_ru = c.date()
    return lambda r: (
        f"{r.en(a, capital=True)} and {r.en(b)} signed {r.en(doc)} {r.en_at(p)} on {d_en}.",
        f"{r.ko(a, '과')} {r.ko(b, '는')} {d_ko} {r.ko(p, '에서')} {r.ko(doc, '을')} 체결했다.",
        f"{r.ru(a, 'nom', capital=True)} и {r.ru(b, 'nom')} подписали {r.ru(doc, 'acc')} {r.ru_in(p)} {d_ru}.",
    )


def t_left_for(c: Ctx):
    a, p = c.pick(AGENTS), c.pick(PLACES)
    return lambda r: (
        f"{r.en(a, capital=True)} left for {r.en(p)}.",
        f"{r.ko(a, '은')} {r.ko(p, '으로')} 떠났다.",
        f"{r.ru(a, 'nom', capital=True)} "
        f"{_verb(a.entity.gender, 'отправился', 'отправилась', 'отправилось', 'отправились')} {r.ru_in(p, 'acc')}.",
    )


def t_ceremony(c: Ctx):
    p = c.pick(PLACES)
    d_en, d_ko, d_ru = c.date()
    return lambda r: (
        f"A ceremony was held {r.en_at(p)} on {d_en}.",
        f"{d_ko} {r.ko(p, '에서')} 기념식이 열렸다.",
        f"{d_ru} {r.ru_in(p)} состоялась церемония.",
    )


def t_entered_into_force(c: Ctx):
    doc = c.pick(DOCUMENTS)
    d_en, d_ko, d_ru = c.date()
    return lambda r: (
        f"{r.en(doc, capital=True)} entered into force on {d_en}.",
        f"{r.ko(doc, '은')} {d_ko} 발효되었다.",
        f"{r.ru(doc, 'nom', capital=True)} вступил в силу {d_ru}.",
    )


def t_performance(c: Ctx):
    a, p = c.pick(AGENTS), c.pick(PLACES)
    return lambda r: (
        f"{r.en(a, capital=True)} attended a performance {r.en_at(p)}.",
        f"{r.ko(a, '는')} {r.ko(p, '에서')} 공연을 관람했다.",
        f"{r.ru(a, 'nom', capital=True)} {_verb(a.entity.gender, 'посетил', 'посетила', 'посетило', 'посетили')} "
        f"спектакль {r.ru_in(p)}.",
    )


def t_received(c: Ctx):
    a = c.pick(AGENTS)
    b = c.pick(AGENTS, a)
    p = c.pick(PLACES)
    return lambda r: (
        f"{r.en(a, capital=True)} received {r.en(b)} {r.en_at(p)}.",
        f"{r.ko(a, '은')} {r.ko(p, '에서')} {r.ko(b, '을')} 접견했다.",
        f"{r.ru(a, 'nom', capital=True)} {_verb(a.entity.gender, 'принял', 'приняла', 'приняло', 'приняли')} "
        f"{r.ru(b, 'acc')} {r.ru_in(p)}.",
    )


def t_thanked(c: Ctx):
    a = c.pick(AGENTS)
    b = c.pick(AGENTS, a)
    return lambda r: (
        f"{r.en(a, capital=True)} thanked {r.en(b)} for the visit.",
        f"{r.ko(a, '는')} {r.ko(b, '에게')} 방문에 대해 감사를 표했다.",
        f"{r.ru(a, 'nom', capital=True)} "
        f"{_verb(a.entity.gender, 'поблагодарил', 'поблагодарила', 'поблагодарило', 'поблагодарили')} "
        f"{r.ru(b, 'acc')} за визит.",
    )


def t_people_took_part(c: Ctx):
    p = c.pick(PLACES)
    n = c.number(5, 999)
    return lambda r: (
        f"{n} people took part in the ceremony {r.en_at(p)}.",
        f"{r.ko(p, '에서')} 열린 기념식에 {n}명이 참가했다.",
        f"В церемонии {r.ru_in(p)} приняли участие {n} {ru_people(n)}.",
    )


def t_org_said_signed(c: Ctx):
    o, doc = c.pick(ORGS), c.pick(DOCUMENTS)
    d_en, d_ko, d_ru = c.date()
    return lambda r: (
        f"{r.en(o, capital=True)} said that {r.en(doc)} was signed on {d_en}.",
        f"{r.ko(o, '는')} {r.ko(doc, '이')} {d_ko} 체결되었다고 밝혔다.",
        f"{r.ru(o, 'nom', capital=True)} {_verb(o.entity.gender, 'заявил', 'заявила', 'заявило', 'заявили')}, "
        f"что {r.ru(doc, 'nom')} был подписан {d_ru}.",
    )


def t_cooperation(c: Ctx):
    a = c.pick(AGENTS)
    x = c.pick(COUNTRIES)
    y = c.pick(COUNTRIES, x)
    return lambda r: (
        f"{r.en(a, capital=True)} said that {r.en(x)} and {r.en(y)} would strengthen cooperation.",
        f"{r.ko(a, '은')} {r.ko(x, '와')} {r.ko(y, '가')} 협력을 강화할 것이라고 말했다.",
        f"{r.ru(a, 'nom', capital=True)} {_verb(a.entity.gender, 'заявил', 'заявила', 'заявило', 'заявили')}, "
        f"что {r.ru(x, 'nom')} и {r.ru(y, 'nom')} укрепят сотрудничество.",
    )


def t_wreath(c: Ctx):
    a, p = c.pick(AGENTS), c.pick(PLACES)
    return lambda r: (
        f"{r.en(a, capital=True)} laid a wreath {r.en_at(p)}.",
        f"{r.ko(a, '은')} {r.ko(p, '에서')} 헌화했다.",
        f"{r.ru(a, 'nom', capital=True)} {_verb(a.entity.gender, 'возложил', 'возложила', 'возложило', 'возложили')} "
        f"венок {r.ru_in(p)}.",
    )


def t_delegation_visited(c: Ctx):
    s = c.pick(DELEGATION_SENDERS)
    p = c.pick(PLACES, s)
    return lambda r: (
        f"The delegation of {r.en(s)} visited {r.en(p)}.",
        f"{r.ko(s, '의')} 대표단은 {r.ko(p, '을')} 방문했다.",
        f"Делегация {r.ru(s, 'gen')} посетила {r.ru(p, 'acc')}.",
    )


def t_support(c: Ctx):
    a, x = c.pick(AGENTS), c.pick(COUNTRIES)
    return lambda r: (
        f"{r.en(a, capital=True)} expressed support for {r.en(x)}.",
        f"{r.ko(a, '는')} {r.ko(x, '에')} 대한 지지를 표명했다.",
        f"{r.ru(a, 'nom', capital=True)} {_verb(a.entity.gender, 'выразил', 'выразила', 'выразило', 'выразили')} "
        f"поддержку {r.ru(x, 'dat')}.",
    )


def t_visit_began(c: Ctx):
    a, p = c.pick(PERSONS), c.pick(PLACES)
    d_en, d_ko, d_ru = c.date()
    return lambda r: (
        f"The visit of {r.en(a)} to {r.en(p)} began on {d_en}.",
        f"{r.ko(a, '의')} {r.ko(p)} 방문은 {d_ko} 시작되었다.",
        f"Визит {r.ru(a, 'gen')} {r.ru_in(p, 'acc')} начался {d_ru}.",
    )


def t_discussed(c: Ctx):
    a = c.pick(AGENTS)
    b = c.pick(AGENTS, a)
    return lambda r: (
        f"{r.en(a, capital=True)} discussed cooperation with {r.en(b)}.",
        f"{r.ko(a, '은')} {r.ko(b, '과')} 협력 문제를 논의했다.",
        f"{r.ru(a, 'nom', capital=True)} {_verb(a.entity.gender, 'обсудил', 'обсудила', 'обсудило', 'обсудили')} "
        f"сотрудничество с {r.ru(b, 'ins')}.",
    )


def t_interview(c: Ctx):
    a, o = c.pick(AGENTS), c.pick(ORGS)
    return lambda r: (
        f"{r.en(a, capital=True)} gave an interview to {r.en(o)}.",
        f"{r.ko(a, '는')} {r.ko(o, '와')} 인터뷰를 했다.",
        f"{r.ru(a, 'nom', capital=True)} {_verb(a.entity.gender, 'дал', 'дала', 'дало', 'дали')} "
        f"интервью {r.ru(o, 'dat')}.",
    )


def t_statement_about(c: Ctx):
    o, t = c.pick(ORGS), c.pick(TOPICS)
    return lambda r: (
        f"{r.en(o, capital=True)} published a statement about {r.en(t)}.",
        f"{r.ko(o, '은')} {r.ko(t, '에')} 관한 성명을 발표했다.",
        f"{r.ru(o, 'nom', capital=True)} "
        f"{_verb(o.entity.gender, 'опубликовал', 'опубликовала', 'опубликовало', 'опубликовали')} "
        f"заявление {r.ru_about(t)}.",
    )


def t_anniversary(c: Ctx):
    a = c.pick(AGENTS)
    b = c.pick(AGENTS, a)
    doc = c.pick(DOCUMENTS)
    return lambda r: (
        f"{r.en(a, capital=True)} and {r.en(b)} marked the anniversary of {r.en(doc)}.",
        f"{r.ko(a, '와')} {r.ko(b, '는')} {r.ko(doc)} 체결 기념일을 기념했다.",
        f"{r.ru(a, 'nom', capital=True)} и {r.ru(b, 'nom')} отметили годовщину {r.ru(doc, 'gen')}.",
    )


def t_talks_lasted(c: Ctx):
    a = c.pick(AGENTS)
    b = c.pick(AGENTS, a)
    n = c.number(2, 12)
    return lambda r: (
        f"The talks between {r.en(a)} and {r.en(b)} lasted {n} hours.",
        f"{r.ko(a, '과')} {r.ko(b, '의')} 회담은 {n}시간 동안 계속되었다.",
        f"Переговоры между {r.ru(a, 'ins')} и {r.ru(b, 'ins')} продолжались {n} {ru_hours(n)}.",
    )


def t_returned(c: Ctx):
    a = c.pick(AGENTS)
    p = c.pick(PLACES)
    q = c.pick(PLACES, p)
    return lambda r: (
        f"{r.en(a, capital=True)} returned to {r.en(p)} from {r.en(q)}.",
        f"{r.ko(a, '는')} {r.ko(q, '에서')} {r.ko(p, '로')} 돌아왔다.",
        f"{r.ru(a, 'nom', capital=True)} {_verb(a.entity.gender, 'вернулся', 'вернулась', 'вернулось', 'вернулись')} "
        f"{r.ru_in(p, 'acc')} {ru_from(q.entity)} {r.ru(q, 'gen')}.",
    )


def t_agency_reported_meeting(c: Ctx):
    o = c.pick(ORGS)
    a = c.pick(AGENTS)
    b = c.pick(AGENTS, a)
    d_en, d_ko, d_ru = c.date()
    return lambda r: (
        f"{r.en(o, capital=True)} reported that {r.en(a)} met with {r.en(b)} on {d_en}.",
        f"{r.ko(o, '는')} {r.ko(a, '가')} {d_ko} {r.ko(b, '와')} 만났다고 보도했다.",
        f"{r.ru(o, 'nom', capital=True)} {_verb(o.entity.gender, 'сообщил', 'сообщила', 'сообщило', 'сообщили')}, "
        f"что {r.ru(a, 'nom')} "
        f"{_verb(a.entity.gender, 'встретился', 'встретилась', 'встретилось', 'встретились')} "
        f"с {r.ru(b, 'ins')} {d_ru}.",
    )


TEMPLATES: tuple[Template, ...] = (
    t_visited, t_arrived, t_met, t_talks, t_reported_visit, t_message, t_delegation_arrived,
    t_spoke_about, t_talks_successful, t_signed, t_left_for, t_ceremony, t_entered_into_force,
    t_performance, t_received, t_thanked, t_people_took_part, t_org_said_signed, t_cooperation,
    t_wreath, t_delegation_visited, t_support, t_visit_began, t_discussed, t_interview,
    t_statement_about, t_anniversary, t_talks_lasted, t_returned, t_agency_reported_meeting,
)

# Entities whose English form has no article can stand behind a placeholder: an English target
# "the ⟦0⟧" would be unpredictable from a Korean or Russian source.
_PLACEHOLDER_OK = frozenset(e.id for e in LEXICON if not e.en_article)


@dataclass(frozen=True)
class SentenceSet:
    """One generated sentence: canonical triple, source-side spellings and what it contains."""

    canonical: Triple  # en, ko, ru as targets are written
    source: Triple  # en and ko may use variant spellings; ru equals canonical
    entity_ids: tuple[str, ...]
    placeholders: int

    def pair(self, src: str, tgt: str) -> tuple[str, str]:
        return self.source[LANGS.index(src)], self.canonical[LANGS.index(tgt)]


def _one(rng: random.Random, placeholder_rate: float) -> SentenceSet:
    template = rng.choice(TEMPLATES)
    ctx = Ctx(rng)
    renderer = template(ctx)
    if rng.random() < placeholder_rate:
        eligible = [s for s in ctx.slots if s.entity.id in _PLACEHOLDER_OK]
        if eligible:
            count = min(len(eligible), rng.choice((1, 1, 2)))
            for index, slot in enumerate(rng.sample(eligible, count)):
                slot.hidden = index
    canonical = renderer(Render())
    source = renderer(Render(source_en=True, source_ko=True))
    hidden = sum(1 for s in ctx.slots if s.hidden is not None)
    return SentenceSet(canonical, source, tuple(s.entity.id for s in ctx.slots), hidden)


def _is_heldout(sentence: SentenceSet) -> bool:
    return zlib.crc32(sentence.canonical[0].encode("utf-8")) % 100 < HELDOUT_PERCENT


def sentence_sets(n: int, seed: int, *, heldout: bool = False,
                  placeholder_rate: float = PLACEHOLDER_RATE) -> Iterator[SentenceSet]:
    """``n`` sentences from the training partition (or the held-out one)."""
    if n < 0:
        raise ValueError("n must be >= 0")
    # Different streams for the two partitions, so held-out sets are not a filtered copy of training.
    rng = random.Random(f"glossa-demo:{seed}:{'heldout' if heldout else 'train'}")
    made = 0
    while made < n:
        sentence = _one(rng, placeholder_rate)
        if _is_heldout(sentence) == heldout:
            made += 1
            yield sentence


def _check_direction(src: str, tgt: str) -> None:
    if (src, tgt) not in DIRECTIONS:
        raise ValueError(f"unsupported direction {src}->{tgt}; expected one of "
                         + ", ".join(f"{a}->{b}" for a, b in DIRECTIONS))


def generate(src: str, tgt: str, n: int, seed: int,
             placeholder_rate: float = PLACEHOLDER_RATE) -> list[tuple[str, str]]:
    """``n`` training pairs (source, target) for one direction; deterministic in ``seed``."""
    _check_direction(src, tgt)
    return [s.pair(src, tgt) for s in sentence_sets(n, seed, placeholder_rate=placeholder_rate)]


def heldout(src: str, tgt: str, n: int = 300, seed: int = 0,
            placeholder_rate: float = 0.0) -> list[tuple[str, str]]:
    """``n`` pairs that ``generate`` never produces for any seed (a reserved hash partition).

    Without placeholders by default: a Korean particle or Russian verb ending after a hidden
    name is unpredictable by design, so exact-match scoring uses placeholder-free sentences.
    """
    _check_direction(src, tgt)
    return [s.pair(src, tgt)
            for s in sentence_sets(n, seed, heldout=True, placeholder_rate=placeholder_rate)]


def triples(n: int, seed: int, *, heldout: bool = False,
            placeholder_rate: float = PLACEHOLDER_RATE) -> list[Triple]:
    """Canonical (en, ko, ru) triples, e.g. for building SentencePiece or sample articles."""
    return [s.canonical for s in sentence_sets(n, seed, heldout=heldout, placeholder_rate=placeholder_rate)]


TEMPLATES_BY_NAME: dict[str, Template] = {t.__name__.removeprefix("t_"): t for t in TEMPLATES}


def compose(template: str, *choices) -> Triple:
    """One exact canonical sentence: ``compose("visited", "kim-jong-un", "russia", (2024, 6, 19))``.

    ``choices`` are entity ids, (year, month, day) dates and numbers in the template's order.
    """
    if template not in TEMPLATES_BY_NAME:
        raise ValueError(f"unknown template {template!r}")
    ctx = Ctx(random.Random(0), forced=list(choices))
    renderer = TEMPLATES_BY_NAME[template](ctx)
    if ctx.forced:
        raise ValueError(f"compose: unused choices {ctx.forced!r} for {template!r}")
    return renderer(Render())


# Sample articles (samples/articles/<lang>/...): every sentence is one the generator produces, so
# the demo models translate them well. Paragraphs of (template, choices...) specs.
_KIM_VISIT = (
    (("arrived", "olga-lyubimova", "pyongyang", (2025, 6, 19)),
     ("agency_reported_meeting", "kcna", "kim-jong-un", "olga-lyubimova", (2025, 6, 20)),
     ("received", "kim-jong-un", "olga-lyubimova", "mansudae-assembly-hall")),
    (("talks_successful", "olga-lyubimova", "pyongyang"),
     ("spoke_about", "olga-lyubimova", "comprehensive-strategic-partnership-treaty"),
     ("org_said_signed", "kcna", "mutual-defence-pact", (2024, 6, 19))),
    (("performance", "alexander-matsegora", "mansudae-assembly-hall"),
     ("thanked", "kim-jong-un", "olga-lyubimova"),
     ("left_for", "olga-lyubimova", "moscow")),
)
_LAVROV_TALKS = (
    (("visited", "sergei-lavrov", "north-korea", (2024, 7, 11)),
     ("talks", "sergei-lavrov", "choe-son-hui", (2024, 7, 12)),
     ("talks_lasted", "sergei-lavrov", "choe-son-hui", 3)),
    (("cooperation", "foreign-minister", "russia", "dprk"),
     ("statement_about", "kcna", "mutual-defence-pact")),
    (("people_took_part", "vladivostok", 120),
     ("returned", "sergei-lavrov", "moscow", "pyongyang")),
)
_TREATY = (
    (("signed", "kim-jong-un", "vladimir-putin", "comprehensive-strategic-partnership-treaty", "pyongyang",
      (2024, 6, 19)),
     ("entered_into_force", "comprehensive-strategic-partnership-treaty", (2024, 12, 4))),
    (("ceremony", "mansudae-assembly-hall", (2025, 6, 19)),
     ("message", "vladimir-putin", "kim-jong-un"),
     ("support", "kim-jong-un", "russia")),
)

SAMPLE_ARTICLES: dict[str, tuple] = {"kim-visit": _KIM_VISIT, "lavrov-talks": _LAVROV_TALKS,
                                     "treaty-anniversary": _TREATY}


def article_paragraphs(name: str, lang: str) -> list[list[str]]:
    """The sample article's paragraphs as lists of sentences in ``lang``."""
    index = LANGS.index(lang)
    return [[compose(t, *choices)[index] for t, *choices in paragraph] for paragraph in SAMPLE_ARTICLES[name]]


def render_article(name: str, lang: str, fmt: str = "txt") -> str:
    """Plain text, Markdown (first sentence as heading) or HTML rendering of a sample article."""
    paragraphs = article_paragraphs(name, lang)
    if fmt == "txt":
        return "\n\n".join(" ".join(p) for p in paragraphs) + "\n"
    first, *rest = paragraphs
    if fmt == "md":
        blocks = [f"# {first[0]}", " ".join(first[1:])] + [" ".join(p) for p in rest[:-1]]
        blocks.append("\n".join(f"- {s}" for s in rest[-1]))
        return "\n\n".join(b for b in blocks if b) + "\n"
    if fmt == "html":
        from html import escape

        body = [f"<h1>{escape(first[0])}</h1>"]
        body += [f"<p>{escape(' '.join(p))}</p>" for p in ([first[1:]] if first[1:] else []) + rest]
        return ("<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head><meta charset=\"utf-8\"><title>{title}</title></head>\n"
                "<body>\n<article>\n{body}\n</article>\n</body>\n</html>\n").format(
                    lang=lang, title=escape(first[0]), body="\n".join(body))
    raise ValueError(f"unknown article format {fmt!r}")


# Which renderings live in samples/articles/<lang>/ (file name -> (article, format)).
SAMPLE_FILES: dict[str, tuple[str, str]] = {
    "kim-visit.txt": ("kim-visit", "txt"),
    "lavrov-talks.txt": ("lavrov-talks", "txt"),
    "treaty-anniversary.md": ("treaty-anniversary", "md"),
    "lavrov-talks.html": ("lavrov-talks", "html"),
}


def write_samples(root: Path) -> list[Path]:
    written = []
    for lang in LANGS:
        for filename, (name, fmt) in SAMPLE_FILES.items():
            path = root / lang / filename
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(render_article(name, lang, fmt), encoding="utf-8")
            written.append(path)
    return written


if __name__ == "__main__":  # a quick look at the corpus
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10)
    parser.add_argument("--seed", type=int, default=TRAIN_SEED)
    parser.add_argument("--heldout", action="store_true")
    parser.add_argument("--write-samples", type=Path, metavar="DIR",
                        help="write the sample articles under DIR (samples/articles)")
    args = parser.parse_args()
    if args.write_samples:
        for path in write_samples(args.write_samples):
            print(path)
        raise SystemExit(0)
    for s in sentence_sets(args.n, args.seed, heldout=args.heldout):
        print(*s.source, sep="\n", end="\n\n")
