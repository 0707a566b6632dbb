"""The compose.yaml topology without containers: two `glossa serve` replicas sharing one models
folder and one glossary folder, behind nginx configured by deploy/nginx.conf (only the upstream
addresses and the listening port are rewritten to free loopback ports).

It proves what the README promises for that setup: the /glossa prefix works end to end (docs,
assets, API), nginx's X-Forwarded-For is believed, requests reach both replicas, and glossary
writes made through either replica all land and are enforced by both (the file lock, not a
designated writer). Skipped where nginx is not installed (Debian: nginx-light; CI installs it).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from test_api_deploy import TEXT, _serve, _wait_for

from support.server import REPO, free_port, glossary_copy, wait_healthy

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
KEY = "compose-test-key"
CREATED = 201
pytestmark = pytest.mark.skipif(not Path(NGINX).is_file() and os.environ.get("GLOSSA_REQUIRE_NGINX") != "1",
                                reason="nginx is not installed (apt-get install nginx-light)")


def _nginx_conf(folder: Path, listen: int, upstreams: list[int]) -> Path:
    site = (REPO / "deploy" / "nginx.conf").read_text()
    site, found = re.subn(r"server glossa-(\d):8000", lambda m: f"server 127.0.0.1:{upstreams[int(m[1]) - 1]}", site)
    assert found == 2, "deploy/nginx.conf no longer names glossa-1 and glossa-2"
    site = site.replace("listen 80;", f"listen 127.0.0.1:{listen};")
    temp = {name: folder / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for path in temp.values():
        path.mkdir(parents=True, exist_ok=True)
    (folder / "site.conf").write_text(site)
    conf = folder / "nginx.conf"
    conf.write_text("\n".join([
        "user root;" if os.geteuid() == 0 else "",
        "daemon off;", "worker_processes 1;", f"pid {folder}/nginx.pid;", f"error_log {folder}/error.log;",
        "events { worker_connections 256; }",
        "http {", "  access_log off;",
        f"  client_body_temp_path {temp['body']}; proxy_temp_path {temp['proxy']};",
        f"  fastcgi_temp_path {temp['fastcgi']}; uwsgi_temp_path {temp['uwsgi']}; scgi_temp_path {temp['scgi']};",
        f"  include {folder}/site.conf;", "}", ""]))
    return conf


@pytest.fixture(scope="module")
def compose(packages, tmp_path_factory):
    root = tmp_path_factory.mktemp("compose")
    glossary = glossary_copy(root / "glossary-volume")  # one volume, both replicas
    env = {"GLOSSA_ROOT_PATH": "/glossa", "GLOSSA_FORWARDED_ALLOW_IPS": "127.0.0.1",
           "GLOSSA_LOG_FORMAT": "json", "GLOSSA_API_KEYS": KEY}
    one = _serve(packages, root / "glossa-1", glossary=glossary, env=env)
    two = _serve(packages, root / "glossa-2", glossary=glossary, env=env)
    replicas = [next(one), next(two)]
    port = free_port()
    conf = _nginx_conf(root / "nginx", port, [r.port for r in replicas])
    proxy = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(root / "nginx")],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}/glossa"
    try:
        wait_healthy(url, proxy, timeout=30, interval=0.1, why=lambda: (
            proxy.communicate()[1] if proxy.poll() is not None else (root / "nginx" / "error.log").read_text()))
        yield url, replicas
    finally:
        proxy.terminate()
        proxy.wait(timeout=30)
        for gen in (one, two):
            gen.close()


@pytest.fixture(scope="module")
def packages(demo_models_dir, tmp_path_factory) -> Path:
    from support.server import install_packages

    return install_packages(sorted(demo_models_dir.glob("*.argosmodel")), tmp_path_factory.mktemp("compose-models"))


def test_prefix_docs_and_api_through_nginx(compose) -> None:
    url, _ = compose
    assert httpx.get(f"{url}/ready", timeout=120).json()["ready"] is True
    docs = httpx.get(f"{url}/docs").text
    assert "/glossa/openapi.json" in docs
    assert httpx.get(f"{url}/openapi.json").json()["info"]["title"] == "Glossa"
    assert httpx.get(f"{url}/docs-assets/swagger-ui-bundle.js").status_code == 200
    answer = httpx.post(f"{url}/v1/translate", json={"text": TEXT, "source": "en", "target": "ru"}, timeout=120)
    assert answer.status_code == 200 and answer.json()["results"][0]["translation"].strip()


def test_requests_reach_both_replicas_with_the_client_address(compose) -> None:
    url, replicas = compose
    ids = []
    for _ in range(8):
        answer = httpx.get(f"{url}/health", headers={"X-Forwarded-For": "198.51.100.4"})
        assert answer.status_code == 200
        ids.append(answer.headers["x-request-id"])  # nginx's $request_id, passed on by the replica
    served_by = {}
    for i, replica in enumerate(replicas):
        for rid in ids:
            for line in (_wait_for(replica, rid) if rid not in served_by else []):
                served_by[rid] = i
                assert line["client"] == "198.51.100.4"  # through nginx, X-Forwarded-For believed
                assert line["route"] == "/health" and line["path"] == "/glossa/health"
    assert set(served_by) == set(ids) and set(served_by.values()) == {0, 1}


def test_glossary_writes_through_either_replica_all_land_and_both_enforce_them(compose) -> None:
    url, replicas = compose
    auth = {"Authorization": f"Bearer {KEY}"}
    terms = [f"Compose Test Term {i}" for i in range(12)]

    def add(term: str) -> int:
        body = {"term": term, "category": "term", "renderings": {"ru": {"text": "Тестовый термин"}}}
        return httpx.post(f"{url}/v1/glossary", json=body, headers=auth, timeout=120).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:  # concurrent, spread over both replicas by nginx
        assert list(pool.map(add, terms)) == [CREATED] * len(terms)
    for replica in replicas:  # each replica, asked directly, sees every write
        listed = httpx.get(f"{replica.url}/v1/glossary", params={"q": "Compose Test Term", "limit": 100}).json()
        names = json.dumps(listed, ensure_ascii=False)
        assert all(term in names for term in terms), (replica.url, names[:500])

    # A changed rendering, written through nginx, is enforced by both replicas at their next request.
    changed = httpx.put(f"{url}/v1/glossary/Moscow", headers=auth,
                        json={"renderings": {"ru": {"text": "Тестоград", "indeclinable": True}}})
    assert changed.status_code == 200, changed.text
    for replica in replicas:
        result = httpx.post(f"{replica.url}/v1/translate", json={"text": TEXT, "source": "en", "target": "ru"},
                            timeout=120).json()["results"][0]
        moscow = [t for t in result["terms"] if t["concept"] == "Moscow"]
        assert moscow and all(t["rendering"] == "Тестоград" for t in moscow), (replica.url, result["terms"])
