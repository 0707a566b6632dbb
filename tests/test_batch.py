"""`glossa batch` end to end on real folders with the demo models (real CTranslate2 inference).

Articles are made of sentences from scripts/demo_corpus.py (and samples/batch), which the demo
models translate; the point here is the batch machinery, not translation quality.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from scripts import demo_corpus
from service.batch import BatchOptions, read_manifest, run_batch

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples" / "batch"


def _outputs(out: Path) -> dict[str, bytes]:
    """Visible files under the per-language folders (temp files of atomic writes are hidden)."""
    return {p.relative_to(out).as_posix(): p.read_bytes()
            for p in sorted(out.rglob("*"))
            if p.is_file() and p.parent != out and ".glossa-batch" not in p.parts and not p.name.startswith(".")}


def _hidden_leftovers(out: Path) -> list[Path]:
    return [p for p in out.rglob(".*.tmp")]


def _env(settings, **extra: str) -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(REPO), ARGOS_PACKAGES_DIR=str(settings.packages_dir), **extra)


@pytest.fixture
def feed(tmp_path: Path) -> Path:
    """The shipped sample folder (en .txt, ko .md, ru .html, a Ukrainian article) plus a BOM
    file, a binary file, a CP1251 file and a picture."""
    root = tmp_path / "feed"
    shutil.copytree(SAMPLES, root)
    (root / "en" / "bom.txt").write_bytes(b"\xef\xbb\xbf" + b"Sergei Lavrov returned to Moscow from Pyongyang. "
                                          b"Olga Lyubimova left for Moscow.\n")
    (root / "broken").mkdir()
    (root / "broken" / "scan.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 50)
    (root / "broken" / "cp1251.txt").write_bytes(
        "Сергей Лавров вернулся в Москву из Пхеньяна. Ольга Любимова отправилась в Москву.".encode("cp1251"))
    (root / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(100))
    return root


def test_folder_in_three_languages_with_bad_files(feed: Path, tmp_path: Path, demo_settings, demo_pipeline) -> None:
    out = tmp_path / "out"
    options = BatchOptions(in_dir=feed, out_dir=out, targets=("ko", "ru"), jobs=3)
    summary = run_batch(options, demo_settings, pipeline=demo_pipeline)

    assert summary.counts == {"translated": 6, "unchanged": 2, "failed": 6, "skipped": 2}
    records, bad = read_manifest(out / "manifest.jsonl")
    assert bad == 0 and len(records) == 16
    assert len((out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()) == 16

    kim_ru = records[("en/kim-visit.txt", "ru")]
    assert kim_ru["status"] == "translated" and kim_ru["source"] == "en"
    assert kim_ru["detected"]["language"] == "en" and kim_ru["detected"]["confidence"] > 0.5
    assert kim_ru["output"] == "ru/en/kim-visit.txt"
    assert kim_ru["terms_applied"] + kim_ru["terms_missed"] == len(kim_ru["terms"]) > 5
    assert {t["concept"] for t in kim_ru["terms"]} >= {"Kim Jong-un", "Olga Lyubimova", "Alexander Matsegora"}
    assert any("DEMO" in w for w in kim_ru["warnings"])
    assert kim_ru["sha256"] and kim_ru["glossary_version"] and kim_ru["models_keys"]
    translated = (out / "ru/en/kim-visit.txt").read_text(encoding="utf-8")
    assert "Ким Чен Ын" in translated and "Kim" not in translated

    # ko -> ru goes through the English pivot; Markdown structure survives.
    treaty_ru = (out / "ru/ko/treaty-anniversary.md").read_text(encoding="utf-8")
    assert treaty_ru.startswith("# ") and treaty_ru.count("\n- ") == 3
    assert not any("\uac00" <= ch <= "\ud7a3" for ch in treaty_ru)
    assert records[("ko/treaty-anniversary.md", "ru")]["models"][0].startswith("ko->en")

    # HTML: tags and attributes untouched, text nodes translated.
    html_ko = (out / "ko/ru/lavrov-talks.html").read_text(encoding="utf-8")
    source_html = (feed / "ru/lavrov-talks.html").read_text(encoding="utf-8")
    assert html_ko.count("<p>") == source_html.count("<p>") == 3
    assert '<meta charset="utf-8">' in html_ko and "라브로프" in html_ko

    # Already in the target language: copied byte for byte and recorded as unchanged.
    assert records[("ko/treaty-anniversary.md", "ko")]["status"] == "unchanged"
    assert (out / "ko/ko/treaty-anniversary.md").read_bytes() == (feed / "ko/treaty-anniversary.md").read_bytes()
    assert (out / "ru/ru/lavrov-talks.html").read_bytes() == (feed / "ru/lavrov-talks.html").read_bytes()

    # The BOM file is read as UTF-8; bad files fail with their reason and produce nothing.
    assert records[("en/bom.txt", "ko")]["status"] == "translated"
    assert not (out / "ko/en/bom.txt").read_text(encoding="utf-8").startswith("\ufeff")
    assert records[("uk/kyiv-briefing.txt", "ru")]["error"]["code"] == "unsupported_language"
    assert "binary" in records[("broken/scan.txt", "ko")]["error"]["message"]
    assert "not valid UTF-8" in records[("broken/cp1251.txt", "ru")]["error"]["message"]
    assert records[("photo.jpg", "ko")]["status"] == "skipped"
    assert sorted(_outputs(out)) == sorted([
        "ko/en/bom.txt", "ko/en/kim-visit.txt", "ko/ko/treaty-anniversary.md", "ko/ru/lavrov-talks.html",
        "ru/en/bom.txt", "ru/en/kim-visit.txt", "ru/ko/treaty-anniversary.md", "ru/ru/lavrov-talks.html"])
    assert summary.chars > 0 and summary.failed == 6

    # Rerun: everything that succeeded is up to date and its outputs are not rewritten.
    stamps = {p: (out / p).stat().st_mtime_ns for p in _outputs(out)}
    again = run_batch(options, demo_settings, pipeline=demo_pipeline)
    assert again.counts == {"up to date": 8, "failed": 6, "skipped": 2}
    assert {p: (out / p).stat().st_mtime_ns for p in _outputs(out)} == stamps

    # A changed input is translated again, only for that input.
    (feed / "en" / "bom.txt").write_text("Olga Lyubimova arrived in Pyongyang on June 19, 2025. "
                                         "Olga Lyubimova left for Moscow.\n", encoding="utf-8")
    (out / "ru/ru/lavrov-talks.html").unlink()  # and a deleted output is made again
    third = run_batch(options, demo_settings, pipeline=demo_pipeline)
    assert third.counts == {"translated": 2, "unchanged": 1, "up to date": 5, "failed": 6, "skipped": 2}
    records = read_manifest(out / "manifest.jsonl")[0]
    assert records[("en/bom.txt", "ko")]["reason"] == "input changed"
    assert records[("ru/lavrov-talks.html", "ru")]["reason"] == "output missing"


def _article_feed(root: Path, count: int) -> Path:
    """``count`` short articles in en/ko/ru (rotating), each from distinct demo-corpus sentences."""
    corpus = demo_corpus
    triples = corpus.triples(count * 3, seed=11, placeholder_rate=0.0)
    langs = ("en", "ko", "ru")
    for index in range(count):
        lang = langs[index % 3]
        sentences = [t[langs.index(lang)] for t in triples[index * 3:(index + 1) * 3]]
        path = root / lang / f"article-{index:02d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(" ".join(sentences) + "\n", encoding="utf-8")
    return root


def _batch_cmd(feed: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "service", "batch", str(feed), "-o", str(out), "-t", "ko,ru",
            "--chunk-files", "1", "--jobs", "2", *extra]


def test_killed_run_resumes_with_every_output_complete_and_none_duplicated(
        tmp_path: Path, demo_settings) -> None:
    feed = _article_feed(tmp_path / "feed", 15)
    env = _env(demo_settings)
    reference = tmp_path / "reference"
    done = subprocess.run(_batch_cmd(feed, reference, "--json"), capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["counts"] == {"translated": 20, "unchanged": 10}
    expected = _outputs(reference)
    assert len(expected) == 30

    out = tmp_path / "out"
    proc = subprocess.Popen(_batch_cmd(feed, out), stderr=subprocess.PIPE, text=True, env=env)
    seen = 0
    try:
        for line in proc.stderr:  # plain log lines: stderr is not a terminal
            if line.startswith("glossa batch: translated"):
                seen += 1
                if seen == 2:
                    break
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL, "the run finished before it could be killed"
    partial = _outputs(out)
    assert 2 <= len(partial) < len(expected)  # killed mid-way
    for rel, data in partial.items():
        assert data == expected[rel], f"{rel} is incomplete after the kill"
    records, _bad = read_manifest(out / "manifest.jsonl")
    for record in records.values():  # every record written describes a complete file
        assert record["output"] is None or (out / record["output"]).read_bytes() == expected[record["output"]]

    resumed = subprocess.run(_batch_cmd(feed, out, "--json"), capture_output=True, text=True, env=env, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    counts = json.loads(resumed.stdout)["counts"]
    assert counts["up to date"] >= len(records) - 1  # at most the pair being written when killed is redone
    assert sum(counts.values()) == 30
    assert _outputs(out) == expected
    assert not _hidden_leftovers(out)
    lines = (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    keys = [(json.loads(line)["input"], json.loads(line)["target"]) for line in lines]
    assert len(keys) == len(set(keys)) == 30


def test_glossary_change_retranslates_only_affected_files(tmp_path: Path, demo_settings) -> None:
    from service.glossary.store import GlossaryStore
    from service.pipeline import Pipeline

    glossary = tmp_path / "glossaries"
    shutil.copytree(REPO / "glossaries", glossary)
    settings = replace(demo_settings, glossary_dir=glossary)
    pipeline = Pipeline(settings)
    feed = tmp_path / "feed"
    shutil.copytree(SAMPLES, feed, ignore=shutil.ignore_patterns("uk"))
    out = tmp_path / "out"
    options = BatchOptions(in_dir=feed, out_dir=out, targets=("ko", "ru"))
    first = run_batch(options, settings, pipeline=pipeline)
    assert first.counts == {"translated": 4, "unchanged": 2}
    before = read_manifest(out / "manifest.jsonl")[0]
    stamps = {p: (out / p).stat().st_mtime_ns for p in _outputs(out)}

    # A note is not a rendering: nothing to translate again.
    store = GlossaryStore(glossary)
    store.update("Alexander Matsegora", "person", note="Russian ambassador in Pyongyang (edited)")
    assert run_batch(options, settings, pipeline=pipeline).counts == {"up to date": 6}

    # Matsegora appears only in en/kim-visit.txt; its Korean rendering changes, so only the
    # Korean translation of that file is redone (the Russian one does not use the Korean side).
    concept = store.termbase().get("Alexander Matsegora", "person")
    store.update("Alexander Matsegora", "person", renderings={"ko": replace(concept.rendering("ko"), text="마체고라 알렉산드르")})
    third = run_batch(options, settings, pipeline=pipeline)
    assert third.counts == {"translated": 1, "up to date": 5}
    after = read_manifest(out / "manifest.jsonl")[0]
    redone = [key for key in after if after[key]["run"] != before[key]["run"]]
    assert redone == [("en/kim-visit.txt", "ko")]
    assert after[("en/kim-visit.txt", "ko")]["reason"] == "glossary changed: Alexander Matsegora"
    assert "마체고라 알렉산드르" in {t["rendering"] for t in after[("en/kim-visit.txt", "ko")]["terms"]}
    assert "마체고라 알렉산드르" in (out / "ko/en/kim-visit.txt").read_text(encoding="utf-8")
    untouched = {p: t for p, t in stamps.items() if p != "ko/en/kim-visit.txt"}
    assert {p: (out / p).stat().st_mtime_ns for p in untouched} == untouched
    # Up-to-date records now carry the new glossary version, so old snapshots can go.
    versions = {r["glossary_version"] for r in after.values() if r["status"] == "translated"}
    assert versions == {store.termbase().version}
    assert len(list((out / ".glossa-batch").glob("glossary-*.json"))) == 1


def test_cli_on_the_sample_folder(tmp_path: Path, demo_settings) -> None:
    """What the README shows: the shipped sample folder, exit code 1 for the Ukrainian article."""
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "scripts.translate_batch", str(SAMPLES),
                           "-o", str(out), "-t", "ko,ru"], capture_output=True, text=True,
                          env=_env(demo_settings), timeout=300, cwd=REPO)
    assert proc.returncode == 1
    assert "glossa batch: 4 input file(s): 4 translated, 2 unchanged, 2 failed" in proc.stderr
    assert "characters translated in" in proc.stderr
    assert "failed          uk/kyiv-briefing.txt -> ko (the text looks like 'uk'" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert (out / "ko/en/kim-visit.txt").is_file() and (out / "manifest.jsonl").is_file()
    # Demo models answered: each file's line, the summary and the manifest say so.
    assert "WARNING: 4 file/target pair(s) translated with DEMO models" in proc.stderr
    assert "-> ko/en/kim-visit.txt (DEMO models" in proc.stderr
    records = [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]
    assert [r["demo"] for r in records if r["status"] == "translated"] == [True] * 4
