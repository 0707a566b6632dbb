"""Issue 12 on a real server (uvicorn on 127.0.0.1, demo models, real clients): no request can
fail another's, bad input is a 4xx at the door, cheap or large requests cannot starve the others,
and the limits (depth, encoding, rate, slow clients) hold. Every loop here is bounded."""

from __future__ import annotations

import asyncio
import os
import re
import socket
import stat
from pathlib import Path

import httpx
import pytest

from service.engine import Engine
from service.pipeline import Pipeline, TranslationRequest
from support.server import glossary_copy, install_packages, running_server, settings_for


@pytest.fixture(scope="module")
def packages(demo_models_dir, tmp_path_factory) -> Path:
    return install_packages(sorted(demo_models_dir.glob("*.argosmodel")),
                            tmp_path_factory.mktemp("reliability") / "packages")


@pytest.fixture(scope="module")
def server(packages, tmp_path_factory):
    glossary = glossary_copy(tmp_path_factory.mktemp("reliability-glossary") / "glossary")
    settings = settings_for(packages, glossary, batch_window_ms=20)
    with running_server(settings) as url:
        yield url


# A generous timeout: the first translation loads the models on a busy shared machine.
def post(url: str, **kwargs) -> httpx.Response:
    return httpx.post(url, **{"timeout": 60, **kwargs})


def get(url: str, **kwargs) -> httpx.Response:
    return httpx.get(url, **{"timeout": 60, **kwargs})


def _error(response: httpx.Response, status: int, code: str | None = None) -> str:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    if code is not None:
        assert error["code"] == code, error
    return error["message"]


def _lt_error(response: httpx.Response, status: int) -> str:
    """LibreTranslate's routes answer in LibreTranslate's shape: {"error": "message"}."""
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert isinstance(error, str) and error.strip(), response.text
    return error


def _json(url: str, path: str, body: bytes, **kwargs) -> httpx.Response:
    return httpx.post(url + path, content=body, headers={"content-type": "application/json"}, timeout=60, **kwargs)


GOOD = ["Kim Jong Un visited Moscow.", "The delegation arrived in Pyongyang.", "Sergei Lavrov met Choe Son Hui.",
        "The talks were held in the Kremlin."]


# -- item 2: text that is not Unicode text is refused at every door -----------------------------

def test_lone_surrogates_and_non_characters_are_a_4xx_at_every_http_door(server) -> None:
    message = _error(_json(server, "/v1/translate", b'{"text": "Kim \\ud800 visited Moscow.", "target": "ru"}'),
                     400, "invalid_input")
    assert "lone surrogate" in message and "U+D800" in message
    message = _error(_json(server, "/v1/translate", b'{"texts": ["Hello.", "a\\uffffb"], "target": "ru"}'),
                     400, "invalid_input")
    assert "texts[1]" in message and "non-character" in message
    _error(_json(server, "/v1/detect", b'{"text": "\\udc00 Moscow"}'), 400, "invalid_input")
    assert "lone surrogate" in _lt_error(
        _json(server, "/translate", b'{"q": "Kim \\ud800.", "source": "en", "target": "ru"}'), 400)
    assert "non-character" in _lt_error(
        post(f"{server}/translate", data={"q": "Kim \ufdd0 visited.", "source": "en", "target": "ru"}), 400)
    # A valid pair (an emoji) is text.
    ok = post(f"{server}/v1/translate", json={"text": "Kim Jong Un visited Moscow \U0001F600.",
                                                     "source": "en", "target": "ru", "glossary": False})
    assert ok.status_code == 200, ok.text


