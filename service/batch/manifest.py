"""``OUT_DIR/manifest.jsonl``: one JSON record per input file and target language.

The manifest is the memory of a batch folder. During a run records are only ever appended (one
``write`` of one line, then flush and fsync), so a run killed at any moment leaves every record
it finished on disk and at most one torn last line, which readers skip. The newest record for an
(input, target) pair wins. At the end of a run the file is rewritten atomically with just those
newest records, so a finished run leaves exactly one record per pair.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from service.fileio import atomic_write_text

MANIFEST_NAME = "manifest.jsonl"

# Statuses a record can have.
TRANSLATED = "translated"
UNCHANGED = "unchanged"  # already in the target language: copied as it is
SKIPPED = "skipped"  # not a format batch reads
FAILED = "failed"
STATUSES = (TRANSLATED, UNCHANGED, SKIPPED, FAILED)

Record = dict[str, Any]
Key = tuple[str, str]  # (input path relative to IN_DIR, target language)


def record_key(record: Record) -> Key:
    return (record["input"], record["target"])


def read_manifest(path: Path) -> tuple[dict[Key, Record], int]:
    """The newest record per (input, target), and how many unreadable lines were skipped
    (a torn last line after a kill, or a hand-edited mistake)."""
    records: dict[Key, Record] = {}
    bad = 0
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        return records, 0
    for line in raw.split(b"\n"):
        if not line.strip():
            continue
        try:
            record = json.loads(line.decode("utf-8"))
            key = record_key(record)
        except (UnicodeDecodeError, ValueError, KeyError, TypeError):
            bad += 1
            continue
        if not isinstance(key[0], str) or not isinstance(key[1], str):
            bad += 1
            continue
        records.pop(key, None)  # re-insert so that iteration order follows the newest write
        records[key] = record
    return records, bad


def encode_record(record: Record) -> str:
    """One JSON line, readable (non-ASCII kept) unless the record holds a file name that is not
    valid UTF-8: its undecodable bytes are lone surrogates in Python (``\\udce9``), which only
    ASCII-escaped JSON can carry; they read back as the same name."""
    line = json.dumps(record, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        line = json.dumps(record, ensure_ascii=True, sort_keys=False, separators=(",", ":"))
    return line


class ManifestWriter:
    """Appends records durably; safe to call from several threads."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._handle = open(self.path, "ab")
        # A run killed mid-append may have left a line without its newline: start on a fresh
        # line so the next record is not glued to the torn one.
        if self._handle.tell() > 0:
            with open(self.path, "rb") as reader:
                reader.seek(-1, os.SEEK_END)
                if reader.read(1) != b"\n":
                    self._handle.write(b"\n")

    def append(self, record: Record) -> None:
        line = (encode_record(record) + "\n").encode("utf-8")
        with self._lock:
            self._handle.write(line)
            self._handle.flush()
            os.fsync(self._handle.fileno())

    def close(self) -> None:
        with self._lock:
            if not self._handle.closed:
                self._handle.close()

    def __enter__(self) -> "ManifestWriter":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def compact_manifest(path: Path, records: Iterable[Record]) -> None:
    """Replace the manifest with ``records`` (sorted by input, then target), atomically."""
    ordered = sorted(records, key=lambda r: (r["input"], r["target"]))
    atomic_write_text(Path(path), "".join(encode_record(r) + "\n" for r in ordered))
