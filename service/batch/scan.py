"""Finding the articles in an input folder, the format each one is read as, and reading one.

The folder is hostile ground: names that are not UTF-8, links to files elsewhere on the machine,
folders the run may not read, and files swapped for something else between the scan and the read.
The scan reports what it cannot read instead of skipping it, refuses links that leave the input
folder unless asked, and :func:`read_input` opens without blocking and checks what it opened.
"""

from __future__ import annotations

import errno
import fnmatch
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from service.batch.paths import is_within
from service.errors import InputError
from service.formats import FORMAT_BY_EXTENSION, format_for_path

# Extension -> pipeline format (the formats' registry). Anything else is listed as skipped.
FORMATS_BY_EXTENSION = FORMAT_BY_EXTENSION


@dataclass(frozen=True)
class InputFile:
    path: Path  # on disk
    rel: str  # POSIX path relative to the input folder: the manifest key and the output path
    format: str | None  # None: not a format batch reads
    link: bool = False  # a symbolic link the scan accepted (it is followed when read)
    refused: str | None = None  # why the file must not be read (recorded as a failure)


def scan(in_dir: Path, *, include: tuple[str, ...] = (), exclude: tuple[Path, ...] = (),
         allow_outside_links: bool = False, unreadable: list[str] | None = None) -> list[InputFile]:
    """Every regular file under ``in_dir``, sorted by relative path.

    Hidden files and folders (``.git``, editors' swap files, our own temp files) are ignored, and
    so are the folders in ``exclude`` (the output folder when it sits inside the input folder).
    ``include`` globs match the relative path (``ko/*.md``) or the file name (``*.html``);
    when given, files that match none are ignored entirely rather than listed as skipped.
    A link to a file outside ``in_dir`` is listed as refused unless ``allow_outside_links``; a
    link into an excluded folder always is. Folders that cannot be listed are appended to
    ``unreadable`` (relative paths).
    """
    in_dir = Path(in_dir)
    real_in = os.path.realpath(in_dir)
    excluded = {os.path.realpath(p) for p in exclude}

    def failed(error: OSError) -> None:
        if unreadable is not None and error.filename is not None:
            rel = Path(os.fsdecode(error.filename)).relative_to(in_dir).as_posix()
            unreadable.append(rel)

    found: list[InputFile] = []
    for root, dirs, files in os.walk(in_dir, followlinks=False, onerror=failed):
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
            link = path.is_symlink()
            refused = _refuse_link(path, real_in, excluded, allow_outside_links) if link else None
            found.append(InputFile(path=path, rel=rel, format=format_for_path(name), link=link, refused=refused))
    found.sort(key=lambda f: f.rel)
    if unreadable is not None:
        unreadable.sort()
    return found


def _refuse_link(path: Path, real_in: str, excluded: set[str], allow_outside: bool) -> str | None:
    real = os.path.realpath(path)
    if any(is_within(real, folder) for folder in excluded):
        return "is a symbolic link into the output folder"
    if not allow_outside and not is_within(real, real_in):
        return ("is a symbolic link to a file outside the input folder "
                "(--allow-outside-links reads such files)")
    return None


def read_input(file: InputFile, max_bytes: int) -> bytes:
    """At most ``max_bytes`` + 1 bytes of ``file``, or InputError.

    Opened non-blocking (a FIFO put in the file's place after the scan would otherwise block the
    run forever) and without following a link the scan did not accept, then checked to be a
    regular file before anything is read.
    """
    if file.refused:
        raise InputError(f"{file.rel} {file.refused}")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    if not file.link:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(file.path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError(f"{file.rel}: became a symbolic link after the scan; not read") from None
        raise InputError(f"{file.rel}: cannot read ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise InputError(f"{file.rel}: not a regular file any more (replaced after the scan); not read")
        try:
            return handle.read(max_bytes + 1)
        except OSError as exc:
            raise InputError(f"{file.rel}: cannot read ({exc.strerror})") from None