async def _clients(url: str, good_clients: int, rounds: int, bad: list[bytes]) -> tuple[list, list]:
    """``good_clients`` clients each translating GOOD ``rounds`` times in a row, while the bad
    bodies are sent all at once among them. Returns (good answers, bad answers)."""
    async with httpx.AsyncClient(timeout=120, limits=httpx.Limits(max_connections=64)) as client:
        async def good(i: int) -> list[tuple[str, httpx.Response]]:
            answers = []
            for r in range(rounds):
                text = GOOD[(i + r) % len(GOOD)]
                answers.append((text, await client.post(f"{url}/v1/translate", json={
                    "text": text, "source": "en", "target": "ru", "glossary": False})))
            return answers

        async def one_bad(body: bytes) -> httpx.Response:
            return await client.post(f"{url}/v1/translate", content=body, headers={"content-type": "application/json"})

        goods = asyncio.gather(*(good(i) for i in range(good_clients)))
        bads = asyncio.gather(*(one_bad(body) for body in bad))
        good_answers, bad_answers = await asyncio.gather(goods, bads)
    return [a for per_client in good_answers for a in per_client], list(bad_answers)


def test_lone_surrogate_requests_cannot_fail_concurrent_clients(server, packages) -> None:
    # The reproduction: 16 normal clients, 31 surrogate requests among them. Before the fix
    # SentencePiece raised inside the shared batch: 500s and dropped connections for the innocent.
    expected = {t: Pipeline(settings_for(packages, Path("/nonexistent"))).translate(
        t, source="en", target="ru", glossary=False).translation for t in GOOD}
    bad = [b'{"text": "Kim Jong Un visited \\ud800 Moscow.", "source": "en", "target": "ru", "glossary": false}'] * 31
    goods, bads = asyncio.run(_clients(server, 16, 4, bad))
    assert len(goods) == 64
    for text, response in goods:
        assert response.status_code == 200, response.text
        assert response.json()["results"][0]["translation"] == expected[text]
    for response in bads:
        _error(response, 400, "invalid_input")
    assert get(f"{server}/health").status_code == 200


class _SurrogateSmugglingEngine(Engine):
    """The real engine, except that the marker POISON becomes a lone surrogate just before
    SentencePiece, which then raises its real error inside the shared batch. This stands in for
    any input the door does not catch (the door refuses real surrogates now, so none can be sent)."""

    def tokenize(self, package, texts):
        return super().tokenize(package, [t.replace("POISON", "\ud800") for t in texts])


def test_a_failure_inside_the_shared_batch_is_that_request_s_alone(packages, tmp_path) -> None:
    settings = settings_for(packages, tmp_path, batch_window_ms=20)
    pipeline = Pipeline(settings, engine=_SurrogateSmugglingEngine(settings))
    expected = {t: Pipeline(settings).translate(t, source="en", target="ru", glossary=False).translation
                for t in GOOD}
    poison = b'{"text": "Kim Jong Un visited POISON Moscow.", "source": "en", "target": "ru", "glossary": false}'
    with running_server(settings, pipeline=pipeline) as url:
        goods, bads = asyncio.run(_clients(url, 12, 3, [poison] * 8))
        for text, response in goods:
            assert response.status_code == 200, response.text
            assert response.json()["results"][0]["translation"] == expected[text]
        for response in bads:  # a bug in Glossa for that request, and for no other
            _error(response, 500, "internal_error")
        assert post(f"{url}/v1/translate", json={"text": GOOD[0], "source": "en", "target": "ru",
                                                       "glossary": False}).status_code == 200


# -- item 7: one large request cannot hold the engine for everybody -----------------------------

def _metric(url: str, name: str) -> float:
    text = get(f"{url}/metrics").text
    match = re.search(rf"^{name}(?:{{[^}}]*}})? ([0-9.e+]+)$", text, re.MULTILINE)
    return float(match.group(1)) if match else 0.0


