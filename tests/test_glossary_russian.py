"""Russian case forms generated with pymorphy3, checked against forms written by hand."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from service.glossary.russian import russian_forms
from service.glossary.termbase import CASES, Rendering, Termbase

HAND_WRITTEN = {
    # rendering, category, gender -> gen, dat, acc, ins, pre
    ("Ким Чен Ын", "person", "m"): ("Ким Чен Ына", "Ким Чен Ыну", "Ким Чен Ына", "Ким Чен Ыном", "Ким Чен Ыне"),
    ("Ольга Любимова", "person", "f"): ("Ольги Любимовой", "Ольге Любимовой", "Ольгу Любимову", "Ольгой Любимовой", "Ольге Любимовой"),
    ("Александр Мацегора", "person", "m"): ("Александра Мацегоры", "Александру Мацегоре", "Александра Мацегору", "Александром Мацегорой", "Александре Мацегоре"),
    ("Владимир Путин", "person", "m"): ("Владимира Путина", "Владимиру Путину", "Владимира Путина", "Владимиром Путиным", "Владимире Путине"),
    ("Сергей Лавров", "person", "m"): ("Сергея Лаврова", "Сергею Лаврову", "Сергея Лаврова", "Сергеем Лавровым", "Сергее Лаврове"),
    ("Мария Захарова", "person", "f"): ("Марии Захаровой", "Марии Захаровой", "Марию Захарову", "Марией Захаровой", "Марии Захаровой"),
    ("Дворец собраний Мансудэ", "place", None): ("Дворца собраний Мансудэ", "Дворцу собраний Мансудэ", "Дворец собраний Мансудэ", "Дворцом собраний Мансудэ", "Дворце собраний Мансудэ"),
    ("Северная Корея", "place", None): ("Северной Кореи", "Северной Корее", "Северную Корею", "Северной Кореей", "Северной Корее"),
    ("Красная площадь", "place", None): ("Красной площади", "Красной площади", "Красную площадь", "Красной площадью", "Красной площади"),
    ("Трудовая партия Кореи", "organization", None): ("Трудовой партии Кореи", "Трудовой партии Кореи", "Трудовую партию Кореи", "Трудовой партией Кореи", "Трудовой партии Кореи"),
    ("Центральный комитет Трудовой партии Кореи", "organization", None): ("Центрального комитета Трудовой партии Кореи", "Центральному комитету Трудовой партии Кореи", "Центральный комитет Трудовой партии Кореи", "Центральным комитетом Трудовой партии Кореи", "Центральном комитете Трудовой партии Кореи"),
    ("Договор о всеобъемлющем стратегическом партнёрстве", "document", None): ("Договора о всеобъемлющем стратегическом партнёрстве", "Договору о всеобъемлющем стратегическом партнёрстве", "Договор о всеобъемлющем стратегическом партнёрстве", "Договором о всеобъемлющем стратегическом партнёрстве", "Договоре о всеобъемлющем стратегическом партнёрстве"),
    ("министр культуры", "title", None): ("министра культуры", "министру культуры", "министра культуры", "министром культуры", "министре культуры"),
    ("высший руководитель", "title", None): ("высшего руководителя", "высшему руководителю", "высшего руководителя", "высшим руководителем", "высшем руководителе"),
    ("Но Кван Чхоль", "person", "m"): ("Но Кван Чхоля", "Но Кван Чхолю", "Но Кван Чхоля", "Но Кван Чхолем", "Но Кван Чхоле"),
}


@pytest.mark.parametrize("key", list(HAND_WRITTEN), ids=lambda k: k[0])
def test_forms_match_hand_written(key) -> None:
    text, category, gender = key
    forms = russian_forms(Rendering(text=text, gender=gender), category)
    got = tuple(forms[(case, "sg")] for case in CASES[1:])
    assert forms[("nom", "sg")] == text
    assert got == HAND_WRITTEN[key]


@pytest.mark.parametrize("text,category,gender", [
    ("Ким Чжу Э", "person", "f"),  # Korean female name: indeclinable
    ("Сон Чон Гю", "person", "m"),  # vowel-final Korean name: indeclinable
    ("Чвэ Сон Хи", "person", "f"),
    ("КНДР", "place", None),  # acronyms never decline
    ("ООН", "organization", None),
])
def test_indeclinables(text: str, category: str, gender: str | None) -> None:
    forms = russian_forms(Rendering(text=text, gender=gender), category)
    assert set(forms.values()) == {text}


def test_indeclinable_flag_and_overrides() -> None:
    fixed = russian_forms(Rendering(text="Токио", indeclinable=True), "place")
    assert set(fixed.values()) == {"Токио"}
    tumen = Rendering(text="река Туманная", forms={"gen.sg": "реки Туманной", "ins.sg": "рекой Туманной"})
    forms = russian_forms(tumen, "place")
    assert forms[("gen", "sg")] == "реки Туманной" and forms[("ins", "sg")] == "рекой Туманной"
    assert forms[("dat", "sg")] == "реке Туманная"  # not overridden: only the head declines


def test_plurals_only_for_common_nouns_and_case_kept() -> None:
    title = russian_forms(Rendering(text="министр иностранных дел"), "title")
    assert title[("ins", "pl")] == "министрами иностранных дел"
    assert all(not v[0].isupper() for v in title.values())
    place = russian_forms(Rendering(text="Москва"), "place")
    assert ("nom", "pl") not in place and place[("pre", "sg")] == "Москве"
    assert russian_forms(Rendering(text="Кремль"), "organization")[("ins", "sg")] == "Кремлём"


def test_shipped_overrides_and_genders(repo_root: Path) -> None:
    tb = Termbase.load(repo_root / "glossaries")
    victory = tb.get("Victory Day")
    assert russian_forms(victory.renderings["ru"], victory.category)[("ins", "sg")] == "Днём Победы"
    guterres = tb.get("Antonio Guterres")
    assert russian_forms(guterres.renderings["ru"], "person")[("gen", "sg")] == "Антониу Гутерриша"


def _demo_corpus():
    if importlib.util.find_spec("scripts.demo_corpus") is None:
        pytest.skip("scripts/demo_corpus.py (the demo models' lexicon) is not in this checkout")
    return importlib.import_module("scripts.demo_corpus")


def test_demo_lexicon_forms_are_reproduced(repo_root: Path) -> None:
    """Every hand-written case form in the demo models' lexicon comes out of russian_forms with
    the shipped glossary's entry, and the renderings are identical."""
    lexicon = _demo_corpus().LEXICON
    tb = Termbase.load(repo_root / "glossaries")
    checked = 0
    for entity in lexicon:
        concept = tb.get(entity.en, entity.category)
        assert concept.renderings["ko"].text == entity.ko
        assert concept.renderings["ru"].text == entity.ru
        assert set(entity.en_variants) <= set(concept.renderings["en"].variants)
        assert set(entity.ko_variants) <= set(concept.renderings["ko"].variants)
        forms = russian_forms(concept.renderings["ru"], concept.category)
        for case, form in entity.ru_forms.items():
            assert forms[(case, "sg")] == form, (entity.en, case)
            checked += 1
    assert checked >= 6 * 20
