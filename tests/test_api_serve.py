"""`glossa serve` as a user starts it: a real subprocess on a free loopback port."""

from __future__ import annotations

import os
import subprocess
import sys

import httpx

from support.server import free_port, glossary_copy, install_packages, wait_healthy


def test_glossa_serve_starts_translates_and_stops(demo_models_dir, tmp_path) -> None:
    packages = install_packages(sorted(demo_models_dir.glob("*.argosmodel")), tmp_path / "packages")
    env = {**os.environ, "ARGOS_PACKAGES_DIR": str(packages),
           "GLOSSA_GLOSSARY_DIR": str(glossary_copy(tmp_path / "glossary")), "GLOSSA_THREADS": "1"}
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "service", "serve", "--port", str(port), "--api-key", "k1", "--require-key",
         "--log-level", "warning"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc, timeout=60, why=lambda: proc.communicate()[1] if proc.poll() is not None else "")
        body = {"text": "Kim Jong Un visited Moscow.", "source": "en", "target": "ru"}
        assert httpx.post(f"{url}/v1/translate", json=body, timeout=60).status_code == 401  # --require-key
        answer = httpx.post(f"{url}/v1/translate", json=body, headers={"Authorization": "Bearer k1"}, timeout=60)
        assert answer.status_code == 200, answer.text
        assert answer.json()["results"][0]["translation"].strip()
    finally:
        proc.terminate()
        try:
            _, stderr = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, stderr = proc.communicate()
            raise AssertionError(f"glossa serve did not stop on SIGTERM: {stderr}") from None
    assert f"serving on http://127.0.0.1:{port}" in stderr


def test_glossa_serve_refuses_bad_settings_in_one_line(tmp_path) -> None:
    env = {**os.environ, "GLOSSA_QUEUE_SIZE": "lots"}
    proc = subprocess.run([sys.executable, "-m", "service", "serve", "--port", "0"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.strip() == "glossa: error: GLOSSA_QUEUE_SIZE must be an integer, got 'lots'"
