"""Batch parts that need no model: manifest durability, folder scanning, glossary fingerprints,
dry runs and the run's own bookkeeping over real files (failures and skips never reach the engine)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from service.batch import BatchOptions, read_manifest, run_batch
from service.batch.glossary_state import changed_concepts, concept_key, fingerprints
from service.batch.manifest import ManifestWriter, compact_manifest
from service.batch.scan import scan
from service.config import Settings
from service.errors import InputError

REPO = Path(__file__).resolve().parent.parent
UKRAINIAN = "Міністр закордонних справ України провів брифінг у Києві. Делегація повернеться до Києва.\n"


def _record(rel: str, target: str, **extra) -> dict:
    return {"input": rel, "target": target, "status": "translated", **extra}


# -- manifest -----------------------------------------------------------------------------------


def test_manifest_newest_record_wins_and_torn_lines_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "manifest.jsonl"
    with ManifestWriter(path) as writer:
        writer.append(_record("a.txt", "ko", run="1"))
        writer.append(_record("a.txt", "ru", run="1"))
        writer.append(_record("a.txt", "ko", run="2"))
    # What a kill in the middle of a write leaves: half a line, no newline.
    with open(path, "ab") as handle:
        handle.write(b'{"input": "b.txt", "target": "ko", "sta')
    records, bad = read_manifest(path)
    assert bad == 1
    assert records[("a.txt", "ko")]["run"] == "2"
    assert set(records) == {("a.txt", "ko"), ("a.txt", "ru")}

    # The next writer must not glue its record onto the torn line.
    with ManifestWriter(path) as writer:
        writer.append(_record("b.txt", "ko", run="3"))
    records, bad = read_manifest(path)
    assert bad == 1
    assert records[("b.txt", "ko")]["run"] == "3"

    compact_manifest(path, records.values())
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [tuple(json.loads(line)[k] for k in ("input", "target")) for line in lines] == [
        ("a.txt", "ko"), ("a.txt", "ru"), ("b.txt", "ko")]
    assert read_manifest(path) == (records, 0)


def test_manifest_keeps_non_ascii_readable(tmp_path: Path) -> None:
    path = tmp_path / "m.jsonl"
    with ManifestWriter(path) as writer:
        writer.append(_record("기사/평양.txt", "ru", warnings=["Ким Чен Ын"]))
    assert "평양" in path.read_text(encoding="utf-8")
    assert read_manifest(path)[0][("기사/평양.txt", "ru")]["warnings"] == ["Ким Чен Ын"]


# -- scanning -----------------------------------------------------------------------------------


def test_scan_formats_hidden_files_include_and_excluded_output(tmp_path: Path) -> None:
    feed = tmp_path / "feed"
    for rel in ("en/a.txt", "en/b.MD", "ko/c.html", "ko/d.htm", "misc/e.pdf", "misc/.swp", ".git/f.txt",
                "out/ko/en/a.txt"):
        (feed / rel).parent.mkdir(parents=True, exist_ok=True)
        (feed / rel).write_text("x", encoding="utf-8")
    found = scan(feed, exclude=(feed / "out",))
    assert [(f.rel, f.format) for f in found] == [
        ("en/a.txt", "text"), ("en/b.MD", "markdown"), ("ko/c.html", "html"), ("ko/d.htm", "html"),
        ("misc/e.pdf", None)]
    assert [f.rel for f in scan(feed, include=("*.html", "en/*.txt"), exclude=(feed / "out",))] == [
        "en/a.txt", "ko/c.html"]


# -- glossary fingerprints ----------------------------------------------------------------------


def test_fingerprints_see_rendering_changes_per_language_and_ignore_notes(tmp_path: Path) -> None:
    from service.glossary.store import GlossaryStore

    glossary = tmp_path / "glossaries"
    shutil.copytree(REPO / "glossaries", glossary)
    store = GlossaryStore(glossary)
    before = fingerprints(store.termbase())

    store.update("Alexander Matsegora", "person", note="Russian ambassador to the DPRK (test edit)")
    after_note = fingerprints(store.termbase())
    assert store.termbase().version != ""
    assert changed_concepts(before, after_note, {"en", "ko", "ru"}) == set()

    concept = store.termbase().get("Alexander Matsegora", "person")
    ko = replace(concept.rendering("ko"), text="마체고라 대사")
    store.update("Alexander Matsegora", "person", renderings={"ko": ko})
    after = fingerprints(store.termbase())
    key = concept_key("person", "Alexander Matsegora")
    assert changed_concepts(before, after, {"en", "ko"}) == {key}
    assert changed_concepts(before, after, {"en", "ru"}) == set()  # a ru-only file is not affected

    store.remove("Alexander Matsegora", "person")  # retiring counts for every language
    assert key in changed_concepts(after, fingerprints(store.termbase()), {"en", "ru"})


# -- runs that never reach the engine -----------------------------------------------------------


def _bad_feed(root: Path) -> Path:
    """Files every run must refuse or skip without a model."""
    feed = root / "feed"
    (feed / "uk").mkdir(parents=True)
    (feed / "broken").mkdir()
    (feed / "misc").mkdir()
    (feed / "uk" / "kyiv.txt").write_text(UKRAINIAN, encoding="utf-8")
    (feed / "broken" / "cp1251.txt").write_bytes("Сергей Лавров посетил Пхеньян.".encode("cp1251"))
    (feed / "broken" / "binary.md").write_bytes(bytes(range(256)) * 4)
    (feed / "broken" / "empty.html").write_bytes(b"")
    (feed / "misc" / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    return feed


def test_failures_and_skips_are_recorded_and_leftovers_of_a_kill_cleaned(tmp_path: Path) -> None:
    feed, out = _bad_feed(tmp_path), tmp_path / "out"
    # What a killed run can leave behind: a temp file of an unfinished atomic write and a torn
    # manifest line.
    (out / "ko" / "uk").mkdir(parents=True)
    stale = out / "ko" / "uk" / ".kyiv.txt.glossa-k2j3h4ab.tmp"  # the name atomic_write_bytes gives
    stale.write_text("half a transla", encoding="utf-8")
    (out / "manifest.jsonl").write_bytes(b'{"input": "uk/kyiv.txt", "targ')

    summary = run_batch(BatchOptions(in_dir=feed, out_dir=out, targets=("ko", "ru")), Settings())
    assert not stale.exists()
    assert summary.counts == {"failed": 8, "skipped": 2}
    records, bad = read_manifest(out / "manifest.jsonl")
    assert bad == 0  # compacted at the end
    assert len(records) == 10
    errors = {rel: records[(rel, "ko")]["error"] for rel, _ in records if records[(rel, "ko")]["status"] == "failed"}
    assert errors["uk/kyiv.txt"]["code"] == "unsupported_language"
    assert "'uk'" in errors["uk/kyiv.txt"]["message"]
    assert "not valid UTF-8" in errors["broken/cp1251.txt"]["message"]
    assert "binary" in errors["broken/binary.md"]["message"]
    assert "empty" in errors["broken/empty.html"]["message"]
    assert records[("misc/photo.png", "ru")]["status"] == "skipped"
    assert records[("uk/kyiv.txt", "ru")]["detected"]["language"] == "uk"
    assert records[("broken/cp1251.txt", "ko")]["sha256"]
    # Nothing was written for a failed file, and no mojibake was guessed.
    assert sorted(p.name for p in out.rglob("*") if p.is_file() and not p.name.startswith(".")
                  and p.parent.name != ".glossa-batch") == ["manifest.jsonl"]

    # A rerun retries the failures (they may have been fixed) and appends nothing for skips.
    (feed / "broken" / "cp1251.txt").write_bytes("Сергей Лавров посетил Пхеньян.".encode())
    (feed / "broken" / "cp1251.txt").rename(feed / "broken" / "fixed.pdf")  # now merely skipped
    again = run_batch(BatchOptions(in_dir=feed, out_dir=out, targets=("ko", "ru")), Settings())
    assert again.counts == {"failed": 6, "skipped": 4}


def test_dry_run_lists_the_plan_and_writes_nothing(tmp_path: Path) -> None:
    feed, out = _bad_feed(tmp_path), tmp_path / "out"
    (feed / "en").mkdir()
    (feed / "en" / "visit.txt").write_text(
        "The Korean Central News Agency reported that Kim Jong-un met with Olga Lyubimova on June 20, 2025. "
        "Olga Lyubimova said that the talks in Pyongyang were successful.\n", encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.run([sys.executable, "-m", "service", "batch", str(feed), "-o", str(out), "-t", "en,ru",
                           "--dry-run"], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 1, proc.stderr  # some files would fail
    lines = proc.stdout.splitlines()
    assert "would copy      en/visit.txt -> en (new)" in lines
    assert "would translate en/visit.txt -> ru (new)" in lines
    assert any(line.startswith("would fail      uk/kyiv.txt -> ru") for line in lines)
    assert any(line.startswith("skipped         misc/photo.png -> en") for line in lines)
    assert len(lines) == 12
    assert not out.exists()
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("args, message", [
    (["missing-dir", "-o", "OUT", "-t", "ko"], "no such folder"),
    (["FEED", "-o", "FEED", "-t", "ko"], "must differ from the input folder"),
    (["FEED", "-o", "OUT", "-t", "ko,de"], "target language 'de' is not supported"),
    (["FEED", "-o", "OUT", "-t", "ko", "--source", "uk"], "source language 'uk' is not supported"),
])
def test_bad_arguments_are_one_line_errors(tmp_path: Path, args: list[str], message: str) -> None:
    feed = _bad_feed(tmp_path)
    args = [a.replace("FEED", str(feed)).replace("OUT", str(tmp_path / "out")) for a in args]
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.run([sys.executable, "-m", "scripts.translate_batch", *args],
                          capture_output=True, text=True, env=env, timeout=120, cwd=REPO)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


def test_a_second_run_on_the_same_output_is_refused(tmp_path: Path) -> None:
    from filelock import FileLock

    feed, out = _bad_feed(tmp_path), tmp_path / "out"
    (out / ".glossa-batch").mkdir(parents=True)
    with FileLock(str(out / ".glossa-batch" / "lock")):  # another run holds the folder
        with pytest.raises(InputError, match="another glossa batch run"):
            run_batch(BatchOptions(in_dir=feed, out_dir=out, targets=("ko",)), Settings())


def test_progress_bar_when_asked(tmp_path: Path) -> None:
    feed = _bad_feed(tmp_path)
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.run([sys.executable, "-m", "service", "batch", str(feed), "-o", str(tmp_path / "out"),
                           "-t", "ko", "--progress"], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 1
    assert "batch: 100%" in proc.stderr and "5/5" in proc.stderr
    # failures are printed above the bar; the per-file log lines of the non-terminal mode are not
    assert "failed          uk/kyiv.txt -> ko" in proc.stderr
    assert "skipped         misc/photo.png" not in proc.stderr
