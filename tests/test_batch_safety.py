"""Batch never writes over its inputs and survives hostile folders (issue 12, items 5 and 6).

Every case runs the real CLI (or the real runner in a subprocess) on real files; the demo models
do the translating where a translation is needed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
ENGLISH = ("Sergei Lavrov returned to Moscow from Pyongyang. "
           "Olga Lyubimova left for Moscow.\n")
RUSSIAN = "Сергей Лавров вернулся в Москву из Пхеньяна. Ольга Любимова отправилась в Москву.\n"
UKRAINIAN = "Міністр закордонних справ України провів брифінг у Києві. Делегація повернеться до Києва.\n"


def _env(settings=None) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    if settings is not None:
        env["ARGOS_PACKAGES_DIR"] = str(settings.packages_dir)
    return env


def _batch(*args: str | Path, env: dict[str, str], prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    return subprocess.run([*prefix, sys.executable, "-m", "service", "batch", *map(str, args)],
                          capture_output=True, text=True, env=env, timeout=300)


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# -- item 5: outputs never land on inputs -----------------------------------------------------------


def test_input_inside_the_output_folder_is_refused_and_nothing_is_touched(tmp_path: Path, demo_settings) -> None:
    """The reported case: `glossa batch X/ru -o X -t ru` replaced every original with a translation."""
    x = tmp_path / "x"
    (x / "ru").mkdir(parents=True)
    for i in range(3):
        (x / "ru" / f"a{i}.txt").write_text(ENGLISH, encoding="utf-8")
    before = _tree(x)
    proc = _batch(x / "ru", "-o", x, "-t", "ru", env=_env(demo_settings))
    assert proc.returncode == 2, proc.stderr
    assert "inside the output folder" in proc.stderr and "Traceback" not in proc.stderr
    assert _tree(x) == before and not (x / "manifest.jsonl").exists()

    # The same through a symlinked output: realpaths decide, not spellings.
    (tmp_path / "alias").symlink_to(x)
    proc = _batch(x / "ru", "-o", tmp_path / "alias", "-t", "ko", env=_env(demo_settings))
    assert proc.returncode == 2 and "inside the output folder" in proc.stderr
    assert _tree(x) == before


def test_output_inside_the_input_folder_needs_a_glossa_folder(tmp_path: Path, demo_settings) -> None:
    feed = tmp_path / "feed"
    (feed / "en").mkdir(parents=True)
    (feed / "en" / "a.txt").write_text(ENGLISH, encoding="utf-8")
    # A user's folder of Russian originals named like an output folder: writing into it would
    # hide them from the run and could overwrite them.
    (feed / "ru" / "ru" / "en").mkdir(parents=True)
    (feed / "ru" / "ru" / "en" / "a.txt").write_text(RUSSIAN, encoding="utf-8")
    before = _tree(feed)
    proc = _batch(feed, "-o", feed / "ru", "-t", "ru", env=_env(demo_settings))
    assert proc.returncode == 2, proc.stderr
    assert "already holds files" in proc.stderr
    assert _tree(feed) == before

    # A new output folder inside the input is fine (it is left out of the scan), and so is the
    # same folder on the next run (it is Glossa's now).
    for _ in range(2):
        proc = _batch(feed, "-o", feed / "out", "-t", "ko", "--json", env=_env(demo_settings))
        assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["counts"] == {"up to date": 2}
    assert (feed / "ru" / "ru" / "en" / "a.txt").read_text(encoding="utf-8") == RUSSIAN


def test_an_output_subfolder_that_links_into_the_input_is_refused(tmp_path: Path, demo_settings) -> None:
    feed, out = tmp_path / "feed", tmp_path / "out"
    (feed / "en").mkdir(parents=True)
    (feed / "en" / "a.txt").write_text(ENGLISH, encoding="utf-8")
    out.mkdir()
    (out / "ru").symlink_to(feed)  # out/ru/en/a.txt would be feed/en/a.txt
    proc = _batch(feed, "-o", out, "-t", "ru", env=_env(demo_settings))
    assert proc.returncode == 2, proc.stderr
    assert "ru" in proc.stderr and "input folder" in proc.stderr
    assert (feed / "en" / "a.txt").read_text(encoding="utf-8") == ENGLISH

    # Deeper: out/ko/en links into the input; the write is refused per file, the input intact.
    (out / "ru").unlink()
    (out / "ko").mkdir()
    (out / "ko" / "en").symlink_to(feed / "en")
    proc = _batch(feed, "-o", out, "-t", "ko", "--json", env=_env(demo_settings))
    assert proc.returncode == 1, proc.stderr
    failure = json.loads(proc.stdout)["failures"][0]
    assert failure["input"] == "en/a.txt" and "outside the output folder" in failure["error"]
    assert (feed / "en" / "a.txt").read_text(encoding="utf-8") == ENGLISH


# -- item 6: hostile folders ----------------------------------------------------------------------


def test_a_file_name_that_is_not_utf8_is_translated_and_the_manifest_stays_one_line_per_pair(
        tmp_path: Path, demo_settings) -> None:
    feed, out = tmp_path / "feed", tmp_path / "out"
    (feed / "en").mkdir(parents=True)
    raw_name = b"caf\xe9.txt"  # Latin-1, as an old FTP drop leaves it
    (feed / "en" / os.fsdecode(raw_name)).write_text(ENGLISH, encoding="utf-8")
    (feed / "en" / "plain.txt").write_text(ENGLISH, encoding="utf-8")
    counts = []
    for _ in range(2):
        proc = _batch(feed, "-o", out, "-t", "ko", "--json", env=_env(demo_settings))
        assert proc.returncode == 0, proc.stderr
        assert "Traceback" not in proc.stderr
        counts.append(json.loads(proc.stdout)["counts"])
        lines = (out / "manifest.jsonl").read_bytes().splitlines()
        assert len(lines) == 2  # one record per pair, run after run
    assert counts == [{"translated": 2}, {"up to date": 2}]
    outputs = os.listdir(os.fsencode(out / "ko" / "en"))
    assert raw_name in outputs  # the output keeps the input's name, byte for byte
    records = [json.loads(line) for line in lines]
    assert {r["input"] for r in records} == {"en/plain.txt", "en/caf\udce9.txt"}
    # --dry-run prints the plan on stdout: the odd byte is shown escaped, not a crash.
    proc = _batch(feed, "-o", tmp_path / "other", "-t", "ru", "--dry-run", env=_env(demo_settings))
    assert proc.returncode == 0 and "en/caf\\xe9.txt" in proc.stdout, proc.stderr


def test_only_glossa_temp_files_are_cleaned_up(tmp_path: Path) -> None:
    from service.fileio import TEMP_SUFFIX, temp_prefix

    feed, out = tmp_path / "feed", tmp_path / "out"
    (feed / "uk").mkdir(parents=True)
    (feed / "uk" / "kyiv.txt").write_text(UKRAINIAN, encoding="utf-8")
    (out / "ko" / "uk").mkdir(parents=True)
    users = [out / ".draft.tmp", out / "ko" / "uk" / ".kyiv.txt.notes.tmp", out / "notes" / ".x.tmp"]
    for path in users:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("mine", encoding="utf-8")

    # What a write of Glossa's killed before its rename leaves: a temp file named the way
    # atomic_write_bytes names its own.
    target = out / "ko" / "uk" / "kyiv.txt"
    fd, name = tempfile.mkstemp(prefix=temp_prefix(target), suffix=TEMP_SUFFIX, dir=target.parent)
    os.close(fd)
    leftover = Path(name)

    proc = _batch(feed, "-o", out, "-t", "ko", env=_env())
    assert proc.returncode == 1, proc.stderr  # Ukrainian is refused; the run itself went through
    assert not leftover.exists()
    assert all(p.read_text(encoding="utf-8") == "mine" for p in users)


def test_an_input_swapped_for_a_fifo_after_the_scan_fails_instead_of_hanging(tmp_path: Path) -> None:
    feed, out = tmp_path / "feed", tmp_path / "out"
    (feed / "uk").mkdir(parents=True)
    (feed / "uk" / "a.txt").write_text(UKRAINIAN, encoding="utf-8")
    (feed / "uk" / "b.txt").write_text(UKRAINIAN, encoding="utf-8")
    # The reporter's start() runs after the scan and before any file is opened: the swap happens
    # exactly in the window the issue describes.
    script = textwrap.dedent(f"""
        import os, sys
        from pathlib import Path
        from service.batch import BatchOptions, run_batch
        from service.batch.runner import SilentReporter
        from service.config import Settings

        class Swap(SilentReporter):
            def start(self, total):
                victim = Path({str(feed / "uk" / "a.txt")!r})
                victim.unlink()
                os.mkfifo(victim)

        summary = run_batch(BatchOptions(in_dir=Path({str(feed)!r}), out_dir=Path({str(out)!r}),
                                         targets=("ko",)), Settings(), reporter=Swap())
        print(summary.failures)
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=_env(), timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "uk/a.txt: not a regular file" in proc.stdout


