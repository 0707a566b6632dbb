"""Enforcement of terms the demo models never saw: every strategy, every Russian case after its
governing word, gender agreement, the pivot, markup, placeholder look-alikes and the statuses.

Real demo models (CTranslate2), a real glossary folder (a copy of the shipped one) with concepts
added the way a terminologist adds them (rendering + gender; forms generated). Nothing is mocked.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from service.glossary import russian
from service.glossary.enforce import Enforcer, place_form
from service.glossary.store import GlossaryStore
from service.glossary.termbase import Concept, Rendering
from service.pipeline import Pipeline

NEW = [
    Concept("Pak Jong-chon", "person", renderings={
        "ko": Rendering("박정천"), "ru": Rendering("Пак Чон Чхон", gender="m")}),
    Concept("Hyon Song-wol", "person", renderings={
        "ko": Rendering("현송월"), "ru": Rendering("Хён Сон Воль", gender="f", indeclinable=True)}),
    Concept("Samara", "place", renderings={"ko": Rendering("사마라"), "ru": Rendering("Самара")}),
]


@pytest.fixture
def pipeline(demo_settings, gdir):
    GlossaryStore(gdir).import_concepts(NEW)
    return Pipeline(replace(demo_settings, glossary_dir=gdir))


def only(pipeline: Pipeline, strategies: tuple[str, ...]) -> Pipeline:
    """The same pipeline with an enforcer limited to some strategies (to exercise each)."""
    view = pipeline.glossary_view()
    pipeline._enforcers[view.key] = Enforcer(pipeline.engine, view, strategies=strategies)
    return pipeline


def term(result, concept: str):
    return next(t for t in result.terms if t.concept == concept)


# -- every Russian case after its governing word (stand-in strategy) ---------------------------

@pytest.mark.parametrize("source, expected", [
    ("Pak Jong-chon visited Pyongyang.", "Пак Чон Чхон посетил Пхеньян."),  # nominative, sentence start
    ("The visit of Pak Jong-chon to China began on March 22, 2024.",
     "Визит Пак Чон Чхона в Китай начался 22 марта 2024 года."),  # genitive after a noun
    # dative after a noun that governs it: only what a stand-in shows (the article's other
    # sentence shows the model writes Vladimir Putin, the stand-in that shows it)
    ("Vladimir Putin visited Pyongyang. Kim Jong-un sent a message to Pak Jong-chon.",
     "Владимир Путин посетил Пхеньян. Ким Чен Ын направил послание Пак Чон Чхону."),
    ("Sergei Lavrov received Pak Jong-chon in China.", "Сергей Лавров принял Пак Чон Чхона в Китае."),  # accusative
    ("Kim Jong-un met with Pak Jong-chon in Pyongyang.",
     "Ким Чен Ын встретился с Пак Чон Чхоном в Пхеньяне."),  # instrumental after "с"
    ("Kim Jong-un spoke about Pak Jong-chon.", "Ким Чен Ын рассказал о Пак Чон Чхоне."),  # prepositional after "о"
    ("Pak Jong-chon and Vladimir Putin signed the mutual defence pact in Pyongyang on May 3, 2024.",
     "Пак Чон Чхон и Владимир Путин подписали договор о взаимной обороне в Пхеньяне 3 мая 2024 года."),
])
def test_new_person_takes_the_case_its_context_needs(pipeline, source, expected):
    result = pipeline.translate(source, target="ru", source="en")
    assert result.translation == expected
    pak = term(result, "Pak Jong-chon")
    assert pak.status == "applied" and "standin" in pak.strategy
    assert not [w for w in result.warnings if "Pak Jong-chon" in w]


def test_new_city_takes_the_preposition_and_case_of_a_city(pipeline):
    result = pipeline.translate("The Culture Minister left for Samara.", target="ru", source="en")
    assert result.translation == "Министр культуры отправился в Самару."
    assert term(result, "Samara").status == "applied"


def test_gender_agreement_with_a_new_woman(pipeline):
    result = pipeline.translate("Hyon Song-wol returned to Pyongyang.", target="ru", source="en")
    assert result.translation == "Хён Сон Воль вернулась в Пхеньян."
    assert term(result, "Hyon Song-wol").status == "applied"


@pytest.mark.parametrize("source, src, target, expected", [
    ("김정은은 평양에서 박정천과 만났다.", "ko", "ru", "Ким Чен Ын встретился с Пак Чон Чхоном в Пхеньяне."),
    ("Ким Чен Ын встретился с Пак Чон Чхоном в Пхеньяне.", "ru", "ko", "김정은은 평양에서 박정천과 만났다."),
    ("Pak Jong-chon visited Pyongyang.", "en", "ko", "박정천은 평양을 방문했다."),
    ("현송월은 평양을 방문했다.", "ko", "en", "Hyon Song-wol visited Pyongyang."),
])
def test_new_terms_through_every_kind_of_route(pipeline, source, src, target, expected):
    result = pipeline.translate(source, target=target, source=src)
    assert result.translation == expected
    assert all(t.status == "applied" for t in result.terms)


# -- the other strategies, each alone ----------------------------------------------------------

def test_placeholder_strategy_places_and_declines_from_context(pipeline):
    only(pipeline, ("placeholder",))
    result = pipeline.translate("Kim Jong-un met with Pak Jong-chon in Pyongyang.", target="ru", source="en")
    assert result.translation == "Ким Чен Ын встретился с Пак Чон Чхоном в Пхеньяне."
    assert term(result, "Pak Jong-chon").strategy == "placeholder"


def test_prefix_strategy_forces_the_rendering_and_lets_the_model_continue(pipeline):
    only(pipeline, ("prefix",))
    result = pipeline.translate("Pak Jong-chon visited Pyongyang.", target="ru", source="en")
    pak = term(result, "Pak Jong-chon")
    assert pak.strategy == "prefix" and pak.status == "applied"
    assert result.translation.startswith("Пак Чон Чхон ")
    assert "Пхеньян" in result.translation


def test_without_any_repair_strategy_the_unknown_term_is_reported_missed(pipeline):
    only(pipeline, ())
    result = pipeline.translate("Pak Jong-chon visited Pyongyang.", target="ru", source="en")
    assert term(result, "Pak Jong-chon").status == "missed"
    assert any("Pak Jong-chon" in w and "does not contain" in w for w in result.warnings)


def test_respell_replaces_the_models_spelling_in_the_same_form(pipeline):
    GlossaryStore(pipeline.settings.glossary_dir).update("Kim Jong-un", renderings={"en": Rendering("Kim Jong Un")})
    result = pipeline.translate("Ким Чен Ын посетил Пхеньян.", target="en", source="ru")
    assert result.translation == "Kim Jong Un visited Pyongyang."
    assert term(result, "Kim Jong-un").strategy == "respell"


def test_unknown_strategy_is_refused(pipeline):
    with pytest.raises(ValueError, match="unknown strategies"):
        Enforcer(pipeline.engine, GlossaryStore(pipeline.settings.glossary_dir), strategies=("guess",))


# -- markup and placeholder look-alikes --------------------------------------------------------

def test_bold_term_in_html_keeps_its_tags_and_rendering(pipeline):
    result = pipeline.translate("<p>Kim Jong-un met with <b>Pak Jong-chon</b> in Pyongyang.</p>",
                                target="ru", source="en", format="html")
    assert result.translation == "<p>Ким Чен Ын встретился с <b>Пак Чон Чхоном</b> в Пхеньяне.</p>"


def test_bold_and_linked_terms_in_markdown(pipeline):
    result = pipeline.translate("**Olga Lyubimova** visited [Pyongyang](https://example.org/p).",
                                target="ru", source="en", format="markdown")
    assert result.translation == "**Ольга Любимова** посетила [Пхеньян](https://example.org/p)."
    assert all(t.status == "applied" for t in result.terms)


def test_text_holding_a_placeholder_look_alike_keeps_it(pipeline):
    result = pipeline.translate("Kim Jong-un met with Pak Jong-chon ⟦0⟧ in Pyongyang.", target="ru", source="en")
    assert "⟦0⟧" in result.translation
    assert "Пак Чон Чхоном" in result.translation
    assert not [w for w in result.warnings if "placeholders" in w]


# -- statuses ----------------------------------------------------------------------------------

def test_wrong_case_form_is_misinflected_not_applied(pipeline):
    enforcer = pipeline.glossary_enforcer()
    glossary = enforcer.store.snapshot()
    occurrences = enforcer._occurrences(glossary, "en", "ru", "Kim Jong-un met with Olga Lyubimova.")
    outcome = enforcer._report(glossary, "ru", occurrences, "Ким Чен Ыне встретился с Ольгой Любимовой.", "model")
    kim, olga = outcome.terms
    assert (kim.status, olga.status) == ("misinflected", "applied")
    assert any("Ким Чен Ыне" in w and "preposition" in w for w in outcome.warnings)


# -- the context rules themselves ---------------------------------------------------------------

@pytest.mark.parametrize("before, case", [
    ("", "nom"), ("Визит ", "gen"), ("Ким Чен Ын встретился с ", "ins"), ("Он рассказал о ", "pre"),
    ("Он направился к ", "dat"), ("Он прибыл в ", "acc"), ("Церемония прошла в ", "pre"),
    ("Делегация вернулась из ", "gen"), ("Он поблагодарил ", "acc"),
    # coordination: the case of the first conjunct, whatever its own (foreign) ending
    ("Ким Чен Ын и ", "nom"), ("Переговоры между Ким Чжу Э и ", "ins"), ("Визит Ким Чен Ына и ", "gen"),
    ("Он встретился с министром культуры и ", "ins"),
])
def test_context_case_after_governing_words(before, case):
    assert russian.context_cases(before)[0] == case


def test_place_form_declines_and_agrees_without_a_model():
    table = {("nom", "sg"): "Хён Сон Воль", ("ins", "sg"): "Хён Сон Воль"}
    text, form = place_form("Ким Чен Ын встретился с X.", 24, 25, {("nom", "sg"): "Пак Чон Чхон",
                            ("ins", "sg"): "Пак Чон Чхоном", ("gen", "sg"): "Пак Чон Чхона"}, "ru",
                            category="person")
    assert (text, form) == ("Ким Чен Ын встретился с Пак Чон Чхоном.", "Пак Чон Чхоном")
    text, _ = place_form("X вернулся в Пхеньян.", 0, 1, table, "ru", gender="f")
    assert text == "Хён Сон Воль вернулась в Пхеньян."
    text, _ = place_form("X는 평양을 방문했다.", 0, 1, {("nom", "sg"): "박정천"}, "ko")
    assert text == "박정천은 평양을 방문했다."


def test_gender_is_not_forced_on_an_object():
    text = "Ким Чен Ын принял Чвэ Сон Хи в Сеуле."
    assert russian.agree_gender(text, 18, 28, "f") == (text, None)
