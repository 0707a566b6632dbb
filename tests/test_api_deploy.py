"""`glossa serve` as deployments run it: behind a proxy (--root-path, --forwarded-allow-ips), called
from browsers (--cors-origin), several workers (--workers 2: /metrics summed over both), one log
line per request (--log-format json). Real `glossa serve` subprocesses on free loopback ports.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from support.server import (
    free_port,
    glossary_copy,
    install_packages,
    running_server,
    settings_for,
    wait_healthy,
)

TEXT = "Kim Jong Un visited Moscow."


@dataclass
class Served:
    url: str
    log: Path
    port: int

    def lines(self) -> list[str]:
        return self.log.read_text(encoding="utf-8", errors="replace").splitlines()

    def requests(self) -> list[dict]:
        """The JSON request lines written so far."""
        out = []
        for line in self.lines():
            if line.startswith("{"):
                record = json.loads(line)
                if record.get("logger") == "glossa.request":
                    out.append(record)
        return out


@pytest.fixture(scope="module")
def packages(demo_models_dir, tmp_path_factory) -> Path:
    return install_packages(sorted(demo_models_dir.glob("*.argosmodel")), tmp_path_factory.mktemp("deploy") / "p")


def _serve(packages: Path, folder: Path, *flags: str, glossary: Path | None = None,
           env: dict[str, str] | None = None) -> Iterator[Served]:
    """`glossa serve` in a subprocess on a free loopback port, its log in ``folder/serve.log``."""
    folder.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "ARGOS_PACKAGES_DIR": str(packages), "GLOSSA_THREADS": "1",
           "GLOSSA_GLOSSARY_DIR": str(glossary or glossary_copy(folder / "glossary")), **(env or {})}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    port = free_port()
    log = folder / "serve.log"
    with log.open("w") as sink:
        proc = subprocess.Popen([sys.executable, "-m", "service", "serve", "--port", str(port), *flags],
                                env=env, stdout=sink, stderr=subprocess.STDOUT)
    served = Served(f"http://127.0.0.1:{port}", log, port)
    try:
        wait_healthy(served.url, proc, timeout=90, why=log.read_text)
        yield served
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def proxied(packages, tmp_path_factory) -> Iterator[Served]:
    """Two workers behind a proxy at /glossa, two browser origins, JSON logs."""
    yield from _serve(packages, tmp_path_factory.mktemp("proxied"), "--workers", "2", "--root-path", "/glossa",
                      "--cors-origin", "https://news.example.org", "--cors-origin", "http://localhost:3000",
                      "--log-format", "json")


@pytest.fixture(scope="module")
def plain(packages, tmp_path_factory) -> Iterator[Served]:
    """The defaults, except a proxy address that is not ours (so X-Forwarded-For is not trusted)."""
    yield from _serve(packages, tmp_path_factory.mktemp("plain"), "--forwarded-allow-ips", "10.9.9.9")


def _translate(url: str, **headers: str) -> httpx.Response:
    return httpx.post(f"{url}/v1/translate", json={"text": TEXT, "source": "en", "target": "ru"},
                      headers=headers, timeout=120)


def _wait_for(served: Served, request_id: str) -> list[dict]:
    deadline = time.monotonic() + 10
    while True:
        found = [r for r in served.requests() if r["request_id"] == request_id]
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


# -- behind a proxy ----------------------------------------------------------------------------------

def test_root_path_puts_the_prefix_in_docs_and_openapi(proxied, plain) -> None:
    docs = httpx.get(f"{proxied.url}/docs").text
    assert "/glossa/openapi.json" in docs and "/glossa/docs-assets/swagger-ui-bundle.js" in docs
    assert httpx.get(f"{proxied.url}/openapi.json").json()["servers"] == [{"url": "/glossa"}]
    # The proxy strips the prefix; the assets are then served under the app's own paths.
    assert httpx.get(f"{proxied.url}/docs-assets/swagger-ui-bundle.js").status_code == 200
    assert _translate(proxied.url).status_code == 200
    # Without --root-path nothing is prefixed.
    plain_docs = httpx.get(f"{plain.url}/docs").text
    assert "/docs-assets/swagger-ui-bundle.js" in plain_docs and "/glossa" not in plain_docs
    assert "servers" not in httpx.get(f"{plain.url}/openapi.json").json()


def test_forwarded_for_is_trusted_only_from_allowed_proxies(proxied, plain) -> None:
    # proxied trusts 127.0.0.1 (the default): the client is the one the proxy names.
    answer = httpx.get(f"{proxied.url}/health", headers={"X-Forwarded-For": "203.0.113.7",
                                                          "X-Request-ID": "fwd-trusted"})
    assert answer.status_code == 200
    assert [r["client"] for r in _wait_for(proxied, "fwd-trusted")] == ["203.0.113.7"]
    # plain trusts only 10.9.9.9: the header is ignored and the real peer is logged.
    httpx.get(f"{plain.url}/health", headers={"X-Forwarded-For": "203.0.113.7", "X-Request-ID": "fwd-untrusted"})
    deadline = time.monotonic() + 10
    while not any("request_id=fwd-untrusted" in line for line in plain.lines()):
        assert time.monotonic() < deadline, plain.log.read_text()
        time.sleep(0.1)
    line = next(line for line in plain.lines() if "request_id=fwd-untrusted" in line)
    assert "client=127.0.0.1" in line and "203.0.113.7" not in line


def test_default_host_is_loopback(plain) -> None:
    from service.config import Settings

    assert Settings().host == "127.0.0.1"
    assert f"serving on http://127.0.0.1:{plain.port}" in plain.log.read_text()


# -- CORS ----------------------------------------------------------------------------------------------

def _preflight(url: str, origin: str) -> httpx.Response:
    return httpx.options(f"{url}/v1/translate", headers={
        "Origin": origin, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type,authorization"})


def test_cors_is_off_by_default(plain) -> None:
    answer = _translate(plain.url, Origin="https://news.example.org")
    assert answer.status_code == 200 and "access-control-allow-origin" not in answer.headers
    assert "access-control-allow-origin" not in _preflight(plain.url, "https://news.example.org").headers


def test_cors_allows_exactly_the_named_origins(proxied) -> None:
    for origin in ("https://news.example.org", "http://localhost:3000"):
        pre = _preflight(proxied.url, origin)
        assert pre.status_code == 200, pre.text
        assert pre.headers["access-control-allow-origin"] == origin
        assert "POST" in pre.headers["access-control-allow-methods"]
        assert "authorization" in pre.headers["access-control-allow-headers"].lower()
        answer = _translate(proxied.url, Origin=origin)
        assert answer.headers["access-control-allow-origin"] == origin
    other = _preflight(proxied.url, "https://evil.example.com")
    assert other.status_code == 400 and "access-control-allow-origin" not in other.headers
    assert "access-control-allow-origin" not in _translate(proxied.url, Origin="https://evil.example.com").headers


def test_bad_deployment_flags_are_one_line_errors(tmp_path) -> None:
    for flags, needle in ((["--cors-origin", "news.example.org"], "not an origin"),
                          (["--root-path", "glossa"], "URL path")):
        proc = subprocess.run([sys.executable, "-m", "service", "serve", "--port", "0", *flags],
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 2, proc.stderr
        assert needle in proc.stderr and "Traceback" not in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr


# -- several workers ------------------------------------------------------------------------------------

def _series(metrics: str, name: str, **labels: str) -> float:
    want = ",".join(f'{k}="{v}"' for k, v in labels.items())
    for line in metrics.splitlines():
        if line.startswith(f"{name}{{") and all(f'{k}="{v}"' in line for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"no {name}{{{want}}} in /metrics")


def test_metrics_are_summed_over_two_workers(proxied) -> None:
    before = httpx.get(f"{proxied.url}/metrics").text
    health_before = _series(before, "glossa_http_requests_total", route="/health", status="200")
    texts_before = _series(before, "glossa_translated_texts_total", source="en", target="ru")
    # Fresh connections until both workers have answered (the log line names the process).
    sent, pids = 0, set()
    while len(pids) < 2 and sent < 400:
        rid = f"spread-{sent}"
        assert httpx.get(f"{proxied.url}/health", headers={"X-Request-ID": rid}).status_code == 200
        sent += 1
        if sent % 10 == 0:
            pids = {r["pid"] for r in proxied.requests() if r["request_id"].startswith("spread-")}
    pids = {r["pid"] for r in proxied.requests() if r["request_id"].startswith("spread-")}
    assert len(pids) == 2, f"only one worker answered {sent} requests"
    translated = 0
    for _ in range(4):
        assert _translate(proxied.url).status_code == 200
        translated += 1
    # Every scrape, whichever worker answers it, reads the same totals.
    readings = []
    for _ in range(8):
        text = httpx.get(f"{proxied.url}/metrics").text
        readings.append((_series(text, "glossa_http_requests_total", route="/health", status="200") - health_before,
                         _series(text, "glossa_translated_texts_total", source="en", target="ru") - texts_before))
    assert readings == [(sent, translated)] * 8


def test_metrics_labels_stay_bounded(demo_settings, tmp_path) -> None:
    """20,000 invented methods once grew /metrics to 32 MB: unknown methods and paths share a label."""
    settings = settings_for(demo_settings.packages_dir, glossary_copy(tmp_path / "glossary"))
    with running_server(settings) as url, httpx.Client(base_url=url) as client:
        for i in range(300):
            client.request(f"X{i}GET", "/health")
            client.get(f"/scan-{i}/admin.php")
        text = client.get("/metrics").text
    assert not re.search(r'method="X\d+GET"', text) and "scan-" not in text
    series = [line for line in text.splitlines() if line.startswith("glossa_http_requests_total{")]
    assert any('method="other"' in s for s in series) and any('route="unmatched"' in s for s in series)
    assert len(series) <= 6, series
    assert len(text) < 20_000


# -- the request log ---------------------------------------------------------------------------------

def test_one_json_line_per_request_with_translation_details(proxied) -> None:
    answer = _translate(proxied.url, **{"X-Request-ID": "log-translate-1"})
    assert answer.status_code == 200 and answer.headers["x-request-id"] == "log-translate-1"
    result = answer.json()["results"][0]
    (line,) = _wait_for(proxied, "log-translate-1")
    assert line["route"] == "/v1/translate" and line["method"] == "POST" and line["status"] == 200
    assert line["characters"] == len(TEXT) and line["texts"] == 1
    assert (line["source"], line["target"]) == ("en", "ru")
    statuses = [t["status"] for t in result["terms"]]
    assert statuses, "the sentence holds glossary terms"
    assert line["terms_applied"] == statuses.count("applied")
    assert line["terms_missed"] == statuses.count("missed")
    assert line["terms_unexpected"] == statuses.count("unexpected")
    assert line["demo"] is True  # the demo models answered, and the log says so
    assert line["latency_ms"] > 0 and line["level"] == "info" and line["time"].endswith("Z")

    # A refused request has its line too, with its status and a request id made by the server.
    bad = httpx.post(f"{proxied.url}/v1/translate", json={"text": TEXT, "target": "xx"})
    assert bad.status_code == 400 or bad.status_code == 422, bad.text
    (refused,) = _wait_for(proxied, bad.headers["x-request-id"])
    assert refused["status"] == bad.status_code and "characters" not in refused
    # Not a line from uvicorn's access log as well: one line per request.
    assert all('"GET /' not in line and '"POST /' not in line for line in proxied.lines())


def test_text_log_has_the_same_fields(plain) -> None:
    answer = _translate(plain.url, **{"X-Request-ID": "text-log-1"})
    assert answer.status_code == 200
    deadline = time.monotonic() + 10
    while not any("request_id=text-log-1" in line for line in plain.lines()):
        assert time.monotonic() < deadline, plain.log.read_text()
        time.sleep(0.1)
    (line,) = [line for line in plain.lines() if "request_id=text-log-1" in line]
    for field in ("route=/v1/translate", "status=200", f"characters={len(TEXT)}", "source=en", "target=ru",
                  "terms_applied=", "terms_missed=", "terms_unexpected=", "demo=true", "latency_ms="):
        assert field in line, (field, line)
