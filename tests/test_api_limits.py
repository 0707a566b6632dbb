"""The HTTP service refuses what it must: missing and wrong keys, oversize and malformed input,
unknown languages, a saturated queue, a request past its deadline. Always with a JSON error
``{"error": {"code", "message"}}`` and a 4xx (503/504 for load), never a 500.

Models here are genuine tiny Argos packages with random weights (tests/support/packages.py): the
refusals do not depend on translation quality. Quality is tested with the demo models elsewhere.
"""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path

import httpx
import pytest

from support.packages import build_package_dir
from support.server import glossary_copy, running_server, settings_for


@pytest.fixture(scope="module")
def packages(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("api-limits-packages")
    for seed, (a, b) in enumerate([("en", "ko"), ("ko", "en"), ("en", "ru"), ("ru", "en")]):
        build_package_dir(directory, a, b, seed=seed)
    return directory


def _error(response: httpx.Response, status: int, code: str | None = None) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and isinstance(body["error"]["message"], str), body
    assert body["error"]["message"].strip()
    if code is not None:
        assert body["error"]["code"] == code, body
    return body["error"]["message"]


def _libre_error(response: httpx.Response, status: int, named: str | None = None) -> str:
    """LibreTranslate's error shape: ``{"error": "message"}``."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and isinstance(body["error"], str) and body["error"].strip(), body
    if named is not None:
        assert named in body["error"], body
    return body["error"]


def _glossary_digest(directory: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(directory.glob("*.po*")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


# -- keys ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def keyed(packages, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("api-keyed")
    keys_file = tmp / "keys.txt"
    keys_file.write_text("# rotated by ops\nfile-key-1\n", encoding="utf-8")
    glossary = glossary_copy(tmp / "glossary")
    settings = settings_for(packages, glossary, api_keys=("static-key",), api_keys_file=keys_file,
                            translate_requires_key=True)
    with running_server(settings) as url:
        yield url, glossary, keys_file


def test_translation_needs_a_key_when_configured(keyed) -> None:
    url, _, _ = keyed
    body = {"text": "Hello world.", "source": "en", "target": "ko", "glossary": False}
    missing = httpx.post(f"{url}/v1/translate", json=body)
    _error(missing, 401, "unauthorized")
    assert missing.headers["www-authenticate"] == "Bearer"
    _error(httpx.post(f"{url}/v1/translate", json=body, headers={"Authorization": "Bearer nope"}), 403, "forbidden")
    ok = httpx.post(f"{url}/v1/translate", json=body, headers={"Authorization": "Bearer static-key"})
    assert ok.status_code == 200, ok.text
    # LibreTranslate clients send the key as a field.
    form = {"q": "Hello world.", "source": "en", "target": "ko"}
    # LibreTranslate answers 403 for a missing key as for a wrong one.
    _libre_error(httpx.post(f"{url}/translate", data=form), 403, "API key")
    _libre_error(httpx.post(f"{url}/translate", data={**form, "api_key": "nope"}), 403)
    assert httpx.post(f"{url}/translate", data={**form, "api_key": "file-key-1"}).status_code == 200


def test_glossary_writes_refused_without_a_valid_key_and_files_untouched(keyed) -> None:
    url, glossary, _ = keyed
    before = _glossary_digest(glossary)
    concept = {"term": "Test Minister", "category": "title", "renderings": {"ru": {"text": "тестовый министр"}}}
    calls = [
        ("POST", "/v1/glossary", {"json": concept}),
        ("PUT", "/v1/glossary/Pyongyang", {"json": {"renderings": {"ru": {"text": "Пхеньянск"}}}}),
        ("DELETE", "/v1/glossary/Pyongyang", {}),
        ("POST", "/v1/glossary/import?format=csv&lang=ru", {"content": b"Test Minister,x\n"}),
    ]
    for method, path, kwargs in calls:
        _error(httpx.request(method, url + path, **kwargs), 401, "unauthorized")
        _error(httpx.request(method, url + path, headers={"Authorization": "Bearer wrong"}, **kwargs), 403)
        _error(httpx.request(method, url + path, headers={"Authorization": "Basic c3RhdGljLWtleQ=="}, **kwargs), 401)
    assert _glossary_digest(glossary) == before
    assert httpx.get(f"{url}/v1/glossary/Pyongyang").json()["retired"] is False


def test_keys_file_is_reread_so_keys_rotate_without_restart(keyed) -> None:
    url, _, keys_file = keyed
    body = {"text": "Hello world.", "source": "en", "target": "ru", "glossary": False}
    assert httpx.post(f"{url}/v1/translate", json=body, headers={"Authorization": "Bearer file-key-1"}).status_code == 200
    keys_file.write_text("file-key-2  # new quarter\n", encoding="utf-8")
    _error(httpx.post(f"{url}/v1/translate", json=body, headers={"Authorization": "Bearer file-key-1"}), 403)
    assert httpx.post(f"{url}/v1/translate", json=body, headers={"Authorization": "Bearer file-key-2"}).status_code == 200


def test_without_configured_keys_glossary_writes_are_refused(packages, tmp_path) -> None:
    glossary = glossary_copy(tmp_path / "glossary")
    with running_server(settings_for(packages, glossary)) as url:
        message = _error(httpx.post(f"{url}/v1/glossary", json={"term": "X", "category": "term"},
                                    headers={"Authorization": "Bearer anything"}), 403)
        assert "not valid" in message
        message = _error(httpx.post(f"{url}/v1/glossary", json={"term": "X", "category": "term"}), 401)
        assert "GLOSSA_API_KEYS" in message
        # ...while translation stays open by default
        ok = httpx.post(f"{url}/v1/translate", json={"text": "Hello world.", "source": "en", "target": "ko",
                                                      "glossary": False})
        assert ok.status_code == 200, ok.text


# -- limits and bad input ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def limited(packages, tmp_path_factory):
    glossary = glossary_copy(tmp_path_factory.mktemp("api-limited") / "glossary")
    settings = settings_for(packages, glossary, max_request_chars=200, max_batch_texts=3, max_body_bytes=4096)
    with running_server(settings) as url:
        yield url


def test_size_limits(limited) -> None:
    url = limited
    msg = _error(httpx.post(f"{url}/v1/translate", json={"text": "a" * 201, "target": "ru"}), 413, "input_too_large")
    assert "201" in msg and "200" in msg
    _error(httpx.post(f"{url}/v1/translate", json={"texts": ["a " * 50, "b " * 51], "target": "ru"}), 413,
           "input_too_large")
    msg = _error(httpx.post(f"{url}/v1/translate", json={"texts": ["Hello."] * 4, "target": "ru"}), 413,
                 "too_many_texts")
    assert "3" in msg
    _libre_error(httpx.post(f"{url}/translate", json={"q": ["Hello."] * 4, "source": "en", "target": "ru"}), 400,
                 "3")
    big = b'{"text": "' + b"a" * 5000 + b'", "target": "ru"}'
    _error(httpx.post(f"{url}/v1/translate", content=big, headers={"content-type": "application/json"}), 413,
           "request_too_large")

    def chunks():  # no Content-Length: the limit must hold while reading
        yield b'{"text": "'
        for _ in range(10):
            yield b"a" * 1000
        yield b'", "target": "ru"}'

    _error(httpx.post(f"{url}/v1/translate", content=chunks(), headers={"content-type": "application/json"}), 413,
           "request_too_large")
    _error(httpx.post(f"{url}/v1/glossary/import?format=po", content=b"x" * 5000), 413)


@pytest.mark.parametrize(
    ("body", "status", "code", "named"),
    [
        (b"{not json", 400, "malformed_json", None),
        (b'{"text": "Hello.", "target": "ru"', 400, "malformed_json", None),
        (b'{"text": "\xff\xfeHello", "target": "ru"}', 400, "invalid_utf8", "0xff"),
        (b"", 422, "invalid_request", None),
        (b"[]", 422, "invalid_request", None),
        (b'{"text": 5, "target": "ru"}', 422, "invalid_request", "text"),
        (b'{"text": "Hello.", "target": 5}', 422, "invalid_request", "target"),
        (b'{"texts": "Hello.", "target": "ru"}', 422, "invalid_request", "texts"),
        (b'{"text": "Hello.", "target": "ru", "glossary": [1]}', 422, "invalid_request", "glossary"),
        (b'{"text": "Hello.", "target": "ru", "format": "pdf"}', 422, "invalid_request", "format"),
        (b'{"text": "Hello.", "texts": ["Hi."], "target": "ru"}', 422, "invalid_request", "exactly one"),
        (b'{"target": "ru"}', 422, "invalid_request", "exactly one"),
        (b'{"texts": [], "target": "ru"}', 422, "invalid_request", "empty"),
        (b'{"text": "Hello."}', 422, "invalid_request", "target"),
        (b'{"text": "", "target": "ru"}', 400, "invalid_input", "empty"),
        (b'{"text": "  \\n ", "target": "ru"}', 400, "invalid_input", "whitespace"),
        (b'{"texts": ["Hello.", ""], "target": "ru"}', 400, "invalid_input", "texts[1]"),
        (b'{"text": "Hello.", "target": "de"}', 422, "unsupported_language", "'de'"),
        (b'{"text": "Hello.", "source": "xx", "target": "ru"}', 422, "unsupported_language", "'xx'"),
        (b'{"text": "Hello.", "source": "ru", "target": "ru"}', 400, "invalid_input", "both ru"),
        (b'{"text": "\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\u0008\\u000e\\u000f", "target": "ru"}',
         400, "invalid_input", "binary"),
    ],
)
def test_bad_input_is_a_4xx_json_error(limited, body: bytes, status: int, code: str, named: str | None) -> None:
    response = httpx.post(f"{limited}/v1/translate", content=body, headers={"content-type": "application/json"})
    message = _error(response, status, code)
    if named:
        assert named in message


def test_unsupported_detected_language_is_named(limited) -> None:
    ukrainian = "Президент України провів зустріч із делегацією в Києві. Сторони обговорили співпрацю."
    message = _error(httpx.post(f"{limited}/v1/translate", json={"text": ukrainian, "target": "en"}), 422,
                     "unsupported_language")
    assert "'uk'" in message
    detected = httpx.post(f"{limited}/v1/detect", json={"text": ukrainian}).json()["results"][0]
    assert detected["language"] == "uk" and detected["supported"] is False


def test_libretranslate_bad_input(limited) -> None:
    url = limited
    # LibreTranslate's shape and status: {"error": "message"}, 400 for any bad parameter.
    _libre_error(httpx.post(f"{url}/translate", data={"source": "en", "target": "ru"}), 400, "q")
    _libre_error(httpx.post(f"{url}/translate", content=b"{oops", headers={"content-type": "application/json"}),
                 400, "JSON")
    _libre_error(httpx.post(f"{url}/translate", json={"q": "Hello.", "source": "en", "target": "zz"}), 400, "'zz'")
    _libre_error(httpx.post(f"{url}/translate", json={"q": "", "source": "en", "target": "ru"}), 400, "empty")
    _libre_error(httpx.post(f"{url}/translate", json={"q": [], "source": "en", "target": "ru"}), 400, "empty")
    _libre_error(httpx.post(f"{url}/translate", json={"q": "x", "source": "en", "target": "ru", "format": "md"}),
                 400, "format")
    _libre_error(httpx.post(f"{url}/detect", data={"text": "Hello."}), 400, "q")  # q is the field
    _libre_error(httpx.post(f"{url}/detect", content=b""), 400, "empty")


def test_glossary_bad_input(limited) -> None:
    url = limited
    _error(httpx.get(f"{url}/v1/glossary/No Such Concept"), 404, "concept_not_found")
    _error(httpx.get(f"{url}/v1/glossary?limit=0"), 422)
    _error(httpx.get(f"{url}/v1/glossary?lang=de"), 422)
    _error(httpx.get(f"{url}/v1/glossary/export?format=csv"), 400)
    _error(httpx.get(f"{url}/v1/glossary/export?format=docx"), 422)
    _error(httpx.get(f"{url}/nowhere"), 404, "not_found")
    _error(httpx.delete(f"{url}/v1/translate"), 405, "method_not_allowed")


# -- load -----------------------------------------------------------------------------------------

def test_full_queue_answers_503_with_retry_after(packages, tmp_path) -> None:
    # One request may wait; a long batching window keeps it waiting while the others arrive.
    settings = settings_for(packages, tmp_path, queue_size=1, batch_window_ms=300)
    body = {"text": "Kim Jong Un inspected factory number 3.", "source": "en", "target": "ko", "glossary": False}

    async def burst(url: str) -> list[httpx.Response]:
        async with httpx.AsyncClient(limits=httpx.Limits(max_connections=64), timeout=60) as client:
            return await asyncio.gather(*(client.post(f"{url}/v1/translate", json=body) for _ in range(32)))

    with running_server(settings) as url:
        responses = asyncio.run(burst(url))
        refused = [r for r in responses if r.status_code == 503]
        answered = [r for r in responses if r.status_code == 200]
        assert len(refused) + len(answered) == 32, [r.status_code for r in responses]
        assert refused and answered
        for response in refused:
            _error(response, 503, "queue_full")
            assert int(response.headers["retry-after"]) >= 1
        translations = {r.json()["results"][0]["translation"] for r in answered}
        assert len(translations) == 1  # the same text gets the same translation, batched or not
        # Nothing was left behind: the next request goes through.
        assert httpx.post(f"{url}/v1/translate", json=body).status_code == 200


def test_request_past_its_deadline_is_504(packages, tmp_path) -> None:
    # The deadline (1 ms) is shorter than the batching window (50 ms): it always expires.
    settings = settings_for(packages, tmp_path, request_timeout=0.001, batch_window_ms=50)
    with running_server(settings) as url:
        message = _error(httpx.post(f"{url}/v1/translate", json={"text": "Hello.", "source": "en", "target": "ko"}),
                         504, "timeout")
        assert "GLOSSA_REQUEST_TIMEOUT" in message
        assert httpx.get(f"{url}/health").json()["status"] == "ok"
