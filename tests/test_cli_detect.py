"""`glossa detect` run as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def glossa(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([sys.executable, "-m", "service", "detect", *args], input=stdin,
                          capture_output=True, timeout=60, check=False)
    return subprocess.CompletedProcess(proc.args, proc.returncode,
                                       proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8"))


def test_plain_output_from_a_file(tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text("북한이 목요일 단거리 탄도미사일 두 발을 발사했다고 합동참모본부가 밝혔다.\n",
                       encoding="utf-8")
    result = glossa(str(article))
    assert result.returncode == 0, result.stderr
    language, confidence = result.stdout.split()
    assert language == "ko" and 0.9 < float(confidence) <= 1.0


def test_unsupported_language_is_marked_from_stdin() -> None:
    result = glossa("-", stdin="Президент України провів зустріч з прем'єр-міністром Польщі.".encode())
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "uk"
    assert result.stdout.split()[-1] == "unsupported"


def test_json_output() -> None:
    result = glossa("--json", stdin=b"The ministry summoned the ambassador on Tuesday.")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["language"] == "en" and data["supported"] is True
    assert set(data) == {"language", "confidence", "supported", "alternatives"}


def test_jsonl_echoes_ids_and_survives_bad_lines(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join([
        json.dumps({"id": 7, "text": "Ракеты пролетели около 600 км и упали в море."}, ensure_ascii=False),
        "this is not json",
        json.dumps({"id": "b", "text": 42}),
        json.dumps({"text": "Силен снеговалеж блокира пътищата в Западна България."}, ensure_ascii=False),
        json.dumps({"id": None, "text": "2024-03-01"}),
    ]) + "\n", encoding="utf-8")
    result = glossa("--jsonl", str(feed))
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == 5
    assert out[0]["id"] == 7 and out[0]["language"] == "ru" and out[0]["supported"] is True
    assert out[1]["error"]["code"] == "invalid_input" and "line 2" in out[1]["error"]["message"]
    assert out[2]["id"] == "b" and "error" in out[2]
    assert "id" not in out[3] and out[3]["language"] == "bg" and out[3]["supported"] is False
    assert out[4] == {"id": None, "language": "und", "confidence": 0.0, "supported": False,
                      "alternatives": []}


def test_bad_input_is_a_one_line_error(tmp_path: Path) -> None:
    missing = glossa(str(tmp_path / "missing.txt"))
    assert missing.returncode == 2
    assert missing.stderr.startswith("glossa: error:") and "Traceback" not in missing.stderr
    binary = tmp_path / "blob.bin"
    binary.write_bytes(b"\x00\x01\x02 binary")
    result = glossa(str(binary))
    assert result.returncode == 2 and "binary" in result.stderr
    empty = glossa("-", stdin=b"")
    assert empty.returncode == 2 and "empty" in empty.stderr