def test_small_requests_keep_answering_while_large_ones_translate(packages, tmp_path, demo_corpus) -> None:
    # Two ~40,000-character Markdown articles (different sentences: no cache help), translated in
    # rounds of 300 characters (fixed: no growth with the measured speed); small requests sent
    # while they run must all be answered before either article is done. Before the fix both
    # articles went to the engine as one call and the small requests waited behind all of it.
    def article(seed: int) -> str:
        pairs = demo_corpus.generate("en", "ru", 600, seed, placeholder_rate=0.0)
        return "\n\n".join(" ".join(s for s, _ in pairs[i:i + 5]) for i in range(0, 600, 5))

    articles = [article(101), article(202)]
    assert all(35_000 < len(a) < 100_000 for a in articles)
    settings = settings_for(packages, tmp_path, round_chars=300, round_seconds=0)
    pipeline = Pipeline(settings)

    async def scenario(url: str):
        async with httpx.AsyncClient(timeout=300) as client:
            big = [asyncio.create_task(client.post(f"{url}/v1/translate", json={
                "text": a, "source": "en", "target": "ru", "format": "markdown", "glossary": False}))
                for a in articles]
            for _ in range(600):  # until the engine has started on them (bounded: 60 s)
                if _metric(url, "glossa_queue_in_flight") >= 1 or _metric(url, "glossa_batches_total") >= 1:
                    break
                await asyncio.sleep(0.05)
            assert not any(task.done() for task in big)
            small = []
            for text in GOOD + GOOD[:1]:
                small.append(await client.post(f"{url}/v1/translate", json={
                    "text": text, "source": "en", "target": "ru", "glossary": False}))
            big_done_when_small_done = [task.done() for task in big]
            return small, big_done_when_small_done, await asyncio.gather(*big)

    with running_server(settings, pipeline=pipeline) as url:
        small, big_done, big = asyncio.run(scenario(url))
    assert [r.status_code for r in small] == [200] * 5
    assert big_done == [False, False], "a large request held the engine while small ones waited"
    # The large articles were translated whole, exactly as one library call translates them.
    expected = pipeline.translate_many([TranslationRequest(a, "ru", "en", "markdown", False) for a in articles])
    for response, result in zip(big, expected):
        assert response.status_code == 200, response.text
        assert response.json()["results"][0]["translation"] == result.translation


@pytest.fixture
def counting_msgfmt(tmp_path, monkeypatch) -> Path:
    """The real msgfmt behind a wrapper that logs each run: counts what the service starts."""
    real = "/usr/bin/msgfmt" if os.path.exists("/usr/bin/msgfmt") else None
    if real is None:
        pytest.skip("msgfmt (gettext) is not installed")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "msgfmt.log"
    wrapper = bin_dir / "msgfmt"
    wrapper.write_text(f'#!/bin/sh\necho run >> "{log}"\nexec {real} "$@"\n', encoding="utf-8")
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    return log


def test_glossary_check_runs_msgfmt_once_per_version_of_the_files(packages, tmp_path, counting_msgfmt) -> None:
    glossary = glossary_copy(tmp_path / "glossary")
    files = len(list(glossary.glob("*.po"))) + 1  # and the .pot

    def runs() -> int:
        return len(counting_msgfmt.read_text().splitlines()) if counting_msgfmt.exists() else 0

    async def burst(url: str) -> list[httpx.Response]:
        async with httpx.AsyncClient(timeout=120) as client:
            return await asyncio.gather(*(client.get(f"{url}/v1/glossary/check") for _ in range(32)))

    with running_server(settings_for(packages, glossary)) as url:
        answers = asyncio.run(burst(url))
        assert all(a.status_code == 200 for a in answers)
        assert len({a.text for a in answers}) == 1
        assert answers[0].json()["msgfmt"] is True
        assert runs() == files  # 32 clients, one check (before: 32 checks, 32 * files processes)
        ru = glossary / "ru.po"
        ru.write_text(ru.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # a new version
        assert get(f"{url}/v1/glossary/check", timeout=60).status_code == 200
        assert runs() == 2 * files


def test_rate_limits_per_client_and_per_key_answer_429_with_retry_after(packages, tmp_path) -> None:
    body = {"text": "Hello.", "source": "en", "target": "ru", "glossary": False}
    with running_server(settings_for(packages, tmp_path, rate_limit_per_client=5)) as url:
        statuses = [post(f"{url}/v1/translate", json=body).status_code for _ in range(5)]
        assert statuses == [200] * 5
        refused = post(f"{url}/v1/translate", json=body)
        message = _error(refused, 429, "rate_limited")
        assert int(refused.headers["retry-after"]) >= 1 and "GLOSSA_RATE_LIMIT_PER_CLIENT" in message
        _lt_error(post(f"{url}/translate", json={"q": "Hello.", "source": "en", "target": "ru"}), 429)
        assert get(f"{url}/health").status_code == 200  # monitoring is not counted
    with running_server(settings_for(packages, tmp_path, rate_limit_per_key=3)) as url:
        def call(key: str) -> int:
            return post(f"{url}/v1/translate", json=body, headers={"Authorization": f"Bearer {key}"}).status_code

        assert [call("alpha") for _ in range(4)] == [200, 200, 200, 429]
        assert call("beta") == 200  # another key has its own budget


def test_a_client_that_never_finishes_its_headers_is_disconnected(packages, tmp_path) -> None:
    from service.api.slow_clients import protocol_with_timeout

    with running_server(settings_for(packages, tmp_path), http=protocol_with_timeout(1.0)) as url:
        host, port = url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=30) as slow:
            slow.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ")  # and nothing more
            assert slow.recv(1024) == b""  # closed by the server (before the fix: timed out here)
        with socket.create_connection((host, int(port)), timeout=30) as idle:
            assert idle.recv(1024) == b""  # a connection that sends nothing at all is closed too
        assert get(f"{url}/health").status_code == 200  # complete requests are served


