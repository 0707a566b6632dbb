"""Bad input to `glossa translate` gets one clear line on stderr and a non-zero exit, never a
traceback; none of these cases needs a model."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def glossa(*args: str, stdin: bytes | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "service", *args], input=stdin, capture_output=True,
                          timeout=120, env=env)


def assert_clean_error(proc: subprocess.CompletedProcess, *fragments: str) -> str:
    err = proc.stderr.decode()
    assert proc.returncode != 0, err
    assert "Traceback" not in err, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("glossa: error:"), err
    for fragment in fragments:
        assert fragment in lines[0], err
    assert proc.stdout == b""
    return lines[0]


def test_empty_stdin() -> None:
    assert_clean_error(glossa("translate", "-t", "ru", "-", stdin=b""), "empty")


def test_whitespace_only() -> None:
    assert_clean_error(glossa("translate", "-t", "ru", "-", stdin=b"  \n\t \n"), "only whitespace")


def test_invalid_utf8_on_stdin() -> None:
    cp1251 = "Ким Чен Ын посетил Москву.".encode("cp1251")
    line = assert_clean_error(glossa("translate", "-t", "en", "-", stdin=cp1251), "not valid UTF-8")
    assert "iconv" in line  # tells the user how to convert


def test_binary_file(tmp_path: Path) -> None:
    blob = tmp_path / "photo.jpg"
    blob.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(range(256)) * 4)
    assert_clean_error(glossa("translate", "-t", "ru", str(blob)), "binary")


def test_five_megabyte_file(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"Kim Jong-un visited Moscow. " * (5 * 1024 * 1024 // 28 + 1))
    assert_clean_error(glossa("translate", "-t", "ru", str(big)), "limit")


def test_missing_file(tmp_path: Path) -> None:
    assert_clean_error(glossa("translate", "-t", "ru", str(tmp_path / "nope.txt")), "no such file")


def test_directory_points_to_batch(tmp_path: Path) -> None:
    assert_clean_error(glossa("translate", "-t", "ru", str(tmp_path)), "glossa batch")


def test_target_equal_to_source() -> None:
    assert_clean_error(glossa("translate", "-s", "en", "-t", "en", "-", stdin=b"Hello."), "both en")


@pytest.mark.parametrize("code", ["uk", "xx", "", "russian"])
def test_unknown_or_unsupported_target(code: str) -> None:
    assert_clean_error(glossa("translate", "-t", code, "-", stdin=b"Hello."), "not supported", "en, ko, ru")


def test_unsupported_source_code() -> None:
    assert_clean_error(glossa("translate", "-s", "uk", "-t", "en", "-", stdin=b"Hello."), "'uk'")


def test_help_teaches() -> None:
    proc = glossa("translate", "--help")
    assert proc.returncode == 0
    out = proc.stdout.decode()
    for fragment in ("Examples:", "--jsonl", "--no-glossary", "through English"):
        assert fragment in out
