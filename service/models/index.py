"""The Argos package index: fetching it, choosing a package, downloading it with progress.

Parsing and naming use ``argostranslate.package`` (``AvailablePackage``, the local index file
that ``argospm`` also reads, ``get_available_packages``). The network calls are Glossa's own:
argostranslate's have no timeout, swallow errors, show no progress and reuse a half-downloaded
file from an earlier attempt.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from service.errors import DownloadError, IndexUnavailableError, ModelNotFoundError, PackageError
from service.fileio import atomic_write_bytes
from service.models.argos import index_url, package_module

# progress(label, bytes_done, bytes_total or None) is called as a download advances.
Progress = Callable[[str, int, "int | None"], None]

USER_AGENT = "glossa (argostranslate-compatible)"
_CHUNK = 1 << 16

AIR_GAP_HINT = (
    "set ARGOS_PACKAGE_INDEX to a reachable mirror, or copy the .argosmodel file here and run "
    "`glossa models install FILE.argosmodel`"
)


@dataclass(frozen=True)
class IndexEntry:
    """One translation package listed in the index."""

    from_code: str
    to_code: str
    version: str
    links: tuple[str, ...]
    filename: str
    # Optional integrity data; the official index gives neither, mirrors may.
    sha256: str | None = None
    size: int | None = None
    metadata: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def pair(self) -> str:
        return f"{self.from_code}->{self.to_code}"


def fetch_index(url: str | None = None, *, timeout: float = 10.0) -> list[IndexEntry]:
    """Download the index (one request, ``timeout`` seconds) and list its translation packages."""
    url = index_url(url)
    try:
        with urllib.request.urlopen(_request(url), timeout=timeout) as response:
            raw = response.read()
    except urllib.error.HTTPError as exc:
        raise IndexUnavailableError(
            f"the Argos package index at {url} answered HTTP {exc.code} {exc.reason}",
            hint=AIR_GAP_HINT,
        ) from None
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise IndexUnavailableError(
            f"cannot reach the Argos package index at {url}: {reason}", hint=AIR_GAP_HINT
        ) from None
    try:
        records = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IndexUnavailableError(
            f"{url} is not an Argos package index (invalid JSON: {exc})", hint=AIR_GAP_HINT
        ) from None
    if not isinstance(records, list):
        raise IndexUnavailableError(
            f"{url} is not an Argos package index (expected a JSON list)", hint=AIR_GAP_HINT
        )
    return _entries(records, raw)


def _entries(records: list, raw: bytes) -> list[IndexEntry]:
    package = package_module()
    available = None
    try:
        # Keep argospm's view of the index the same as ours, then read it back through it.
        atomic_write_bytes(Path(package.settings.local_package_index), raw)
        available = package.get_available_packages()
    except Exception:  # argostranslate fails on odd records (AttributeError etc.): parse them here
        available = None
    if available is None or len(available) != len(records):
        available = [package.AvailablePackage(r) for r in records if isinstance(r, dict)]
        records = [r for r in records if isinstance(r, dict)]
    entries = []
    for record, pkg in zip(records, available):
        if pkg.type != "translate" or not pkg.from_code or not pkg.to_code or not pkg.links:
            continue
        entries.append(
            IndexEntry(
                from_code=pkg.from_code,
                to_code=pkg.to_code,
                version=str(pkg.package_version or "0"),
                links=tuple(str(link) for link in pkg.links),
                filename=package.argospm_package_name(pkg) + ".argosmodel",
                sha256=_sha256_of(record),
                size=_size_of(record),
                metadata=record,
            )
        )
    return entries


def _sha256_of(record: dict) -> str | None:
    for key in ("sha256", "checksum"):
        value = record.get(key)
        if isinstance(value, str) and value:
            value = value.removeprefix("sha256:").strip().lower()
            if len(value) == 64:
                return value
    return None


def _size_of(record: dict) -> int | None:
    for key in ("size", "package_size", "content_length"):
        value = record.get(key)
        if isinstance(value, int) and value > 0:
            return value
    return None


def choose(entries: list[IndexEntry], from_code: str, to_code: str, url: str | None = None) -> IndexEntry:
    """The newest index entry for the pair; ModelNotFoundError when the index has none."""
    matches = [e for e in entries if e.from_code == from_code and e.to_code == to_code]
    if not matches:
        pairs = sorted({e.pair for e in entries if from_code in (e.from_code, e.to_code)})
        listed = f"; it lists {', '.join(pairs)}" if pairs else ""
        raise ModelNotFoundError(
            f"the Argos package index at {index_url(url)} has no {from_code}->{to_code} package{listed}",
            hint=(
                f"translate {from_code}->{to_code} through English: "
                f"`glossa models install {from_code} en` and `glossa models install en {to_code}`"
                if "en" not in (from_code, to_code)
                else "install a .argosmodel file for it with `glossa models install FILE.argosmodel`"
            ),
        )
    return max(matches, key=lambda e: _version_key(e.version))


def _version_key(version: str) -> tuple:
    from packaging.version import InvalidVersion, Version

    try:
        return (1, Version(version))
    except InvalidVersion:
        return (0, version)


def download(
    entry: IndexEntry,
    dest_dir: Path,
    *,
    progress: Progress | None = None,
    timeout: float = 30.0,
) -> Path:
    """Download the package into a new file in ``dest_dir``; try each link until one succeeds.

    The file is complete when this returns: its length matches Content-Length (and the index's
    size and sha256 when given). Otherwise DownloadError (network) or PackageError (integrity).
    """
    failures: list[str] = []
    for link in entry.links:
        try:
            return _download_one(entry, link, dest_dir, progress, timeout)
        except DownloadError as exc:
            failures.append(exc.message)
    raise DownloadError(
        f"download of {entry.filename} failed: {'; '.join(failures)}", hint=AIR_GAP_HINT
    )


def _download_one(
    entry: IndexEntry, link: str, dest_dir: Path, progress: Progress | None, timeout: float
) -> Path:
    # file:// serves air-gapped mirrors on a shared disk; urllib gives it a Content-Length too.
    if not link.startswith(("http://", "https://", "file://")):
        raise DownloadError(f"{link}: only http, https and file links are supported")
    fd, tmp_name = tempfile.mkstemp(prefix=".download-", suffix=".argosmodel", dir=dest_dir)
    tmp = Path(tmp_name)
    digest = hashlib.sha256()
    done = 0
    total: int | None = None
    try:
        with os.fdopen(fd, "wb") as out:
            try:
                with urllib.request.urlopen(_request(link), timeout=timeout) as response:
                    length = response.headers.get("Content-Length")
                    total = int(length) if length and length.isdigit() else entry.size
                    if progress:
                        progress(entry.filename, 0, total)
                    while chunk := response.read(_CHUNK):
                        out.write(chunk)
                        digest.update(chunk)
                        done += len(chunk)
                        if progress:
                            progress(entry.filename, done, total)
            except urllib.error.HTTPError as exc:
                raise DownloadError(f"{link}: HTTP {exc.code} {exc.reason}") from None
            except http.client.IncompleteRead as exc:
                got = done + len(exc.partial)
                raise DownloadError(
                    f"{link}: download cut off after {got} of {total or '?'} bytes"
                ) from None
            except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as exc:
                raise DownloadError(f"{link}: {getattr(exc, 'reason', None) or exc}") from None
        if total is not None and done != total:
            raise DownloadError(f"{link}: download cut off after {done} of {total} bytes")
        if entry.size is not None and done != entry.size:
            raise PackageError(f"{link}: got {done} bytes, the index says {entry.size}")
        if entry.sha256 is not None and digest.hexdigest() != entry.sha256:
            raise PackageError(f"{link}: sha256 {digest.hexdigest()} does not match the index")
        return tmp
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _request(url: str) -> urllib.request.Request:
    return urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
