"""The store: cache invalidation, locked atomic writes, concurrent writers, killed writers."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import polib
import pytest

from service.errors import ConceptNotFoundError, GlossaryError
from service.glossary.store import GlossaryStore
from service.glossary.termbase import Concept, Rendering, Termbase

REPO = Path(__file__).resolve().parent.parent


def _valid(directory: Path) -> None:
    """Every file parses, msgfmt accepts it (when installed), and it loads as a termbase."""
    for path in [directory / n for n in ("glossary.pot", "en.po", "ko.po", "ru.po")]:
        polib.pofile(str(path))
        if shutil.which("msgfmt"):
            result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
            assert result.returncode == 0, result.stderr
    Termbase.load(directory)


def test_add_update_remove_round_trip(gdir: Path) -> None:
    store = GlossaryStore(gdir)
    before = store.termbase()
    concept = Concept("Pak Jong-chon", "person", "Secretary of the WPK Central Committee. Source: KCNA.",
                      {"ko": Rendering("박정천"), "ru": Rendering("Пак Чон Чхон", gender="m")})
    store.add(concept)
    after = store.termbase()
    assert after is not before and after.version != before.version
    added = after.get("Pak Jong-chon")
    assert added.renderings["ru"].gender == "m" and added.renderings["en"].text == "Pak Jong-chon"
    with pytest.raises(GlossaryError, match="already in the glossary"):
        store.add(concept)

    store.update("Pak Jong-chon", note="changed. Source: KCNA.", renderings={"ru": Rendering("Пак Чон Чхон", variants=("Пак Чжон Чхон",), gender="m")})
    assert store.termbase().get("Pak Jong-chon").renderings["ru"].variants == ("Пак Чжон Чхон",)

    store.remove("Pak Jong-chon")
    tb = store.termbase()
    with pytest.raises(ConceptNotFoundError):
        tb.get("Pak Jong-chon")
    assert tb.get("Pak Jong-chon", "person", include_retired=True).retired
    assert "#~ msgid \"Pak Jong-chon\"" in (gdir / "ru.po").read_text(encoding="utf-8")
    store.add(concept)  # a retired concept can come back
    assert not store.termbase().get("Pak Jong-chon").retired
    _valid(gdir)


def test_bad_input_is_refused(gdir: Path) -> None:
    store = GlossaryStore(gdir)
    with pytest.raises(GlossaryError, match="unknown category"):
        store.add(Concept("Thing", "gadget"))
    with pytest.raises(GlossaryError, match="surrounding spaces"):
        store.add(Concept(" Thing", "term"))
    with pytest.raises(ConceptNotFoundError):
        store.remove("Atlantis")


def test_cache_sees_outside_edits(gdir: Path) -> None:
    store = GlossaryStore(gdir)
    first = store.termbase()
    assert store.termbase() is first  # nothing changed: the cached snapshot
    ru = polib.pofile(str(gdir / "ru.po"))
    ru.find("Seoul", msgctxt="place").msgstr = "Сеул-сити"
    ru.save()  # an edit by another program, not through the store
    assert store.termbase().get("Seoul").renderings["ru"].text == "Сеул-сити"


def test_a_write_that_changes_nothing_keeps_the_bytes(gdir: Path) -> None:
    before = {p.name: p.read_bytes() for p in gdir.glob("*.po*")}
    store = GlossaryStore(gdir)
    store.update("Seoul", renderings={})  # a write that changes nothing
    assert {p.name: p.read_bytes() for p in gdir.glob("*.po*")} == before


_WRITER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from service.glossary.store import GlossaryStore
    from service.glossary.termbase import Concept, Rendering
    directory, prefix, count, go = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
    while not go.exists():
        time.sleep(0.005)
    store = GlossaryStore(directory)
    for i in range(count):
        store.add(Concept(f"{prefix} Term {i}", "term", "test", {"ru": Rendering(f"термин {prefix} {i}")}))
        print(i, flush=True)
""")


def test_two_processes_adding_at_once_both_land(gdir: Path, tmp_path: Path) -> None:
    go = tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, str(gdir), name, "8", str(go)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for name in ("Alpha", "Beta")]
    go.touch()
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    tb = Termbase.load(gdir)
    for name in ("Alpha", "Beta"):
        for i in range(8):
            assert tb.get(f"{name} Term {i}", "term").renderings["ru"].text == f"термин {name} {i}"
    _valid(gdir)


