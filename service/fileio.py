"""Atomic file writes: a reader (or a killed writer) sees the old file or the new one, never half.

The one way Glossa replaces a file (glossary PO files, batch outputs and manifests, the cached
package index, ``--output`` files): write to a temporary file in the same directory, fsync it,
give it the old file's mode (or 0644 for a new file: ``mkstemp`` would leave 0600), rename it
over the target, then fsync the directory so the rename itself survives a crash.

Temp files are named ``.NAME.glossa-XXXXXXXX.tmp``, a pattern only Glossa uses, so that cleaning
up after a killed write (:func:`is_temp_file`) can never delete a user's own ``*.tmp`` file.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

__all__ = ["TEMP_SUFFIX", "atomic_write_bytes", "atomic_write_text", "fsync_dir", "is_temp_file",
           "remove_temp_files", "temp_prefix"]

TEMP_SUFFIX = ".tmp"
# mkstemp's random part: 8 characters of [a-z0-9_].
_TEMP_NAME = re.compile(r"\..+\.glossa-[a-z0-9_]{8}\.tmp", re.DOTALL)


def temp_prefix(path: Path) -> str:
    """The prefix of the temp files written for ``path``."""
    return f".{Path(path).name}.glossa-"


def is_temp_file(name: str) -> bool:
    """Whether a file name is one of Glossa's temp files (left behind by a killed write)."""
    return _TEMP_NAME.fullmatch(name) is not None


def atomic_write_bytes(path: Path, data: bytes, *, mode: int | None = None) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=temp_prefix(path), suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp_name, mode)
        elif path.exists():
            os.chmod(tmp_name, path.stat().st_mode & 0o7777)
        else:
            os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
        raise
    fsync_dir(path.parent)


def atomic_write_text(path: Path, text: str, *, encoding: str = "utf-8") -> None:
    atomic_write_bytes(path, text.encode(encoding))


def fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return  # not supported on this platform / filesystem
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def remove_temp_files(directory: Path, *, recursive: bool = False) -> None:
    """Delete the temp files of writes killed before their rename (harmless but untidy)."""
    for root, _dirs, files in os.walk(directory):
        for name in files:
            if is_temp_file(name):
                try:
                    os.unlink(os.path.join(root, name))
                except OSError:
                    pass
        if not recursive:
            break
