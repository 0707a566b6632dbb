"""Parsing PO text the way the glossary folder will be read, and tolerating one bad entry.

Two reasons this exists beside polib:

* ``polib.pofile(x)`` opens ``x`` as a path whenever a file of that name exists, so parsing an
  uploaded string with it can read a server file named in a request body. ``parse_po_text``
  only ever parses the text it is given.
* Written files are read back from disk with universal newlines (``\\r`` ends a line), while
  polib parses a *string* with ``str.splitlines`` (which also splits on ``\\x0b``, ``\\x85``,
  ``\\u2028``...). Re-reading text before a write must see exactly what the next reader of the
  file will see, so both paths here read through ``io.StringIO(newline=None)``.

``parse_tolerant`` parses a whole file and, when polib refuses it, parses it entry by
entry (blocks between blank lines) and skips the blocks it cannot read, keeping their raw text
so a writer can preserve them and ``glossary check`` can name their line.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

import polib

WRAP_WIDTH = 78
_MSGID = re.compile(r'^msgid\s+"((?:[^"\\]|\\.)*)"', re.MULTILINE)
_MSGCTXT = re.compile(r'^msgctxt\s+"((?:[^"\\]|\\.)*)"', re.MULTILINE)


@dataclass(frozen=True)
class BadBlock:
    """An entry polib could not parse: where it starts, its raw text, what it seems to name."""

    line: int
    text: str
    error: str
    msgid: str | None = None
    msgctxt: str | None = None


class _TextParser(polib._POFileParser):  # polib has no public "parse this string, never a path"
    def __init__(self, text: str) -> None:
        super().__init__("", encoding="utf-8", check_for_duplicates=False, klass=polib.POFile)
        self.fhandle = io.StringIO(text, newline=None)  # universal newlines, as a file on disk


def parse_po_text(text: str) -> polib.POFile:
    """Parse PO/POT ``text`` (never a path); raises OSError/ValueError on a syntax error."""
    po = _TextParser(text).parse()
    po.wrapwidth = WRAP_WIDTH
    return po


def read_text(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


def parse_tolerant(text: str) -> tuple[polib.POFile, list[BadBlock]]:
    """The file's entries, and the blocks that could not be parsed (skipped)."""
    try:
        return parse_po_text(text), []
    except (OSError, ValueError, UnicodeError):
        pass
    lines = io.StringIO(text, newline=None).read().split("\n")
    blocks: list[tuple[int, str]] = []
    start, current = 0, []  # type: ignore[var-annotated]
    for number, line in enumerate(lines, 1):
        if line.strip():
            if not current:
                start = number
            current.append(line)
        elif current:
            blocks.append((start, "\n".join(current)))
            current = []
    if current:
        blocks.append((start, "\n".join(current)))
    po: polib.POFile | None = None
    bad: list[BadBlock] = []
    for start, block in blocks:
        try:
            parsed = parse_po_text(block + "\n")
        except (OSError, ValueError, UnicodeError) as exc:
            bad.append(BadBlock(start, block, _reason(exc), _unquote(_MSGID, block), _unquote(_MSGCTXT, block)))
            continue
        if po is None and not any(e.msgid for e in parsed) and parsed.metadata:
            po = parsed  # the header block
            continue
        if po is None:
            po = polib.POFile(wrapwidth=WRAP_WIDTH)
        for entry in parsed:
            po.append(entry)
    if po is None:
        po = polib.POFile(wrapwidth=WRAP_WIDTH)
    po.wrapwidth = WRAP_WIDTH
    return po, bad


def _unquote(pattern: re.Pattern[str], block: str) -> str | None:
    found = pattern.search(block)
    if found is None:
        return None
    return polib.unescape(found.group(1))


def _reason(exc: BaseException) -> str:
    # polib's messages name the path it was given ("" here): keep only the reason.
    text = " ".join(str(exc).split())
    return text.replace("Syntax error in po file (", "syntax error (").replace("Syntax error in po file ", "syntax error ")
