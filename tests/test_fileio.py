"""The one atomic write (service/fileio.py): content, file mode, leftovers of a killed write."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from service.fileio import atomic_write_bytes, atomic_write_text, is_temp_file, remove_temp_files


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_file_is_world_readable_and_an_old_one_keeps_its_mode(tmp_path: Path) -> None:
    old_umask = os.umask(0o022)
    try:
        new = tmp_path / "sub" / "new.po"
        atomic_write_text(new, "msgid \"\"\n")
        assert new.read_text(encoding="utf-8") == "msgid \"\"\n"
        assert _mode(new) == 0o644  # not mkstemp's 0600: other users (a PO editor, a web server) read it

        kept = tmp_path / "kept.po"
        kept.write_text("old", encoding="utf-8")
        kept.chmod(0o640)
        atomic_write_bytes(kept, "новый".encode())
        assert kept.read_text(encoding="utf-8") == "новый" and _mode(kept) == 0o640

        atomic_write_bytes(kept, b"x", mode=0o600)
        assert _mode(kept) == 0o600
    finally:
        os.umask(old_umask)
    assert not [p for p in tmp_path.rglob("*") if is_temp_file(p.name)]


def test_a_failed_write_leaves_the_old_file_and_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(TypeError):
        atomic_write_bytes(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_leftovers_of_killed_writes_are_removed(tmp_path: Path) -> None:
    (tmp_path / "deep").mkdir()
    ours = tmp_path / ".a.po.glossa-x1y2z3w4.tmp"
    deep = tmp_path / "deep" / ".b.txt.glossa-k2j3h4g5.tmp"
    user = tmp_path / "deep" / ".notes.tmp"  # a user's own hidden temp file: never touched
    for path in (ours, deep, user):
        path.write_text("x", encoding="utf-8")
    remove_temp_files(tmp_path)
    assert not ours.exists() and deep.exists() and user.exists()
    remove_temp_files(tmp_path, recursive=True)
    assert not deep.exists() and user.exists()
