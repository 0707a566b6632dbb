"""LibreTranslate fidelity on a real server: the behaviour LibreTranslate documents for its API
(paths, parameters from query string, form or JSON, error shape and status, file translation,
front-end settings, spec, suggestions), checked as its own API tests check it, plus Glossa's
extension field. Written from LibreTranslate's documented behaviour; no code of its copied.

Translations are compared with what ``Pipeline`` answers for the same text, never hard-coded.
"""

from __future__ import annotations

import httpx
import pytest

from scripts import demo_corpus
from service.pipeline import Pipeline
from support.server import glossary_copy, install_packages, running_server, settings_for


@pytest.fixture(scope="module")
def service(demo_models_dir, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("api-libre")
    packages = install_packages(sorted(demo_models_dir.glob("*.argosmodel")), tmp / "packages")
    settings = settings_for(packages, glossary_copy(tmp / "glossary"))
    with running_server(settings) as url:
        yield url, Pipeline(settings)


def heldout(source: str, target: str, n: int) -> list[str]:
    return [src for src, _ in demo_corpus.heldout(source, target, n=n)]


def test_translate_reads_query_string_form_and_json(service) -> None:
    url, library = service
    text = heldout("en", "ru", 1)[0]
    expected = library.translate(text, source="en", target="ru").translation
    by_query = httpx.post(f"{url}/translate", params={"q": text, "source": "en", "target": "ru"})
    by_form = httpx.post(f"{url}/translate", data={"q": text, "source": "en", "target": "ru"})
    by_json = httpx.post(f"{url}/translate", json={"q": text, "source": "en", "target": "ru"})
    for response in (by_query, by_form, by_json):
        assert response.status_code == 200, response.text
        assert response.json()["translatedText"] == expected


def test_batches_keep_empty_strings_empty(service) -> None:
    url, library = service
    texts = heldout("ko", "en", 2)
    answer = httpx.post(f"{url}/translate", json={"q": [texts[0], "", texts[1]], "source": "ko", "target": "en"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["translatedText"] == [library.translate(texts[0], source="ko", target="en").translation, "",
                                               library.translate(texts[1], source="ko", target="en").translation]


def test_extension_field_reports_terms_warnings_and_demo(service) -> None:
    url, library = service
    text = "Kim Jong-un met with Olga Lyubimova in Pyongyang."
    answer = httpx.post(f"{url}/translate", json={"q": text, "source": "en", "target": "ru"}).json()
    expected = library.translate(text, source="en", target="ru")
    assert answer["translatedText"] == expected.translation
    extension = answer["glossa"]
    assert extension["demo"] is True
    assert any("DEMO" in w for w in extension["warnings"])
    assert [t["concept"] for t in extension["terms"]] == [t.concept for t in expected.terms]
    assert {t["status"] for t in extension["terms"]} == {t.status for t in expected.terms}


def test_errors_are_libretranslate_shaped(service) -> None:
    url, _ = service
    cases = [
        httpx.post(f"{url}/translate", json={"source": "en", "target": "ru"}),
        httpx.post(f"{url}/translate", json={"q": "Hello.", "source": "en", "target": "de"}),
        httpx.post(f"{url}/translate", json={"q": "", "source": "en", "target": "ru"}),
        httpx.post(f"{url}/detect", json={}),
    ]
    for response in cases:
        assert response.status_code == 400, response.text
        body = response.json()
        assert set(body) == {"error"} and isinstance(body["error"], str) and body["error"]


def test_translate_file_round_trip(service, tmp_path) -> None:
    url, library = service
    sentences = heldout("en", "ko", 2)
    markdown = f"# {sentences[0]}\n\n{sentences[1]}\n"
    answer = httpx.post(f"{url}/translate_file", data={"source": "en", "target": "ko"},
                        files={"file": ("article.md", markdown.encode("utf-8"), "text/markdown")})
    assert answer.status_code == 200, answer.text
    link = answer.json()["translatedFileUrl"]
    assert link.startswith(url + "/download_file/") and link.endswith("article.md")
    download = httpx.get(link)
    assert download.status_code == 200
    assert download.text == library.translate(markdown, source="en", target="ko", format="markdown").translation
    refused = httpx.post(f"{url}/translate_file", data={"source": "en", "target": "ko"},
                         files={"file": ("report.pdf", b"%PDF-1.4", "application/pdf")})
    assert refused.status_code == 400 and ".txt" in refused.json()["error"]
    not_utf8 = httpx.post(f"{url}/translate_file", data={"source": "en", "target": "ko"},
                          files={"file": ("a.txt", b"\xff\xfe bad", "text/plain")})
    assert not_utf8.status_code == 400 and "UTF-8" in not_utf8.json()["error"]
    assert httpx.get(f"{url}/download_file/nothing.txt").status_code == 404


def test_frontend_settings_spec_and_suggest(service) -> None:
    url, _ = service
    settings = httpx.get(f"{url}/frontend/settings").json()
    assert settings["filesTranslation"] is True and ".md" in settings["supportedFilesFormat"]
    assert settings["keyRequired"] is False and settings["suggestions"] is False
    assert settings["charLimit"] > 0 and settings["language"]["source"]["code"] == "auto"
    spec = httpx.get(f"{url}/spec").json()
    assert "/translate" in spec["paths"] and "/translate_file" in spec["paths"]
    suggest = httpx.post(f"{url}/suggest", data={"q": "Hello", "s": "Привет", "source": "en", "target": "ru"})
    assert suggest.status_code == 403 and "disabled" in suggest.json()["error"]
