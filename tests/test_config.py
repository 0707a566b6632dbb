"""Settings are declared once (service/config.py) and the environment parsing, `glossa serve
--help` and the README's configuration table agree with that declaration."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest

from service.config import Settings, declared
from service.errors import InputError

REPO = Path(__file__).resolve().parent.parent

# A value for each kind of setting, and what it must become.
_SAMPLES = {"str": ("x", "x"), "bool": ("yes", True), "Path": ("/tmp/p", Path("/tmp/p")),
            "Path | None": ("/tmp/k", Path("/tmp/k")), "tuple[str, ...]": ("a, b c", ("a", "b", "c"))}


# Settings with a parser of their own.
_SPECIAL = {"root_path": ("/glossa/", "/glossa"),
            "cors_origins": ("https://a.example, http://b.example:8080/", ("https://a.example", "http://b.example:8080"))}


def _sample(f) -> tuple[str, object]:
    """A value within the setting's range, as text and as the setting holds it."""
    if f.name in _SPECIAL:
        return _SPECIAL[f.name]
    if f.metadata.get("choices"):
        choice = f.metadata["choices"][-1]
        return choice.upper(), choice
    if str(f.type) in ("int", "float"):
        value = (f.metadata["minimum"] or 0) + 3
        return str(value), value
    return _SAMPLES[str(f.type)]


def test_every_setting_is_declared_with_a_variable_and_help() -> None:
    names = [f.name for f in fields(Settings)]
    assert [f.name for f in declared()] == names
    variables = [f.metadata["env"] for f in declared()]
    assert len(set(variables)) == len(variables)
    for f in declared():
        assert re.fullmatch(r"(GLOSSA|ARGOS)_[A-Z_]+", f.metadata["env"]), f.name
        assert f.metadata["help"].endswith("."), f.name


def test_from_env_reads_each_declared_variable() -> None:
    env = {f.metadata["env"]: _sample(f)[0] for f in declared()}
    settings = Settings.from_env(env)
    for f in declared():
        assert getattr(settings, f.name) == _sample(f)[1], f.name
    assert Settings.from_env({}) == Settings()


@pytest.mark.parametrize("variable, value, message", [
    ("GLOSSA_QUEUE_SIZE", "lots", "GLOSSA_QUEUE_SIZE must be an integer, got 'lots'"),
    ("GLOSSA_BEAM_SIZE", "0", "GLOSSA_BEAM_SIZE must be >= 1, got 0"),
    ("GLOSSA_PORT", "70000", "GLOSSA_PORT must be <= 65535, got 70000"),
    ("GLOSSA_REQUEST_TIMEOUT", "nan", "GLOSSA_REQUEST_TIMEOUT must be >= 0.001, got nan"),
    ("GLOSSA_TRANSLATE_REQUIRES_KEY", "maybe", "GLOSSA_TRANSLATE_REQUIRES_KEY must be true or false, got 'maybe'"),
    ("GLOSSA_LOG_FORMAT", "xml", "GLOSSA_LOG_FORMAT must be one of text, json, got 'xml'"),
    ("GLOSSA_ROOT_PATH", "glossa", "GLOSSA_ROOT_PATH must be a URL path such as /glossa, got 'glossa'"),
])
def test_bad_values_name_their_variable(variable: str, value: str, message: str) -> None:
    with pytest.raises(InputError) as error:
        Settings.from_env({variable: value})
    assert str(error.value) == message


def test_the_readme_table_is_generated_from_the_declaration() -> None:
    proc = subprocess.run([sys.executable, "-m", "scripts.settings_table", "--check"], cwd=REPO,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for f in declared():
        assert f"| `{f.metadata['env']}` |" in readme
    assert "GLOSSA_DEMO_MODELS_DIR" in readme


def test_serve_help_is_generated_from_the_declaration() -> None:
    proc = subprocess.run([sys.executable, "-m", "service", "serve", "--help"], cwd=REPO,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    text = " ".join(proc.stdout.split())  # click wraps help lines
    server = [f for f in declared() if f.metadata.get("flag")]
    assert len(server) >= 10
    for f in server:
        assert f.metadata["flag"].replace("/", " / ") in text, f.name
        assert f.metadata["env"] in text, f.name
        assert " ".join(f.metadata["help"].split()) in text, f.name
    for f in declared():
        if not f.metadata.get("flag"):
            assert f"--{f.name.replace('_', '-')} " not in text  # only server settings are flags
