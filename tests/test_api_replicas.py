"""Serving replicas (issue 17, item 4): two real `glossa serve` processes on loopback sharing one
glossary folder, as two hosts sharing a filesystem (or two containers sharing a volume) would.

Every replica may write: a write takes the folder's file lock, re-reads the files inside it and
replaces them atomically; every read checks the files' (inode, mtime, size), so the other replica
translates with the new version on its next request.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from support.server import free_port, glossary_copy, install_packages, wait_healthy

KEY = "replica-key"
AUTH = {"Authorization": f"Bearer {KEY}"}
TEXT = "Olga Lyubimova left for Moscow."


@contextmanager
def _serve(env: dict[str, str]) -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "service", "serve", "--port", str(port), "--api-key", KEY,
                             "--log-level", "warning"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc, timeout=90, why=lambda: proc.communicate()[1] if proc.poll() is not None else "")
        yield url
    finally:
        proc.terminate()
        try:
            proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()


@pytest.fixture(scope="module")
def replicas(demo_models_dir, tmp_path_factory) -> Iterator[tuple[str, str, Path]]:
    root = tmp_path_factory.mktemp("replicas")
    packages = install_packages(sorted(demo_models_dir.glob("*.argosmodel")), root / "packages")
    glossary = glossary_copy(root / "glossary")
    env = {**os.environ, "ARGOS_PACKAGES_DIR": str(packages), "GLOSSA_GLOSSARY_DIR": str(glossary),
           "GLOSSA_THREADS": "1"}
    with _serve(env) as first, _serve(env) as second:
        yield first, second, glossary


def _rendering(url: str, concept: str) -> tuple[list[str], str]:
    answer = httpx.post(f"{url}/v1/translate", json={"text": TEXT, "source": "en", "target": "ru"},
                        headers=AUTH, timeout=60)
    assert answer.status_code == 200, answer.text
    result = answer.json()["results"][0]
    return [t["rendering"] for t in result["terms"] if t["concept"] == concept], result["translation"]


def test_a_write_through_one_replica_is_served_by_the_other_within_two_seconds(replicas) -> None:
    first, second, _glossary = replicas
    before, _ = _rendering(second, "Olga Lyubimova")
    assert before and "Тестова" not in before
    changed = httpx.put(f"{first}/v1/glossary/Olga Lyubimova", headers=AUTH,
                        json={"renderings": {"ru": {"text": "Ольга Тестова", "gender": "f"}}}, timeout=60)
    assert changed.status_code == 200, changed.text
    written = time.monotonic()
    while True:
        seen, translation = _rendering(second, "Olga Lyubimova")
        if seen and all(r == "Ольга Тестова" for r in seen):
            break
        assert time.monotonic() - written < 2.0, f"the other replica still renders {seen}"
        time.sleep(0.05)
    assert time.monotonic() - written < 2.0
    assert "Тестова" in translation


def test_writes_from_both_replicas_at_once_are_all_kept(replicas) -> None:
    first, second, glossary = replicas
    terms = [f"Replica Term {i:02d}" for i in range(24)]

    def add(index_term: tuple[int, str]) -> int:
        index, term = index_term
        url = (first, second)[index % 2]
        body = {"term": term, "category": "term", "renderings": {"ru": {"text": f"Термин {index}"}}}
        return httpx.post(f"{url}/v1/glossary", json=body, headers=AUTH, timeout=120).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert set(pool.map(add, enumerate(terms))) == {201}
    for url in (first, second):
        listed = httpx.get(f"{url}/v1/glossary", params={"q": "Replica Term", "limit": 100}, timeout=60).json()
        assert sorted(c["term"] for c in listed["items"]) == terms
    check = subprocess.run([sys.executable, "-m", "service", "glossary", "check"], capture_output=True, text=True,
                           env={**os.environ, "GLOSSA_GLOSSARY_DIR": str(glossary)}, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr
