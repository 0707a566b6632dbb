"""`glossa translate` end to end on the demo models, as a user runs it (a real subprocess)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def env(demo_settings) -> dict[str, str]:
    return {**os.environ, "ARGOS_PACKAGES_DIR": str(demo_settings.packages_dir)}


def glossa(env: dict[str, str], *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "service", "translate", *args], input=stdin,
                          capture_output=True, text=True, env=env, timeout=180)


def test_sample_article_to_russian(env, demo_pipeline, repo_root: Path) -> None:
    article = repo_root / "samples/articles/en/kim-visit.txt"
    proc = glossa(env, "-t", "ru", str(article))
    assert proc.returncode == 0, proc.stderr
    expected = demo_pipeline.translate(article.read_text(encoding="utf-8"), target="ru").translation
    assert proc.stdout == expected
    assert "Ким Чен Ын" in proc.stdout and "DEMO" in proc.stderr


def test_stdin_korean_to_english_with_json_report(env) -> None:
    proc = glossa(env, "-t", "en", "--json", stdin="김정은은 평양에서 올가 류비모바와 만났다.\n")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["translation"] == "Kim Jong-un met with Olga Lyubimova in Pyongyang.\n"
    assert result["source"] == "ko" and result["detected"]["language"] == "ko"
    assert {t["concept"]: t["status"] for t in result["terms"]} == {
        "Kim Jong-un": "applied", "Pyongyang": "applied", "Olga Lyubimova": "applied"}
    assert result["terms"][0]["source"] == {"start": 0, "end": 3, "text": "김정은"}


def test_jsonl_echoes_ids_and_isolates_bad_lines(env) -> None:
    lines = [
        json.dumps({"id": "a", "text": "Kim Jong-un visited Moscow.", "target": "ko"}),
        "this is not json",
        json.dumps({"id": 7, "text": "Добрий день, як справи у Києві?", "target": "en"}),  # Ukrainian
        json.dumps({"id": "b", "text": "Ким Чен Ын посетил Москву.", "source": "ru"}),
    ]
    proc = glossa(env, "--jsonl", "-t", "en", stdin="\n".join(lines) + "\n")
    assert proc.returncode == 1  # some lines failed
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["id"] for r in records] == ["a", 2, 7, "b"]
    assert records[0]["translation"] == "김정은은 모스크바를 방문했다."
    assert records[1]["error"]["code"] == "invalid_input"
    assert records[2]["error"]["code"] == "unsupported_language" and "'uk'" in records[2]["error"]["message"]
    assert records[3]["translation"] == "Kim Jong-un visited Moscow."


def test_output_file_and_no_glossary(env, tmp_path: Path) -> None:
    out = tmp_path / "out" / "article.ru.txt"
    proc = glossa(env, "-s", "en", "-t", "ru", "--no-glossary", "-o", str(out), "--json",
                  stdin="Olga Lyubimova arrived in Pyongyang.")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["translation"] == "Ольга Любимова прибыла в Пхеньян."
    assert result["terms"] == []
    assert [p.name for p in out.parent.iterdir()] == ["article.ru.txt"]  # no temp file left


def test_markdown_by_extension(env, tmp_path: Path) -> None:
    source = tmp_path / "note.md"
    source.write_text("# Kim Jong-un visited Moscow.\n\n```\ncode stays\n```\n", encoding="utf-8")
    proc = glossa(env, "-t", "ru", str(source))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "# Ким Чен Ын посетил Москву.\n\n```\ncode stays\n```\n"


def test_unsupported_detected_language_is_refused(env) -> None:
    proc = glossa(env, "-t", "en", stdin="Добрий день! Сьогодні у Києві відбулася зустріч міністрів.")
    assert proc.returncode == 1
    assert "'uk'" in proc.stderr and "en, ko, ru" in proc.stderr and "Traceback" not in proc.stderr
