"""A given source language that the text contradicts is refused, unless forced; mixed articles
report each paragraph's language. As users meet it: the `glossa translate` subprocess and a real
server on 127.0.0.1 with the demo models. Expected translations are never hard-coded: forced and
mixed results must equal what ``Pipeline`` answers for the same input.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import httpx
import pytest

from service.pipeline import Pipeline
from support.server import glossary_copy, install_packages, running_server, settings_for

ENGLISH = "Kim Jong-un met with Olga Lyubimova in Pyongyang."
KOREAN = "김정은은 평양에서 올가 류비모바와 만났다."
RUSSIAN = "Ким Чен Ын встретился с Ольгой Любимовой в Пхеньяне."
# Headlines that issue 14 found refused as Tagalog, Estonian, Latvian, Welsh and Norwegian.
ISSUE_HEADLINES = [
    "Kim Jong-un met Olga Lyubimova in Pyongyang.",
    "Kim meets Lyubimova in Pyongyang",
    "Lavrov visits Seoul",
    "Shoigu in Pyongyang",
    "KCNA: Kim Jong-un visits Mansudae Assembly Hall",
    "Yoon Suk-yeol impeached",
    "Peskov: Kremlin studying Kim letter",
]


@pytest.fixture(scope="module")
def env(demo_settings) -> dict[str, str]:
    return {**os.environ, "ARGOS_PACKAGES_DIR": str(demo_settings.packages_dir)}


def glossa(env: dict[str, str], *args: str, stdin: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "service", "translate", *args], input=stdin,
                          capture_output=True, text=True, env=env, timeout=180)


@pytest.mark.parametrize("headline", ISSUE_HEADLINES[:3])
def test_cli_translates_english_headlines_full_of_names(env, headline: str) -> None:
    proc = glossa(env, "-t", "ru", "--json", stdin=headline)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["source"] == "en" and result["translation"].strip()


@pytest.mark.parametrize(("source", "target", "text", "seen"), [
    ("ko", "ru", ENGLISH, "'en'"),   # ko for text without Hangul
    ("ru", "en", KOREAN, "'ko'"),    # ru for text without Cyrillic
    ("en", "ko", RUSSIAN, "'ru'"),   # en for Cyrillic text
    ("en", "ru", KOREAN, "'ko'"),    # en for Hangul text
])
def test_cli_refuses_a_contradicted_source_unless_forced(env, source: str, target: str, text: str,
                                                         seen: str) -> None:
    proc = glossa(env, "-s", source, "-t", target, stdin=text)
    assert proc.returncode == 2, proc.stderr
    assert f"source '{source}'" in proc.stderr and seen in proc.stderr and "--force-source" in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    forced = glossa(env, "-s", source, "-t", target, "--force-source", stdin=text)
    assert forced.returncode == 0, forced.stderr


def test_cli_names_bulgarian_instead_of_translating_it_as_russian(env) -> None:
    proc = glossa(env, "-t", "en", stdin="Парламентът в Сеул отстрани Юн Сук Йол")
    assert proc.returncode == 1 and "'bg'" in proc.stderr, proc.stderr


@pytest.fixture(scope="module")
def service(demo_models_dir, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("api-source")
    packages = install_packages(sorted(demo_models_dir.glob("*.argosmodel")), tmp / "packages")
    settings = settings_for(packages, glossary_copy(tmp / "glossary"))
    with running_server(settings) as url:
        yield url, Pipeline(settings)


def test_http_refuses_a_contradicted_source_with_422_unless_forced(service) -> None:
    url, library = service
    body = {"text": ENGLISH, "source": "ko", "target": "ru"}
    refused = httpx.post(f"{url}/v1/translate", json=body, timeout=120)
    assert refused.status_code == 422, refused.text
    error = refused.json()["error"]
    assert error["code"] == "source_mismatch"
    assert "'ko'" in error["message"] and "'en'" in error["message"] and "force_source" in error["message"]
    forced = httpx.post(f"{url}/v1/translate", json={**body, "force_source": True}, timeout=120)
    assert forced.status_code == 200, forced.text
    expected = library.translate(ENGLISH, source="ko", target="ru", force_source=True).to_dict()
    assert forced.json()["results"][0] == expected


@pytest.mark.parametrize("headline", ISSUE_HEADLINES)
def test_http_translates_the_issue_headlines(service, headline: str) -> None:
    url, _ = service
    response = httpx.post(f"{url}/v1/translate", json={"text": headline, "target": "ru"}, timeout=120)
    assert response.status_code == 200, response.text
    assert response.json()["results"][0]["detected"]["language"] == "en"


def test_http_reports_each_paragraph_language_of_a_mixed_article(service) -> None:
    """An English headline over Korean copy: the article is Korean, the headline stays English."""
    url, library = service
    article = f"{ENGLISH}\n\n{KOREAN}\n\n{KOREAN}"
    response = httpx.post(f"{url}/v1/translate", json={"text": article, "target": "ru"}, timeout=120)
    assert response.status_code == 200, response.text
    result = response.json()["results"][0]
    assert result["source"] == "ko"
    paragraphs = result["detected"]["paragraphs"]
    assert [p["language"] for p in paragraphs] == ["en", "ko", "ko"]
    assert [article[p["start"]:p["end"]] for p in paragraphs] == [ENGLISH, KOREAN, KOREAN]
    assert result == library.translate(article, target="ru").to_dict()


def test_hangul_names_and_quotes_do_not_make_english_copy_korean(demo_pipeline) -> None:
    quote = 'Kim said "우리는 준비되어 있다" at the meeting.'
    article = f"{ENGLISH}\n\nKim Jong-un (김정은)\n\n{quote}\n\n{ENGLISH}"
    result = demo_pipeline.translate(article, target="ru")
    assert result.source == "en"
    assert [p["language"] for p in result.detected["paragraphs"]] == ["en", "en", "en", "en"]


def test_libretranslate_route_translates_an_issue_headline(service) -> None:
    url, library = service
    response = httpx.post(f"{url}/translate", json={"q": "Shoigu in Pyongyang", "source": "auto",
                                                     "target": "ru"}, timeout=120)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["detectedLanguage"]["language"] == "en"
    assert answer["translatedText"] == library.translate("Shoigu in Pyongyang", target="ru").translation
