"""Multi-file glossary writes that a reader never sees half of, even after ``kill -9``.

A concept lives in several files (``glossary.pot`` and one PO per language); each file is
replaced atomically, but a writer killed between two renames would leave the folder half old,
half new. So a write of several files first writes a journal (``.glossary.journal``: the full
new text of every file, itself written atomically), then replaces the files, then deletes the
journal. While a journal exists it *is* the folder's content for the files it names:

* readers overlay it on the files (``read_consistent``), and retry when the folder changed while
  they read it, so they see the old version or the new one;
* the next writer (inside the lock) and ``glossary check`` complete it (``roll_forward``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path

from service.errors import GlossaryError
from service.fileio import atomic_write_text, fsync_dir
from service.glossary.pofile import read_text

JOURNAL_NAME = ".glossary.journal"
POT_NAME = "glossary.pot"
_READ_ATTEMPTS = 20

log = logging.getLogger("glossa.glossary")


def file_name(lang: str | None) -> str:
    return POT_NAME if lang is None else f"{lang}.po"


def _digest(files: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(files, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def write_files(directory: Path, files: dict[str, str]) -> None:
    """Replace the named files (name -> text) as one change."""
    if len(files) > 1:
        body = {"files": files, "sha256": _digest(files)}
        atomic_write_text(directory / JOURNAL_NAME, json.dumps(body, ensure_ascii=False))
    for name, text in sorted(files.items()):
        atomic_write_text(directory / name, text)
    if len(files) > 1:
        os.unlink(directory / JOURNAL_NAME)
        fsync_dir(directory)


def pending(directory: Path) -> dict[str, str] | None:
    """The files of an unfinished write, or None. A damaged journal (it is written atomically,
    so only outside interference damages it) is set aside and ignored."""
    path = directory / JOURNAL_NAME
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise GlossaryError(f"cannot read the glossary journal {JOURNAL_NAME}: {exc.strerror}") from None
    try:
        body = json.loads(raw)
        files = body["files"]
        if not isinstance(files, dict) or _digest(files) != body["sha256"]:
            raise ValueError("checksum")
        if not all(isinstance(k, str) and "/" not in k and isinstance(v, str) for k, v in files.items()):
            raise ValueError("names")
    except (ValueError, KeyError, TypeError):
        return None
    return files


def roll_forward(directory: Path) -> list[str]:
    """Complete an interrupted write (call with the write lock held); the names it wrote."""
    files = pending(directory)
    if files is None:
        return []
    log.warning("completing an interrupted glossary write in %s (%s)", directory.name, ", ".join(sorted(files)))
    write_files(directory, files)
    return sorted(files)


def _signature(directory: Path, names: list[str]) -> tuple:
    stamp = []
    for name in [*names, JOURNAL_NAME]:
        try:
            st = (directory / name).stat()
        except FileNotFoundError:
            continue
        stamp.append((name, st.st_ino, st.st_mtime_ns, st.st_size))
    return tuple(stamp)


def read_consistent(directory: Path, langs: list[str | None]) -> dict[str | None, str]:
    """The texts of the files of ``langs`` (and of any file an unfinished write adds), as one
    version: re-read while a writer changes the folder underneath."""
    names = [file_name(lang) for lang in langs]
    texts: dict[str | None, str] = {}
    for _ in range(_READ_ATTEMPTS):
        before = _signature(directory, names)
        texts = {}
        for lang, name in zip(langs, names):
            try:
                texts[lang] = read_text(directory / name)
            except FileNotFoundError:
                continue
            except (OSError, UnicodeDecodeError) as exc:
                raise GlossaryError(f"cannot read {name}: {getattr(exc, 'strerror', None) or exc}") from None
        journal = pending(directory)
        for name, text in (journal or {}).items():
            lang = None if name == POT_NAME else name.removesuffix(".po")
            texts[lang] = text
        if _signature(directory, names) == before:
            return texts
    return texts  # a folder rewritten continuously: the last full read (each file is whole)
