"""Finding the articles in an input folder, and the format each one is read as."""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass
from pathlib import Path

from service.formats import FORMAT_BY_EXTENSION, format_for_path

# Extension -> pipeline format (the formats' registry). Anything else is listed as skipped.
FORMATS_BY_EXTENSION = FORMAT_BY_EXTENSION


@dataclass(frozen=True)
class InputFile:
    path: Path  # on disk
    rel: str  # POSIX path relative to the input folder: the manifest key and the output path
    format: str | None  # None: not a format batch reads


def scan(in_dir: Path, *, include: tuple[str, ...] = (), exclude: tuple[Path, ...] = ()) -> list[InputFile]:
    """Every regular file under ``in_dir``, sorted by relative path.

    Hidden files and folders (``.git``, editors' swap files, our own temp files) are ignored, and
    so are the folders in ``exclude`` (the output folder when it sits inside the input folder).
    ``include`` globs match the relative path (``ko/*.md``) or the file name (``*.html``);
    when given, files that match none are ignored entirely rather than listed as skipped.
    """
    in_dir = Path(in_dir)
    excluded = {os.path.realpath(p) for p in exclude}
    found: list[InputFile] = []
    for root, dirs, files in os.walk(in_dir, followlinks=False):
        dirs[:] = sorted(d for d in dirs
                         if not d.startswith(".") and os.path.realpath(os.path.join(root, d)) not in excluded)
        for name in files:
            if name.startswith("."):
                continue
            path = Path(root) / name
            if not path.is_file():  # broken links, sockets, fifos
                continue
            rel = path.relative_to(in_dir).as_posix()
            if include and not any(fnmatch.fnmatch(rel, g) or fnmatch.fnmatch(name, g) for g in include):
                continue
            found.append(InputFile(path=path, rel=rel, format=format_for_path(name)))
    found.sort(key=lambda f: f.rel)
    return found
