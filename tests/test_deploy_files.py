"""The deployment files say what the README promises, and systemd accepts the unit.

The image itself is proven by scripts/container_check.sh (root, minutes: not in the suite) and
the compose topology by tests/test_deploy_compose.py; these checks keep the files from drifting.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
import yaml

from support.server import REPO


def _unit() -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for line in (REPO / "deploy" / "glossa.service").read_text().splitlines():
        if "=" in line and not line.startswith(("#", ";")):
            key, _, value = line.partition("=")
            values.setdefault(key.strip(), []).append(value.strip())
    return values


def test_systemd_unit_is_confined_and_restarts() -> None:
    unit = _unit()
    assert unit["User"] == ["glossa"] and unit["ProtectSystem"] == ["strict"]
    assert unit["Restart"] == ["on-failure"]
    assert unit["ReadWritePaths"] == ["/var/lib/glossa/glossary /var/lib/glossa/models"]
    env = dict(e.split("=", 1) for e in unit["Environment"])
    # The writable paths are the ones Glossa is told to use, and nothing else is writable.
    assert env["GLOSSA_GLOSSARY_DIR"] == "/var/lib/glossa/glossary"
    assert env["ARGOS_PACKAGES_DIR"] == "/var/lib/glossa/models"
    assert unit["ExecStart"] == ["/opt/glossa/bin/glossa serve"]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze on this machine")
def test_systemd_accepts_the_unit(tmp_path) -> None:
    # The unit as written, with ExecStart pointed at a program that exists here.
    text = (REPO / "deploy" / "glossa.service").read_text().replace("/opt/glossa/bin/glossa serve", "/bin/true")
    copy = tmp_path / "glossa.service"
    copy.write_text(text)
    proc = subprocess.run(["systemd-analyze", "verify", str(copy)], capture_output=True, text=True, timeout=60)
    problems = [line for line in proc.stderr.splitlines() if "glossa.service" in line]
    assert proc.returncode == 0 and not problems, proc.stderr


def test_dockerfile_is_multistage_nonroot_with_volumes_and_healthcheck() -> None:
    text = (REPO / "Dockerfile").read_text()
    assert re.search(r"^ARG BASE_IMAGE=\S*python:3\.\d+-slim", text, re.M)
    assert len(re.findall(r"^FROM \$\{BASE_IMAGE\}", text, re.M)) == 2
    assert re.search(r"^USER glossa$", text, re.M)
    assert '"/var/lib/glossa/models", "/var/lib/glossa/glossary"' in text
    assert re.search(r"^HEALTHCHECK .*\n\s+CMD .*/ready", text, re.M)
    entry = (REPO / "deploy" / "container-entrypoint.sh").read_text()
    assert "glossa models ensure" in entry and "exec glossa serve" in entry


def test_compose_runs_two_replicas_on_shared_volumes_behind_nginx() -> None:
    compose = yaml.safe_load((REPO / "compose.yaml").read_text())
    services = compose["services"]
    replicas = [s for name, s in services.items() if name.startswith("glossa-")]
    assert len(replicas) == 2
    for replica in replicas:
        assert sorted(replica["volumes"]) == ["glossary:/var/lib/glossa/glossary", "models:/var/lib/glossa/models"]
        assert replica["environment"]["GLOSSA_ROOT_PATH"] == "/glossa"
    assert services["proxy"]["image"].startswith("nginx:")
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in services["proxy"]["volumes"]
