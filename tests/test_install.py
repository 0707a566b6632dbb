"""The runtime install is light: what `pip install .` brings has no torch, stanza, spaCy or test tools.

The declared requirements are read from this checkout's pyproject.toml (the truth for the code under
test; an editable install's metadata can be older), then followed through the *installed*
distributions' metadata, as pip resolved them. A requirement that is not installed fails the test:
the environment does not match the project, and the answer would be a guess.
"""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib")  # Python >= 3.11
from packaging.requirements import Requirement  # noqa: E402

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"
HEAVY = {"torch", "stanza", "spacy", "tensorflow", "jax"}
TEST_ONLY = {"pytest", "playwright", "schemathesis", "hypothesis"}


def _name(raw: str) -> str:
    return re.sub(r"[-_.]+", "-", raw).lower()


def _project() -> dict:
    return tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]


def _closure(requirements: list[str]) -> dict[str, str]:
    """Installed distribution name -> version for the requirements and everything they require."""
    seen: dict[str, str] = {}
    todo = [(Requirement(r), "") for r in requirements]
    while todo:
        req, extra = todo.pop()
        if req.marker is not None and not req.marker.evaluate({"extra": extra}):
            continue
        name = _name(req.name)
        try:
            dist = metadata.distribution(req.name)
        except metadata.PackageNotFoundError:
            pytest.fail(f"{req.name} (required: {req}) is not installed; reinstall: pip install -e .")
        if name in seen and not req.extras:
            continue
        seen[name] = dist.version
        for child in dist.requires or []:
            for wanted in ("", *sorted(req.extras)):
                todo.append((Requirement(child), wanted))
    return seen


def test_runtime_dependencies_hold_no_torch_nor_test_tools() -> None:
    runtime = _closure(_project()["dependencies"])
    # It did follow the tree: the engine and argostranslate's own requirements are in it.
    assert {"ctranslate2", "sentencepiece", "argos-translate-lt", "minisbd"} <= runtime.keys(), sorted(runtime)
    assert not HEAVY & runtime.keys(), f"heavy runtime dependencies: {sorted(HEAVY & runtime.keys())}"
    assert not TEST_ONLY & runtime.keys(), f"test tools in the runtime: {sorted(TEST_ONLY & runtime.keys())}"
    # The argostranslate module comes from the torch-free distribution, not argostranslate 1.11.
    assert "argostranslate" not in {_name(Requirement(r).name) for r in _project()["dependencies"]}


def test_torch_stays_available_for_training_the_demo_models() -> None:
    train = [Requirement(r) for r in _project()["optional-dependencies"]["train"]]
    assert "torch" in {_name(r.name) for r in train}


@pytest.mark.parametrize("target", ["demo", "run"])
def test_make_run_and_demo_install_no_test_extra(target, tmp_path) -> None:
    import shutil
    import subprocess

    if shutil.which("make") is None:
        pytest.skip("no make on this machine")
    venv = tmp_path / "venv"  # absent: make plans the whole install (-n prints, runs nothing)
    proc = subprocess.run(["make", "-n", target, f"VENV={venv}"], cwd=PYPROJECT.parent,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    installs = [line for line in proc.stdout.splitlines() if " install " in line and "pip" in line]
    assert installs and all("[test]" not in line and "[" not in line.split("-e", 1)[-1] for line in installs), installs
    assert not venv.exists()
    tested = subprocess.run(["make", "-n", "test", f"VENV={venv}"], cwd=PYPROJECT.parent,
                            capture_output=True, text=True, timeout=60).stdout
    assert "-e '.[test]'" in tested
