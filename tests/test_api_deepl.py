"""The DeepL-compatible API, driven by the official ``deepl`` client library unchanged
(``server_url`` pointed at a real Glossa server on 127.0.0.1), plus the raw shapes curl users see.

Expected translations are never hard-coded: they must equal what ``Pipeline`` answers.
"""

from __future__ import annotations

import deepl
import httpx
import pytest

from scripts import demo_corpus
from service.pipeline import Pipeline
from support.server import glossary_copy, install_packages, running_server, settings_for

KEY = "desk-key"


@pytest.fixture(scope="module")
def service(demo_models_dir, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("api-deepl")
    packages = install_packages(sorted(demo_models_dir.glob("*.argosmodel")), tmp / "packages")
    settings = settings_for(packages, glossary_copy(tmp / "glossary"), api_keys=(KEY,))
    with running_server(settings) as url:
        yield url, settings, Pipeline(settings)


@pytest.fixture
def translator(service):
    url, _, _ = service
    # send_platform_info off: nothing about this machine goes anywhere (it is loopback anyway).
    client = deepl.Translator(KEY, server_url=url, send_platform_info=False)
    yield client
    client.close()


def heldout(source: str, target: str, n: int) -> list[str]:
    return [src for src, _ in demo_corpus.heldout(source, target, n=n)]


def test_translate_text_equals_the_library(service, translator) -> None:
    _, _, library = service
    en = heldout("en", "ru", 2)
    results = translator.translate_text(en, target_lang="RU")
    assert [r.text for r in results] == [library.translate(t, source="auto", target="ru").translation for t in en]
    assert all(r.detected_source_lang == "EN" for r in results)
    assert [r.billed_characters for r in results] == [len(t) for t in en]
    ko = heldout("ko", "en", 1)[0]
    one = translator.translate_text(ko, source_lang="KO", target_lang="EN-GB")
    assert one.text == library.translate(ko, source="ko", target="en").translation
    assert translator.translate_text(ko, target_lang="EN-US").text == one.text


def test_html_tag_handling_keeps_tags(service, translator) -> None:
    _, _, library = service
    sentence = heldout("en", "ru", 1)[0]
    html = f"<p><b>{sentence}</b></p>"
    result = translator.translate_text(html, target_lang="RU", tag_handling="html")
    assert result.text == library.translate(html, target="ru", format="html").translation
    assert result.text.startswith("<p><b>") and result.text.endswith("</b></p>")


def test_languages_and_usage(translator) -> None:
    sources = {lang.code: lang.name for lang in translator.get_source_languages()}
    assert sources == {"EN": "English", "KO": "Korean", "RU": "Russian"}
    targets = {lang.code for lang in translator.get_target_languages()}
    assert targets == {"EN-GB", "EN-US", "KO", "RU"}
    before = translator.get_usage().character.count
    translator.translate_text("Kim Jong-un visited Moscow.", target_lang="KO")
    usage = translator.get_usage()
    assert usage.character.count == before + len("Kim Jong-un visited Moscow.")
    assert not usage.any_limit_reached


def test_errors_are_deepl_shaped(service, translator) -> None:
    url, _, _ = service
    with pytest.raises(deepl.DeepLException, match="target_lang"):
        translator.translate_text("Kim Jong-un visited Moscow.", target_lang="DE")
    with pytest.raises(deepl.DeepLException, match="formality"):
        translator.translate_text("Kim Jong-un visited Moscow.", target_lang="RU", formality="more")
    # prefer_* falls back to the default, as DeepL does for languages without formality.
    assert translator.translate_text("Kim Jong-un visited Moscow.", target_lang="RU",
                                     formality="prefer_more").text
    # Unsupported source text is refused, never translated as garbage.
    answer = httpx.post(f"{url}/v2/translate", json={"text": ["Добрий день, як справи у вас сьогодні?"],
                                                     "target_lang": "EN-GB"})
    assert answer.status_code == 400 and set(answer.json()) >= {"message"}
    answer = httpx.post(f"{url}/v2/translate", json={"target_lang": "RU"})
    assert answer.status_code == 400 and "text" in answer.json()["message"]
    assert httpx.get(f"{url}/v2/nothing-here").status_code == 404
    assert "message" in httpx.get(f"{url}/v2/nothing-here").json()


def test_form_bodies_and_query_strings_like_curl(service) -> None:
    url, _, library = service
    en = heldout("en", "ko", 2)
    # curl -d 'text=...' -d 'text=...' -d target_lang=KO : raw UTF-8 form fields, repeated.
    answer = httpx.post(f"{url}/v2/translate", data={"text": en, "target_lang": "KO"},
                        headers={"Authorization": f"DeepL-Auth-Key {KEY}"})
    assert answer.status_code == 200, answer.text
    assert [t["text"] for t in answer.json()["translations"]] == [
        library.translate(t, target="ko").translation for t in en]
    # Glossa's report rides along in an extension field DeepL clients ignore.
    extension = answer.json()["translations"][0]["glossa"]
    assert extension["demo"] is True and isinstance(extension["terms"], list)
    query = httpx.post(f"{url}/v2/translate", params={"text": en[0], "target_lang": "KO"})
    assert query.json()["translations"][0]["text"] == answer.json()["translations"][0]["text"]
    # Empty strings come back empty, the others are translated.
    mixed = httpx.post(f"{url}/v2/translate", json={"text": ["", en[0]], "target_lang": "KO"}).json()
    assert [t["text"] for t in mixed["translations"]] == ["", answer.json()["translations"][0]["text"]]


def test_keys_when_translation_requires_one(demo_models_dir, tmp_path) -> None:
    packages = install_packages(sorted(demo_models_dir.glob("*.argosmodel")), tmp_path / "packages")
    settings = settings_for(packages, glossary_copy(tmp_path / "glossary"), api_keys=(KEY,),
                            translate_requires_key=True)
    with running_server(settings) as url:
        wrong = deepl.Translator("not-a-key", server_url=url, send_platform_info=False)
        with pytest.raises(deepl.AuthorizationException):
            wrong.translate_text("Kim Jong-un visited Moscow.", target_lang="RU")
        wrong.close()
        right = deepl.Translator(KEY, server_url=url, send_platform_info=False)
        assert right.translate_text("Kim Jong-un visited Moscow.", target_lang="RU").text
        right.close()
        assert httpx.get(f"{url}/v2/usage").status_code == 403
