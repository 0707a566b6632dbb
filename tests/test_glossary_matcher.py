"""Recognition of glossary terms in real sentences in English, Russian and Korean."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from service.glossary.matcher import Matcher, normalize
from service.glossary.termbase import Concept, Rendering, Termbase


@pytest.fixture(scope="module")
def termbase(repo_root: Path) -> Termbase:
    return Termbase.load(repo_root / "glossaries")


def found(termbase: Termbase, lang: str, text: str) -> list[tuple[str, str]]:
    return [(m.surface, m.concept.msgid) for m in Matcher(termbase, lang).find(text)]


def test_english_variants_quotes_possessives(termbase: Termbase) -> None:
    text = ("North Korean leader Kim Jong Un met Russia's Culture Minister Olga Lyubimova, "
            "KCNA said. The Workers’ Party of Korea and the Workers Party of Korea; KIM JONG-UN.")
    # "North Korean" is an adjective, not the place: no match inside the longer word.
    assert found(termbase, "en", text) == [
        ("Kim Jong Un", "Kim Jong-un"),
        ("Russia", "Russia"),
        ("Culture Minister", "Culture Minister"),
        ("Olga Lyubimova", "Olga Lyubimova"),
        ("KCNA", "Korean Central News Agency"),
        ("Workers’ Party of Korea", "Workers' Party of Korea"),
        ("Workers Party of Korea", "Workers' Party of Korea"),
        ("KIM JONG-UN", "Kim Jong-un"),
    ]


def test_english_case_policy_and_word_boundaries(termbase: Termbase) -> None:
    # "sung" is a verb, "un" a prefix, "Russian" is not "Russia", "Moscowitz" not "Moscow".
    text = "The choir sung the anthem; an un-signed deal; a Russian envoy; Mr Moscowitz; the UN."
    assert found(termbase, "en", text) == [("UN", "United Nations")]
    assert found(termbase, "en", "Sung Jong-gyu spoke.") == [("Sung Jong-gyu", "Sung Jong-gyu")]
    # A lowercase term matches at the start of a sentence too.
    assert found(termbase, "en", "Mutual defence pact signed.") == [("Mutual defence pact", "mutual defence pact")]


def test_longest_match_wins(termbase: Termbase) -> None:
    text = "the Central Committee of the Workers' Party of Korea met"
    assert found(termbase, "en", text) == [
        ("Central Committee of the Workers' Party of Korea", "Central Committee of the Workers' Party of Korea")
    ]
    assert found(termbase, "ko", "김주애가 왔다") == [("김주애", "Kim Ju-ae")]


def test_russian_case_forms(termbase: Termbase) -> None:
    text = ("Ким Чен Ына приветствовали в Пхеньяне. Министр культуры встретилась с Ольгой Любимовой "
            "во Дворце собраний Мансудэ после подписания Договора о всеобъемлющем стратегическом "
            "партнерстве. Сон Чон Гю и Ким Чжу Э, КНДР и ООН.")
    matches = Matcher(termbase, "ru").find(text)
    got = [(m.surface, m.concept.msgid, m.forms) for m in matches]
    assert got[0] == ("Ким Чен Ына", "Kim Jong-un", (("acc", "sg"), ("gen", "sg")))
    assert got[1][:2] == ("Пхеньяне", "Pyongyang") and ("pre", "sg") in got[1][2]
    assert got[2][:2] == ("Министр культуры", "Culture Minister")
    assert got[3] == ("Ольгой Любимовой", "Olga Lyubimova", (("ins", "sg"),))
    assert got[4][:2] == ("Дворце собраний Мансудэ", "Mansudae Assembly Hall")
    # Written with е where the glossary has ё: still the treaty, in the genitive.
    assert got[5][1:] == ("Comprehensive Strategic Partnership Treaty", (("gen", "sg"),))
    assert [g[1] for g in got[6:]] == ["Sung Jong-gyu", "Kim Ju-ae", "DPRK", "United Nations"]


def test_russian_capitalised_terms_need_capitals(termbase: Termbase) -> None:
    assert found(termbase, "ru", "кремль и москва") == []
    assert found(termbase, "ru", "в Кремле и в Москве") == [("Кремле", "Kremlin"), ("Москве", "Moscow")]


def test_korean_particles_and_spacing(termbase: Termbase) -> None:
    text = "평양에서 조선중앙통신은 주애가 만수대 의사당에서 김정은 위원장과 상호방위조약을 논의했다고 밝혔다."
    matches = Matcher(termbase, "ko").find(text)
    assert [(m.surface, m.concept.msgid, m.particle) for m in matches] == [
        ("평양", "Pyongyang", "에서"),
        ("조선중앙통신", "Korean Central News Agency", "은"),
        ("주애", "Kim Ju-ae", "가"),
        ("만수대 의사당", "Mansudae Assembly Hall", "에서"),
        ("김정은", "Kim Jong-un", ""),
        ("상호방위조약", "mutual defence pact", "을"),
    ]
    # Part of a longer word is not the term: 평양시 (Pyongyang City), 러시아군 (Russian army).
    assert found(termbase, "ko", "평양시와 러시아군") == []
    assert found(termbase, "ko", "로씨야와의 관계") == [("로씨야", "Russia")]


def test_normalize_keeps_offsets() -> None:
    text = "Kim  Jong\u2013un’s"
    norm, index = normalize(text)
    assert norm == "kim jong un's"
    assert text[index[4]:index[7] + 1] == "Jong"
    assert text[index[9]:index[len(norm)]] == "un’s"
    assert "ё" not in normalize("Партнёрство")[0]


def test_fuzzy_renderings_are_not_recognised_unless_asked() -> None:
    concept = Concept("Pak Jong-chon", "person", "note", {"ko": Rendering("박정천", fuzzy=True), "en": Rendering("Pak Jong-chon")})
    tb = Termbase([concept], "v1")
    assert Matcher(tb, "ko").find("박정천이 말했다") == []
    assert [m.surface for m in Matcher(tb, "ko", include_fuzzy=True).find("박정천이 말했다")] == ["박정천"]


def test_ten_thousand_terms_in_one_automaton(termbase: Termbase) -> None:
    """A generated 10,000-term glossary still finds exactly the planted terms (speed is measured
    in docs/glossary.md, not asserted here)."""
    rng = random.Random(7)
    syllables = ["ka", "lo", "mi", "ren", "tas", "vo", "zel", "qui", "bran", "dor", "fen", "gul"]
    concepts = list(termbase.concepts())
    for i in range(10_000):
        words = ["".join(rng.choice(syllables) for _ in range(3)).capitalize() for _ in range(rng.randint(1, 3))]
        concepts.append(Concept(f"{' '.join(words)} {i}", "term", "generated", {}))
    big = Termbase(concepts, "generated")
    matcher = Matcher(big, "en")
    assert matcher.size >= 10_000
    planted = [concepts[len(termbase.concepts()) + k].msgid for k in (5, 500, 9_999)]
    text = ("Filler sentence about nothing in particular. " * 40) + " and ".join(planted) + " met Kim Jong Un."
    assert [m.concept.msgid for m in matcher.find(text)] == planted + ["Kim Jong-un"]