def test_an_unreadable_folder_is_reported(tmp_path: Path) -> None:
    feed, out = tmp_path / "feed", tmp_path / "out"
    (feed / "uk").mkdir(parents=True)
    (feed / "uk" / "a.txt").write_text(UKRAINIAN, encoding="utf-8")
    (feed / "secret").mkdir()
    (feed / "secret" / "b.txt").write_text(ENGLISH, encoding="utf-8")
    os.chmod(feed / "secret", 0)
    # root reads every folder; drop the capabilities that let it (the test runs as root in CI).
    prefix: tuple[str, ...] = ()
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: cannot make a folder unreadable")
        prefix = (setpriv, "--inh-caps=-all", "--bounding-set=-dac_override,-dac_read_search", "--")
    try:
        proc = _batch(feed, "-o", out, "-t", "ko", "--json", env=_env(), prefix=prefix)
    finally:
        os.chmod(feed / "secret", 0o755)
    assert proc.returncode == 1, proc.stderr
    assert "secret: cannot read this folder" in proc.stderr
    assert json.loads(proc.stdout)["unreadable"] == ["secret"]


def test_links_to_files_outside_the_input_folder_are_refused_unless_allowed(tmp_path: Path, demo_settings) -> None:
    feed, out = tmp_path / "feed", tmp_path / "out"
    (feed / "en").mkdir(parents=True)
    (feed / "en" / "a.txt").write_text(ENGLISH, encoding="utf-8")
    (feed / "en" / "inside.txt").symlink_to(feed / "en" / "a.txt")  # within the input: fine
    secret = tmp_path / "private" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("Olga Lyubimova left for Moscow.\n", encoding="utf-8")
    (feed / "en" / "outside.txt").symlink_to(secret)
    proc = _batch(feed, "-o", out, "-t", "ko", "--json", env=_env(demo_settings))
    assert proc.returncode == 1, proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["counts"] == {"translated": 2, "failed": 1}
    assert summary["failures"][0]["input"] == "en/outside.txt"
    assert "outside the input folder" in summary["failures"][0]["error"]
    assert not (out / "ko" / "en" / "outside.txt").exists()

    proc = _batch(feed, "-o", out, "-t", "ko", "--json", "--allow-outside-links", env=_env(demo_settings))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["counts"] == {"translated": 1, "up to date": 2}
    assert (out / "ko" / "en" / "outside.txt").is_file()
