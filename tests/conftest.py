"""Shared test setup.

argostranslate reads ARGOS_PACKAGES_DIR, HOME and XDG_* at import time, so they are pointed at a
private temporary directory before anything imports it: tests never touch the user's packages.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

_SANDBOX = Path(tempfile.mkdtemp(prefix="glossa-tests-"))
os.environ["HOME"] = str(_SANDBOX / "home")
os.environ["XDG_DATA_HOME"] = str(_SANDBOX / "data")
os.environ["XDG_CACHE_HOME"] = str(_SANDBOX / "cache")
os.environ["XDG_CONFIG_HOME"] = str(_SANDBOX / "config")
os.environ["ARGOS_PACKAGES_DIR"] = str(_SANDBOX / "argos-packages")
# Nothing in the suite may reach the real Argos index; tests that need one start their own.
os.environ["ARGOS_PACKAGE_INDEX"] = "http://127.0.0.1:9/index.json"
for sub in ("home", "data", "cache", "config", "argos-packages"):
    (_SANDBOX / sub).mkdir(parents=True, exist_ok=True)

REPO_ROOT = Path(__file__).resolve().parent.parent
DEMO_MODELS_DIR = REPO_ROOT / "models" / "demo"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture
def gdir(tmp_path: Path) -> Path:
    """A writable copy of the shipped glossary (glossaries/), for tests that edit it."""
    import shutil

    target = tmp_path / "glossaries"
    shutil.copytree(REPO_ROOT / "glossaries", target)
    return target


@pytest.fixture(scope="session")
def demo_models_dir() -> Path:
    if not any(DEMO_MODELS_DIR.glob("*.argosmodel")):
        pytest.fail(f"demo models missing in {DEMO_MODELS_DIR}; run `make demo-models`")
    return DEMO_MODELS_DIR


@pytest.fixture(scope="session")
def demo_settings(demo_models_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    """Settings whose package directory holds the four demo packages, installed once per session
    through the real store (validation, unpacking, atomic rename)."""
    from service.config import Settings
    from service.models.store import ModelStore

    packages = tmp_path_factory.mktemp("demo-packages")
    settings = Settings(packages_dir=packages)
    store = ModelStore(settings)
    for archive in sorted(demo_models_dir.glob("*.argosmodel")):
        store.install_file(archive)
    return settings


@pytest.fixture(scope="session")
def demo_pipeline(demo_settings):
    from service.pipeline import Pipeline

    return Pipeline(demo_settings)


@pytest.fixture(scope="session")
def demo_corpus():
    """scripts/demo_corpus.py (the demo models' sentence generator)."""
    from scripts import demo_corpus

    return demo_corpus


# Property tests explore the same examples on every run, so a CI result never depends on luck;
# `HYPOTHESIS_PROFILE=explore` searches afresh while developing.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("ci", derandomize=True, deadline=None)
_hypothesis_settings.register_profile("explore", deadline=None)
_hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