def test_two_cli_adds_at_once_both_land(gdir: Path) -> None:
    cmd = [sys.executable, "-m", "service", "glossary", "--dir", str(gdir), "add", "-c", "person"]
    procs = [subprocess.Popen(cmd + ["Pak Jong-chon", "--ko", "박정천", "--ru", "Пак Чон Чхон", "--gender", "m"], cwd=REPO,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True),
             subprocess.Popen(cmd + ["Ri Pyong-chol", "--ko", "리병철", "--ru", "Ли Бён Чхоль", "--gender", "m"], cwd=REPO,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)]
    for proc in procs:
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
    tb = Termbase.load(gdir)
    assert tb.get("Pak Jong-chon").renderings["ko"].text == "박정천"
    assert tb.get("Ri Pyong-chol").renderings["ru"].text == "Ли Бён Чхоль"


_SLOW_WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from service.glossary.store import atomic_write
    # A huge replacement (tens of MB) so that the write is still going when the parent kills us.
    atomic_write(Path(sys.argv[1]), "# junk\\n" * 6_000_000)
""")


def test_killed_write_leaves_previous_file(gdir: Path) -> None:
    target = gdir / "ru.po"
    original = target.read_bytes()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    killed_mid_write = False
    for _attempt in range(3):
        proc = subprocess.Popen([sys.executable, "-c", _SLOW_WRITER, str(target)], env=env)
        while proc.poll() is None and not any(gdir.glob(".*.glossa-*.tmp")):
            time.sleep(0.001)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            killed_mid_write = target.read_bytes() == original
            if killed_mid_write:
                break
        target.write_bytes(original)  # the writer won the race: restore and try again
    assert killed_mid_write, "could not kill the writer before it finished; the machine is too fast"
    assert target.read_bytes() == original
    _valid(gdir)
    # The next write through the store tidies the temporary file up.
    GlossaryStore(gdir).update("Seoul", note="Capital of the Republic of Korea. Source: Yonhap; TASS.")
    assert not any(gdir.glob(".*.glossa-*.tmp"))


def test_killed_writer_loop_leaves_valid_files(gdir: Path, tmp_path: Path) -> None:
    """Kill a process in the middle of a stream of adds: every file is still valid and every add
    it reported as done is there."""
    go = tmp_path / "go"
    go.touch()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(gdir), "Gamma", "1000", str(go)], env=env,
                            stdout=subprocess.PIPE, text=True)
    done = [proc.stdout.readline() for _ in range(3)]
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    _valid(gdir)
    tb = Termbase.load(gdir)
    for line in done:
        assert tb.get(f"Gamma Term {int(line)}", "term")


def test_lock_timeout_is_a_clear_error(gdir: Path) -> None:
    from filelock import FileLock

    holder = FileLock(str(gdir / ".glossary.lock"))
    with holder:
        with pytest.raises(GlossaryError, match="locked by another writer"):
            GlossaryStore(gdir, lock_timeout=0.2).add(Concept("Nobody", "term"))


def test_snapshot_for_enforcement(gdir: Path) -> None:
    store = GlossaryStore(gdir)
    snap = store.snapshot()
    kim = snap.termbase.get("Kim Jong-un")
    assert snap.rendering(kim, "ru") == "Ким Чен Ын"
    assert snap.forms(kim, "ru") == ["Ким Чен Ын", "Ким Чен Ына", "Ким Чен Ыну", "Ким Чен Ыном", "Ким Чен Ыне"]
    assert snap.forms(kim, "ko") == ["김정은"]
    assert [m.text for m in snap.matcher("ko").find("김정은이 평양에서")] == ["김정은", "평양"]
    store.update("Kim Jong-un", renderings={"ru": Rendering("Ким Чен Ын", gender="m", fuzzy=True)})
    assert snap.rendering(kim, "ru") == "Ким Чен Ын"  # a snapshot does not change under its user
    fresh = store.snapshot()
    assert fresh.rendering(fresh.termbase.get("Kim Jong-un"), "ru") is None  # proposed: not enforced
    assert fresh.forms(fresh.termbase.get("Kim Jong-un"), "ru") == []
