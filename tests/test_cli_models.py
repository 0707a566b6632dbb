"""`glossa models` run as a real subprocess against a loopback index and real packages."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support.packages import build_archive_set, index_entry, serve_directory


@pytest.fixture(scope="session")
def archives(tmp_path_factory) -> dict[str, Path]:
    return build_archive_set(tmp_path_factory.mktemp("archives"))


@pytest.fixture
def env(tmp_path, demo_models_dir) -> dict[str, str]:
    """A private HOME and package directory, the real demo models (the only models that know the
    probe `verify` checks); the index unreachable by default."""
    env = dict(os.environ)
    env.update(
        HOME=str(tmp_path / "home"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        ARGOS_PACKAGES_DIR=str(tmp_path / "data" / "argos-translate" / "packages"),
        ARGOS_PACKAGE_INDEX="http://127.0.0.1:9/",
        GLOSSA_DEMO_MODELS_DIR=str(demo_models_dir),
    )
    return env


def glossa(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    # stdin/stderr are pipes, not a terminal: progress comes as plain lines.
    return subprocess.run(
        [sys.executable, "-m", "service", "models", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def assert_one_line_error(result: subprocess.CompletedProcess, *fragments: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("glossa: error:")]
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def installed(env: dict[str, str]) -> list[dict]:
    result = glossa(env, "list", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_install_from_the_index_list_and_remove(env, archives, tmp_path):
    served = tmp_path / "served"
    served.mkdir()
    archive = shutil.copyfile(archives["en-ko"], served / archives["en-ko"].name)
    with serve_directory(served) as url:
        (served / "index.json").write_text(json.dumps([index_entry(archive, url)]))
        env["ARGOS_PACKAGE_INDEX"] = url  # a base address, as argostranslate expects
        result = glossa(env, "install", "en", "ko")
    assert result.returncode == 0, result.stderr
    assert "installed en->ko 1.0" in result.stdout
    assert "downloading translate-en_ko.argosmodel: 100%" in result.stderr
    packages = installed(env)
    assert [(p["from"], p["to"], p["version"], p["demo"]) for p in packages] == [("en", "ko", "1.0", False)]
    assert Path(packages[0]["path"]).parent == Path(env["ARGOS_PACKAGES_DIR"])

    result = glossa(env, "remove", "en", "ko")
    assert result.returncode == 0 and "removed en->ko" in result.stdout
    assert installed(env) == []
    assert_one_line_error(glossa(env, "remove", "en", "ko"), "no installed en->ko package")


def test_install_a_local_file_and_verify(env, demo_models_dir):
    for name in ("translate-ko_en-demo.argosmodel", "translate-en_ru-demo.argosmodel"):
        result = glossa(env, "install", str(demo_models_dir / name))
        assert result.returncode == 0, result.stderr
    result = glossa(env, "verify")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("ok: ") == 2
    result = glossa(env, "verify", "ko", "ru")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: ko->en 1.0") and " + en->ru 1.0" in result.stdout


def test_verify_refuses_a_model_that_translates_wrongly(env, archives):
    """Random-weight packages load and print something: verify must say FAILED, not "ok"."""
    for key in ("ko-en", "ru-en-demo"):
        result = glossa(env, "install", str(archives[key]))
        assert result.returncode == 0, result.stderr
    result = glossa(env, "verify")
    assert result.returncode == 1
    assert "ok: " not in result.stdout and result.stdout.count("FAILED (") == 2
    assert "FAILED (expected 'Sergei Lavrov arrived in Pyongyang.')" in result.stdout  # the demo one
    assert_one_line_error(result, "2 of 2 verification(s) gave a wrong translation")


def test_unreachable_index_is_one_clear_line(env):
    result = glossa(env, "install", "en", "ru", "--timeout", "3")
    assert_one_line_error(
        result, "http://127.0.0.1:9/index.json", "ARGOS_PACKAGE_INDEX", "glossa models install FILE.argosmodel"
    )
    assert not Path(env["ARGOS_PACKAGES_DIR"]).exists() or os.listdir(env["ARGOS_PACKAGES_DIR"]) == []


@pytest.mark.parametrize(
    "args, fragment",
    [
        (("install", "xx", "ko"), "unknown language code 'xx'"),
        (("install", "en", "en"), "source and target are both 'en'"),
        (("install", "missing.argosmodel"), "missing.argosmodel: no such file"),
        (("install", "a", "b", "c"), "give FROM TO"),
        (("verify", "ko", "ru"), "`glossa models install ko en`"),
    ],
)
def test_bad_requests_are_one_line_errors(env, args, fragment):
    assert_one_line_error(glossa(env, *args), fragment)


def test_corrupt_and_non_argos_files_are_refused(env, tmp_path):
    text = tmp_path / "article.txt"
    text.write_text("Not a model.\n")
    assert_one_line_error(glossa(env, "install", str(text)), "not a zip archive")
    empty_zip = tmp_path / "empty.argosmodel"
    empty_zip.write_bytes(b"PK\x05\x06" + b"\x00" * 18)  # a valid, empty zip
    assert_one_line_error(glossa(env, "install", str(empty_zip)), "empty archive")
    assert installed(env) == []


def test_ensure_offline_installs_the_demo_packages_with_a_loud_warning(env):
    result = glossa(env, "ensure", "--timeout", "3")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("installed (demo)") == 4
    assert "WARNING: DEMO models in use" in result.stderr
    assert "index unreachable" in result.stderr
    packages = installed(env)
    assert sorted(f"{p['from']}->{p['to']}" for p in packages) == ["en->ko", "en->ru", "ko->en", "ru->en"]
    assert all(p["demo"] for p in packages)
    listed = glossa(env, "list")
    assert listed.stdout.count("[DEMO: synthetic vocabulary, not real translation]") == 4
    # The pivot directions now verify, through English.
    for source, target in (("ko", "ru"), ("ru", "ko")):
        result = glossa(env, "verify", source, target)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith(f"ok: {source}->en") and " + en->" in result.stdout


def test_help_shows_examples(env):
    result = glossa(env, "install", "--help")
    assert result.returncode == 0
    assert "glossa models install en ko" in result.stdout
    assert "ARGOS_PACKAGE_INDEX" in result.stdout


def test_download_shows_a_progress_bar_on_a_terminal(env, archives, tmp_path):
    pty = pytest.importorskip("pty")
    import fcntl
    import select
    import struct
    import termios

    served = tmp_path / "served"
    served.mkdir()
    archive = shutil.copyfile(archives["ru-en"], served / archives["ru-en"].name)
    with serve_directory(served) as url:
        (served / "index.json").write_text(json.dumps([index_entry(archive, url)]))
        env["ARGOS_PACKAGE_INDEX"] = url
        primary, secondary = pty.openpty()
        fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
        try:
            result = subprocess.run(
                [sys.executable, "-m", "service", "models", "install", "ru", "en"],
                env=env, stdout=subprocess.PIPE, stderr=secondary, stdin=subprocess.DEVNULL,
                text=True, timeout=120,
            )
        finally:
            os.close(secondary)
        terminal = b""
        while select.select([primary], [], [], 0.5)[0]:
            try:
                chunk = os.read(primary, 65536)
            except OSError:  # the other side is closed: everything has been read
                break
            if not chunk:
                break
            terminal += chunk
        os.close(primary)
    assert result.returncode == 0
    text = terminal.decode("utf-8", "replace")
    assert "translate-ru_en.argosmodel: 100%|" in text  # tqdm's bar, redrawn in place with \r
    assert "\r" in text and "downloading translate-ru_en" not in text
