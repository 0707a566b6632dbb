"""LibreTranslate's ``alternatives`` on a real server with the demo CTranslate2 models: other
translations of the whole text, taken from the model's own n-best list (never padded), as
LibreTranslate documents them (a list per text, a list of lists for a batch, absent when not
asked for, 400 above the limit).

Expected values come from the engine's hypotheses or the ``Pipeline`` for the same text, never
hard-coded. libretranslatepy has no ``alternatives`` parameter, so these requests are raw httpx.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from scripts import demo_corpus
from service.pipeline import Pipeline, TranslationRequest
from support.server import glossary_copy, install_packages, running_server, settings_for


@pytest.fixture(scope="module")
def service(demo_models_dir, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("api-libre-alternatives")
    packages = install_packages(sorted(demo_models_dir.glob("*.argosmodel")), tmp / "packages")
    settings = settings_for(packages, glossary_copy(tmp / "glossary"))
    with running_server(settings) as url:
        yield url, Pipeline(settings)


def heldout(source: str, target: str, n: int) -> list[str]:
    """Held-out sources; ko->ru (no demo model of its own: the pivot) takes ko->en's."""
    return [src for src, _ in demo_corpus.heldout(source, "en" if source == "ko" else target, n=n)]


def post(url: str, body: dict, **kwargs) -> httpx.Response:
    return httpx.post(f"{url}/translate", json=body, timeout=120, **kwargs)


def n_best(library: Pipeline, text: str, source: str, target: str, count: int) -> list[str]:
    """What the model itself ranks after its best translation: the route's last hop decodes
    ``count + 1`` hypotheses (the first hop, if any, its best one), distinct, without ``main``."""
    route = library.route(source, target)
    texts = [text]
    for package in route[:-1]:
        texts = library.engine.translate(package, texts)
    last = route[-1]
    hyps = library.engine.translate_tokens(last, library.engine.tokenize(last, texts), num_hypotheses=count + 1)[0]
    main = library.translate(text, source=source, target=target, glossary=False).translation
    return list(dict.fromkeys(h.text for h in hyps if h.text.strip() and h.text != main))[:count]


@pytest.mark.parametrize(("source", "target"), [("en", "ru"), ("ko", "en"), ("ko", "ru")])
def test_alternatives_are_the_models_own_hypotheses(service, source: str, target: str) -> None:
    """Without a glossary, a sentence's alternatives are exactly the model's n-best list after
    its best translation (through the English pivot: the last hop's), and the best translation
    is the one a request without alternatives gets."""
    url, library = service
    offered = 0
    for text in heldout(source, target, 4):
        plain = library.translate(text, source=source, target=target, glossary=False)
        result = library.translate_many([TranslationRequest(text, target, source, glossary=False, alternatives=3)])[0]
        assert result.translation == plain.translation
        assert result.alternatives == n_best(library, text, source, target, 3)
        assert plain.translation not in result.alternatives
        offered += len(result.alternatives)
    assert offered > 0  # the demo models do rank other translations: the check above is not vacuous


def test_route_returns_alternatives_as_libretranslate_does(service) -> None:
    url, library = service
    texts = heldout("en", "ru", 3)
    for text in texts:
        expected = library.translate_many([TranslationRequest(text, "ru", "en", alternatives=3)])[0]
        body = post(url, {"q": text, "source": "en", "target": "ru", "alternatives": 3}).json()
        assert body["translatedText"] == expected.translation == library.translate(
            text, source="en", target="ru").translation
        assert body["alternatives"] == expected.alternatives
        assert len(body["alternatives"]) <= 3 and len(set(body["alternatives"])) == len(body["alternatives"])
        assert body["translatedText"] not in body["alternatives"]
    # Form bodies carry the count as a string (what LibreTranslate's own page sends).
    by_form = httpx.post(f"{url}/translate", data={"q": texts[0], "source": "en", "target": "ru",
                                                   "alternatives": "2"}, timeout=120).json()
    assert by_form["alternatives"] == library.translate_many(
        [TranslationRequest(texts[0], "ru", "en", alternatives=2)])[0].alternatives


