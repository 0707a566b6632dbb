"""Atomic file writes: a reader (or a killed writer) sees the old file or the new one, never half.

The one way Glossa replaces a file (glossary PO files, batch outputs and manifests, the cached
package index, ``--output`` files): write to a temporary file in the same directory, fsync it,
give it the old file's mode (or 0644 for a new file: ``mkstemp`` would leave 0600), rename it
over the target, then fsync the directory so the rename itself survives a crash.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["TEMP_PREFIX", "atomic_write_bytes", "atomic_write_text", "fsync_dir", "remove_temp_files"]

# Temporary files are ``.glossa-tmp-NAME.XXXX.tmp``: hidden, and recognisable after a kill.
TEMP_PREFIX = ".glossa-tmp-"
_TEMP_SUFFIX = ".tmp"


def atomic_write_bytes(path: Path, data: bytes, *, mode: int | None = None) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{path.name}.", suffix=_TEMP_SUFFIX, dir=path.parent)
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


def remove_temp_files(directory: Path, *, recursive: bool = False, prefix: str = TEMP_PREFIX) -> None:
    """Delete the temporary files of writes killed before their rename (harmless but untidy).
    ``prefix="."``: every hidden ``*.tmp`` file, for folders only Glossa writes (batch outputs,
    where versions before this module named them ``.NAME.XXXX.tmp``)."""
    for root, _dirs, files in os.walk(directory):
        for name in files:
            if name.startswith(prefix) and name.endswith(_TEMP_SUFFIX):
                try:
                    os.unlink(os.path.join(root, name))
                except OSError:
                    pass
        if not recursive:
            break