# -- item 9: depth and encoding ------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/translate", "/detect", "/v1/translate", "/v1/detect"])
@pytest.mark.parametrize("content_type", ["application/json", None])
def test_json_nested_100000_levels_is_a_4xx(server, path: str, content_type: str | None) -> None:
    deep = b'{"q": ' + b"[" * 100_000 + b"]" * 100_000 + b', "text": "x", "target": "ru"}'
    headers = {"content-type": content_type} if content_type else {}
    response = post(server + path, content=deep, headers=headers, timeout=60)
    if path.startswith("/v1/"):
        _error(response, 400, "json_too_deep")
    else:
        assert "nests" in _lt_error(response, 400)


def test_libretranslate_form_bodies_are_decoded_as_utf8_and_invalid_utf8_is_refused(server) -> None:
    form = {"content-type": "application/x-www-form-urlencoded"}
    for response in (
        post(f"{server}/translate", content=b"q=Kim%FF%FE+visited+Moscow.&source=en&target=ru", headers=form),
        post(f"{server}/translate", content=b"q=Kim \xff visited Moscow.&source=en&target=ru", headers=form),
        post(f"{server}/translate", files={"q": (None, b"Kim \xff visited Moscow."),
                                                "source": (None, b"en"), "target": (None, b"ru")}),
    ):
        assert "UTF-8" in _lt_error(response, 400)
    # Raw (unescaped) UTF-8 is decoded as UTF-8, not Latin-1: the same answer as JSON.
    text = "Ким Чен Ын посетил Москву."
    as_json = post(f"{server}/translate", json={"q": text, "source": "ru", "target": "en"})
    raw = post(f"{server}/translate", content=f"q={text}&source=ru&target=en".encode(), headers=form)
    multipart = post(f"{server}/translate", files={"q": (None, text.encode()), "source": (None, b"ru"),
                                                        "target": (None, b"en")})
    assert as_json.status_code == raw.status_code == multipart.status_code == 200, raw.text
    assert raw.json() == multipart.json() == as_json.json()


# -- item 10: a text already in the target language ---------------------------------------------

def test_detected_source_equal_to_target_is_a_4xx_on_both_apis(server) -> None:
    message = _error(post(f"{server}/v1/translate", json={"text": GOOD[0], "target": "en"}), 400,
                     "nothing_to_translate")
    assert "already in English" in message
    assert "already in English" in _lt_error(
        post(f"{server}/translate", json={"q": GOOD[0], "source": "auto", "target": "en"}), 400)