def test_alternatives_absent_unless_asked_and_limited(service) -> None:
    url, _ = service
    text = heldout("en", "ko", 1)[0]
    for extra in ({}, {"alternatives": 0}, {"alternatives": -2}):
        body = post(url, {"q": text, "source": "en", "target": "ko", **extra}).json()
        assert "alternatives" not in body and body["translatedText"]
    too_many = post(url, {"q": text, "source": "en", "target": "ko", "alternatives": 4})
    assert too_many.status_code == 400
    assert too_many.json() == {"error": "Invalid request: alternatives parameter must be <= 3"}
    not_a_number = post(url, {"q": text, "source": "en", "target": "ko", "alternatives": "three"})
    assert not_a_number.status_code == 400 and set(not_a_number.json()) == {"error"}


def test_batch_gets_a_list_per_text_and_empty_strings_none(service) -> None:
    url, library = service
    texts = heldout("ru", "en", 2)
    body = post(url, {"q": [texts[0], "", texts[1]], "source": "ru", "target": "en", "alternatives": 2}).json()
    expected = library.translate_many([TranslationRequest(t, "en", "ru", alternatives=2) for t in texts])
    assert body["translatedText"] == [expected[0].translation, "", expected[1].translation]
    assert body["alternatives"] == [expected[0].alternatives, [], expected[1].alternatives]


def test_multi_sentence_alternative_swaps_sentences_for_their_hypotheses(service) -> None:
    """Alternative k of an article: each sentence's k-th alternative where it has one, its best
    translation elsewhere (sentences translate the same alone and in an article)."""
    url, library = service
    sentences = heldout("ko", "en", 6)[3:6]
    alone = [library.translate_many([TranslationRequest(s, "en", "ko", glossary=False, alternatives=3)])[0]
             for s in sentences]
    text = " ".join(sentences)
    whole = library.translate_many([TranslationRequest(text, "en", "ko", glossary=False, alternatives=3)])[0]
    assert whole.translation == " ".join(r.translation for r in alone)
    expected = []
    for k in range(3):
        if not any(len(r.alternatives) > k for r in alone):
            break
        candidate = " ".join(r.alternatives[k] if len(r.alternatives) > k else r.translation for r in alone)
        if candidate != whole.translation and candidate not in expected:
            expected.append(candidate)
    assert expected and whole.alternatives == expected
    body = post(url, {"q": text, "source": "ko", "target": "en", "alternatives": 3, "house_glossary": False}).json()
    assert body["alternatives"] == expected


def test_alternatives_keep_the_glossary_renderings(service) -> None:
    """With the house glossary, every alternative names each applied term with the rendering
    the translation has (hypotheses that do not are not offered)."""
    url, library = service
    text = "Kim Jong-un met with Olga Lyubimova in Pyongyang. Sergei Lavrov discussed cooperation with Kim Jong-Un."
    result = library.translate_many([TranslationRequest(text, "ru", "en", alternatives=3)])[0]
    applied = [t.rendering for t in result.terms if t.status == "applied"]
    assert applied
    without_glossary = library.translate_many(
        [TranslationRequest(text, "ru", "en", glossary=False, alternatives=3)])[0].alternatives
    assert any(any(r not in alt for r in applied) for alt in without_glossary)  # the check bites
    assert result.alternatives  # and some hypotheses pass it
    for alternative in result.alternatives:
        for rendering in applied:
            assert alternative.count(rendering) >= result.translation.count(rendering), (rendering, alternative)
    body = post(url, {"q": text, "source": "en", "target": "ru", "alternatives": 3}).json()
    assert body["alternatives"] == result.alternatives


def test_concurrent_requests_with_and_without_alternatives_share_the_batcher(service) -> None:
    url, library = service
    texts = heldout("en", "ru", 4)
    counts = [0, 3, 1, 3]
    with ThreadPoolExecutor(len(texts)) as pool:
        bodies = list(pool.map(lambda tc: post(url, {"q": tc[0], "source": "en", "target": "ru",
                                                      **({"alternatives": tc[1]} if tc[1] else {})}).json(),
                               zip(texts, counts)))
    for text, count, body in zip(texts, counts, bodies):
        expected = library.translate_many([TranslationRequest(text, "ru", "en", alternatives=count)])[0]
        assert body["translatedText"] == expected.translation
        assert body.get("alternatives", []) == expected.alternatives
