"""The HTTP service translates like the library, with the demo models, on a real loopback server:
all six directions, LibreTranslate's own client, 32 requests at once, and glossary edits (over
HTTP and with the CLI) visible in the next translation without a restart.

Expected outputs are never hard-coded: the server must answer exactly what ``Pipeline`` answers
for the same text and settings.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import httpx
import pytest
from libretranslatepy import LibreTranslateAPI

from scripts import demo_corpus
from service.pipeline import Pipeline
from support.server import glossary_copy, install_packages, running_server, settings_for

KEY = "editor-key"
DIRECTIONS = [(a, b) for a in ("en", "ko", "ru") for b in ("en", "ko", "ru") if a != b]


def source_sentences(lang: str, n: int) -> list[str]:
    """Held-out demo sentences (never seen in training) written in ``lang``."""
    corpus = demo_corpus
    other = "en" if lang != "en" else "ru"
    return [src for src, _ in corpus.heldout(lang, other, n=n)]


@pytest.fixture(scope="module")
def service(demo_models_dir, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("api-demo")
    packages = install_packages(sorted(demo_models_dir.glob("*.argosmodel")), tmp / "packages")
    settings = settings_for(packages, glossary_copy(tmp / "glossary"), api_keys=(KEY,))
    with running_server(settings) as url:
        yield url, settings, Pipeline(settings)


def _post(url: str, body: dict) -> dict:
    response = httpx.post(f"{url}/v1/translate", json=body, timeout=120)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize(("source", "target"), DIRECTIONS)
def test_six_directions_equal_the_library(service, source: str, target: str) -> None:
    url, _, library = service
    texts = source_sentences(source, 2)
    answer = _post(url, {"texts": texts, "source": source, "target": target})
    expected = [r.to_dict() for r in library.translate_many(
        [_request(t, target, source) for t in texts])]
    assert answer["results"] == expected
    for result in answer["results"]:
        assert result["translation"].strip() and result["source"] == source and result["target"] == target
        assert any("DEMO" in w for w in result["warnings"])  # never mistaken for real MT
        assert len(result["models"]) == (1 if "en" in (source, target) else 2)  # ko<->ru via en
    assert answer["models"] == answer["results"][0]["models"]


def _request(text: str, target: str, source: str = "auto"):
    from service.pipeline import TranslationRequest

    return TranslationRequest(text, target, source)


def test_auto_source_is_detected_and_reported(service) -> None:
    url, _, library = service
    for source, target in (("en", "ko"), ("ko", "ru"), ("ru", "en")):
        text = " ".join(source_sentences(source, 3))
        result = _post(url, {"text": text, "target": target})["results"][0]
        assert result["source"] == source and result["detected"]["language"] == source
        assert 0 < result["detected"]["confidence"] <= 1
        assert result == library.translate(text, target=target).to_dict()


def test_libretranslate_client_works_unchanged(service) -> None:
    url, _, library = service
    client = LibreTranslateAPI(url)
    en, ru = source_sentences("en", 1)[0], source_sentences("ru", 1)[0]
    assert client.translate(en, "en", "ru") == library.translate(en, source="en", target="ru").translation
    assert client.translate(ru, "auto", "ko") == library.translate(ru, target="ko").translation
    detected = client.detect(ru)
    assert detected[0]["language"] == "ru" and 0 < detected[0]["confidence"] <= 100
    languages = {lang["code"]: set(lang["targets"]) for lang in client.languages()}
    assert languages == {"en": {"ko", "ru"}, "ko": {"en", "ru"}, "ru": {"en", "ko"}}
    # JSON bodies and lists of texts, as LibreTranslate accepts them.
    texts = source_sentences("ko", 2)
    answer = httpx.post(f"{url}/translate", json={"q": texts, "source": "auto", "target": "en"}).json()
    assert answer["translatedText"] == [library.translate(t, target="en").translation for t in texts]
    assert [d["language"] for d in answer["detectedLanguage"]] == ["ko", "ko"]
    single = httpx.post(f"{url}/translate", json={"q": texts[0], "source": "ko", "target": "en"}).json()
    assert set(single) == {"translatedText", "glossa"}  # no detectedLanguage without auto; Glossa's report rides along


def test_32_concurrent_requests_all_answered_correctly(service) -> None:
    url, _, library = service
    jobs = []
    for i, (source, target) in enumerate(DIRECTIONS * 6):
        if len(jobs) == 32:
            break
        jobs.append((source_sentences(source, 6)[i // len(DIRECTIONS)], source, target))

    async def burst() -> list[httpx.Response]:
        async with httpx.AsyncClient(limits=httpx.Limits(max_connections=64), timeout=300) as client:
            return await asyncio.gather(*(
                client.post(f"{url}/v1/translate", json={"text": t, "source": s, "target": g})
                for t, s, g in jobs))

    responses = asyncio.run(burst())
    assert [r.status_code for r in responses] == [200] * 32
    expected = library.translate_many([_request(t, g, s) for t, s, g in jobs])
    assert [r.json()["results"][0] for r in responses] == [e.to_dict() for e in expected]
    metrics = httpx.get(f"{url}/metrics").text
    assert 'glossa_http_requests_total{method="POST",route="/v1/translate",status="200"}' in metrics
    batched = next(line for line in metrics.splitlines() if line.startswith("glossa_batched_requests_total "))
    assert float(batched.split()[1]) >= 32


def _term_rendered(url: str, text: str, concept: str) -> list[dict]:
    result = _post(url, {"text": text, "source": "en", "target": "ru"})["results"][0]
    return [t for t in result["terms"] if t["concept"] == concept], result["translation"]


def test_glossary_edits_over_http_and_cli_apply_to_the_next_translation(service) -> None:
    url, settings, _ = service
    # A held-out sentence with a glossary term in it, and the concept the server reports for it.
    for text in source_sentences("en", 40):
        terms = _post(url, {"text": text, "source": "en", "target": "ru"})["results"][0]["terms"]
        if terms:
            break
    else:
        pytest.fail("no held-out demo sentence holds a glossary term")
    concept = terms[0]["concept"]
    auth = {"Authorization": f"Bearer {KEY}"}

    changed = httpx.put(f"{url}/v1/glossary/{concept}", headers=auth,
                        json={"renderings": {"ru": {"text": "Тестоград", "indeclinable": True}}})
    assert changed.status_code == 200, changed.text
    assert changed.json()["renderings"]["ru"]["text"] == "Тестоград"
    found, translation = _term_rendered(url, text, concept)
    assert found and all(t["rendering"] == "Тестоград" for t in found)
    assert all(t["status"] in ("applied", "missed") for t in found)
    if any(t["status"] == "applied" for t in found):
        assert "Тестоград" in translation

    # The CLI writes the same files (another process, same lock); the server sees it at once.
    env = {**os.environ, "GLOSSA_GLOSSARY_DIR": str(settings.glossary_dir)}
    cli = subprocess.run([sys.executable, "-m", "service", "glossary", "update", concept, "--ru", "Клигород"],
                         capture_output=True, text=True, env=env, timeout=120)
    assert cli.returncode == 0, cli.stderr
    found, translation = _term_rendered(url, text, concept)
    assert found and all(t["rendering"] == "Клигород" for t in found)
    assert httpx.get(f"{url}/v1/glossary/{concept}").json()["renderings"]["ru"]["text"] == "Клигород"

    # Retired: no longer enforced or reported.
    assert httpx.delete(f"{url}/v1/glossary/{concept}", headers=auth).status_code == 200
    found, _ = _term_rendered(url, text, concept)
    assert found == []


def test_catalog_health_ready_metrics(service) -> None:
    url, _, _ = service
    assert httpx.get(f"{url}/health").json()["status"] == "ok"
    ready = httpx.get(f"{url}/ready")
    assert ready.status_code == 200 and ready.json()["ready"] is True
    models = httpx.get(f"{url}/v1/models").json()["models"]
    assert sorted(m["pair"] for m in models) == ["en->ko", "en->ru", "ko->en", "ru->en"]
    assert all(m["demo"] for m in models)
    languages = {lang["code"]: {r["target"]: r for r in lang["routes"]}
                 for lang in httpx.get(f"{url}/v1/languages").json()["languages"]}
    assert languages["ko"]["ru"]["available"] and languages["ko"]["ru"]["pivot"] == "en"
    assert languages["en"]["ru"]["pivot"] is None
    text = httpx.get(f"{url}/metrics").text
    for name in ("glossa_http_requests_total", "glossa_http_request_duration_seconds_bucket",
                 "glossa_translated_characters_total", "glossa_glossary_terms_total", "glossa_queue_depth"):
        assert f"\n{name}" in text, name
    assert httpx.get(f"{url}/openapi.json").json()["info"]["title"] == "Glossa"


def _loaded_pairs(pipeline: Pipeline) -> list[str]:
    return sorted(key.split("@")[0] for key in pipeline.engine.stats()["loaded_models"])


@pytest.mark.parametrize("preload", ["none", "all"])
def test_ready_proves_every_model_and_keeps_what_preload_says(demo_models_dir, tmp_path, preload) -> None:
    packages = install_packages(sorted(demo_models_dir.glob("*.argosmodel")), tmp_path / "packages")
    settings = settings_for(packages, glossary_copy(tmp_path / "glossary"), preload=preload)
    pipeline = Pipeline(settings)
    with running_server(settings, pipeline=pipeline) as url:
        used = _post(url, {"text": source_sentences("en", 1)[0], "source": "en", "target": "ru"})
        assert used["results"][0]["translation"].strip()
        assert _loaded_pairs(pipeline) == ["en-ru"]
        ready = httpx.get(f"{url}/ready", timeout=120)
        assert ready.status_code == 200 and len(ready.json()["models"]) == 4
        if preload == "none":  # each proven, then released unless a request had loaded it
            assert _loaded_pairs(pipeline) == ["en-ru"]
        else:
            assert _loaded_pairs(pipeline) == ["en-ko", "en-ru", "ko-en", "ru-en"]
        again = _post(url, {"text": source_sentences("ko", 1)[0], "source": "ko", "target": "en"})
        assert again["results"][0]["translation"].strip()
        assert "ko-en" in _loaded_pairs(pipeline)


def test_ready_is_503_without_models(tmp_path) -> None:
    (tmp_path / "empty").mkdir()
    with running_server(settings_for(tmp_path / "empty", tmp_path / "glossary")) as url:
        ready = httpx.get(f"{url}/ready")
        assert ready.status_code == 503 and ready.json()["ready"] is False
        assert "glossa models ensure" in ready.json()["problems"][0]
        response = httpx.post(f"{url}/v1/translate", json={"text": "Hello.", "source": "en", "target": "ko"})
        assert response.status_code == 422 and response.json()["error"]["code"] == "model_not_found"
