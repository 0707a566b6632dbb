"""The model store: Argos packages in argostranslate's package directory.

The directory is argostranslate's (``Settings.packages_dir``, i.e. ``ARGOS_PACKAGES_DIR``), so
packages installed with ``argospm`` are listed here and the reverse. Installs are all-or-nothing:
an archive is checked, unpacked and loaded in a staging directory next to the package directory
(same filesystem), then renamed into place; nothing lands in the package directory otherwise.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from service.config import Settings
from service.errors import GlossaError, IndexUnavailableError, ModelNotFoundError, PackageError
from service.models import index as argos_index
from service.models.archive import check_loadable, inspect_archive, unpack
from service.models.package import InstalledPackage, read_package
from service.models.routes import PIVOT_PAIRS, find_route, install_command

if TYPE_CHECKING:
    from service.models.index import Progress

DEMO_WARNING = (
    "DEMO models in use: tiny models trained on a synthetic vocabulary, NOT real translation. "
    "Install the official Argos models when the index is reachable (`glossa models ensure`), or "
    "copy them here and run `glossa models install FILE.argosmodel`."
)

_STAGING_PREFIX = ".glossa-staging-"


@dataclass
class EnsureReport:
    """What ``ensure`` did: packages installed (with their origin) and warnings to show loudly."""

    installed: list[tuple[InstalledPackage, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    demo_pairs: list[str] = field(default_factory=list)

    @property
    def uses_demo(self) -> bool:
        return bool(self.demo_pairs)


class ModelStore:
    """Installed packages, installing (index or file), removing, routing (verifying is the
    pipeline's: it owns the engine)."""

    def __init__(self, settings: Settings, *, index_url: str | None = None) -> None:
        self.settings = settings
        # None: ARGOS_PACKAGE_INDEX (read at call time) or argostranslate's default.
        self.index_url = index_url
        self._cache_lock = threading.Lock()
        self._cache: tuple[tuple, list[InstalledPackage], list[str]] | None = None

    @property
    def packages_dir(self) -> Path:
        return Path(self.settings.packages_dir)

    # -- reading ---------------------------------------------------------------------------

    def scan(self) -> tuple[list[InstalledPackage], list[str]]:
        """Valid packages, and one line per package directory that cannot be used."""
        stamp = self._stamp()
        if stamp is None:
            return [], []
        with self._cache_lock:
            if self._cache is not None and self._cache[0] == stamp:
                return list(self._cache[1]), list(self._cache[2])
        packages: list[InstalledPackage] = []
        problems: list[str] = []
        for name, _mtime in stamp:
            entry = self.packages_dir / name
            if not entry.is_dir():
                continue
            try:
                packages.append(read_package(entry))
            except PackageError as exc:
                problems.append(str(exc))
        with self._cache_lock:
            self._cache = (stamp, packages, problems)
        return list(packages), list(problems)

    def _stamp(self) -> tuple[tuple[str, int], ...] | None:
        """Entry names and their metadata.json mtimes: changes whenever a package is added,
        removed or overwritten in place (argospm unzips over an existing folder)."""
        try:
            names = sorted(e.name for e in os.scandir(self.packages_dir) if not e.name.startswith("."))
        except (FileNotFoundError, NotADirectoryError):
            return None
        stamp = []
        for name in names:
            try:
                mtime = os.stat(self.packages_dir / name / "metadata.json").st_mtime_ns
            except OSError:
                mtime = -1
            stamp.append((name, mtime))
        return tuple(stamp)

    def installed(self) -> list[InstalledPackage]:
        return self.scan()[0]

    def get(self, from_code: str, to_code: str) -> InstalledPackage | None:
        """The package used for a pair: a non-demo one before a demo one, then the newest."""
        matches = [p for p in self.installed() if p.from_code == from_code and p.to_code == to_code]
        if not matches:
            return None
        return max(matches, key=lambda p: (not p.demo, argos_index._version_key(p.package_version)))

    def route(self, source: str, target: str) -> list[InstalledPackage]:
        """Packages to apply in order: [direct] or [source->en, en->target]."""
        return find_route(source, target, self.get)

    # -- installing ------------------------------------------------------------------------

    def install_file(self, path: Path | str) -> InstalledPackage:
        """Install a local ``.argosmodel``; replaces an installed package of the same pair and
        kind (demo or not) only once the new one is complete and loads."""
        path = Path(path).expanduser()
        top, _meta = inspect_archive(path)
        with self._staging() as staging:
            unpacked = unpack(path, top, _fresh_dir(staging / "new"))
            check_loadable(unpacked)
            with self._lock():
                return self._commit(unpacked, staging)

    def install_from_index(
        self,
        from_code: str,
        to_code: str,
        *,
        progress: Progress | None = None,
        timeout: float = 30.0,
        entries: list[argos_index.IndexEntry] | None = None,
    ) -> InstalledPackage:
        """Download the pair's newest package from the Argos index and install it."""
        if entries is None:
            entries = argos_index.fetch_index(self.index_url, timeout=timeout)
        entry = argos_index.choose(entries, from_code, to_code, self.index_url)
        with self._staging() as staging:
            archive = argos_index.download(entry, staging, progress=progress, timeout=timeout)
            return self.install_file(archive)

    def remove(self, from_code: str, to_code: str) -> list[InstalledPackage]:
        """Remove every installed package for the pair (demo and not); returns what went."""
        victims = [p for p in self.installed() if p.from_code == from_code and p.to_code == to_code]
        if not victims:
            raise ModelNotFoundError(f"no installed {from_code}->{to_code} package to remove")
        with self._staging() as staging, self._lock():
            for i, package in enumerate(victims):
                # A rename takes it out of sight at once; the slow delete happens in staging.
                os.rename(package.path, staging / f"removed-{i}")
            self._invalidate()
        return victims

    def ensure(
        self,
        *,
        progress: Progress | None = None,
        on_event: Callable[[str], None] | None = None,
        index_timeout: float = 5.0,
    ) -> EnsureReport:
        """Make all six directions routable: official packages from the index when it can be
        reached, else the demo packages (with a loud warning in the report)."""
        say = on_event or (lambda _line: None)
        report = EnsureReport()
        wanted = [pair for pair in PIVOT_PAIRS if (p := self.get(*pair)) is None or p.demo]
        if wanted:
            entries = None
            try:
                entries = argos_index.fetch_index(self.index_url, timeout=index_timeout)
            except IndexUnavailableError as exc:
                report.warnings.append(str(exc))
                say(f"index unreachable: {exc.message}")
            for pair in wanted:
                if entries is not None:
                    try:
                        say(f"installing {pair[0]}->{pair[1]} from the Argos index")
                        package = self.install_from_index(
                            *pair, progress=progress, entries=entries, timeout=max(index_timeout, 30.0)
                        )
                        report.installed.append((package, "index"))
                        continue
                    except GlossaError as exc:
                        report.warnings.append(f"{pair[0]}->{pair[1]}: {exc}")
                        say(f"{pair[0]}->{pair[1]} from the index failed: {exc}")
                if self.get(*pair) is None:
                    say(f"installing the DEMO package for {pair[0]}->{pair[1]}")
                    report.installed.append((self.install_file(self._demo_archive(*pair)), "demo"))
        report.demo_pairs = [
            p.pair for pair in PIVOT_PAIRS if (p := self.get(*pair)) is not None and p.demo
        ]
        if report.demo_pairs:
            report.warnings.append(DEMO_WARNING)
        return report

    def _demo_archive(self, from_code: str, to_code: str) -> Path:
        demo_dir = Path(self.settings.demo_models_dir)
        named = demo_dir / f"translate-{from_code}_{to_code}-demo.argosmodel"
        candidates = [named] if named.is_file() else sorted(demo_dir.glob("*.argosmodel"))
        for candidate in candidates:
            try:
                _top, meta = inspect_archive(candidate)
            except PackageError:
                continue
            if meta["from_code"] == from_code and meta["to_code"] == to_code:
                return candidate
        raise ModelNotFoundError(
            f"no {from_code}->{to_code} model: the index cannot provide it and there is no demo "
            f"package for it in {demo_dir}",
            hint=f"run `make demo-models`, or `{install_command(from_code, to_code)}` when online",
        )

    # -- plumbing --------------------------------------------------------------------------

    def _commit(self, unpacked: Path, staging: Path) -> InstalledPackage:
        new = read_package(unpacked)
        self.packages_dir.mkdir(parents=True, exist_ok=True)
        target = self.packages_dir / unpacked.name
        replaced = [
            p
            for p in self.installed()
            if p.from_code == new.from_code and p.to_code == new.to_code and p.demo == new.demo
            and p.path.name != target.name
        ]
        parked = staging / "previous"
        if target.exists():
            os.rename(target, parked)
        try:
            os.rename(unpacked, target)
        except OSError as exc:
            if parked.exists():
                os.rename(parked, target)
            raise PackageError(f"cannot move {unpacked.name} into {self.packages_dir}: {exc}") from None
        for i, old in enumerate(replaced):
            with contextlib.suppress(FileNotFoundError):
                os.rename(old.path, staging / f"replaced-{i}")
        self._invalidate()
        return read_package(target)

    def _invalidate(self) -> None:
        with self._cache_lock:
            self._cache = None

    def _staging_root(self) -> Path:
        """A directory on the package directory's filesystem, outside it when possible."""
        parent = self.packages_dir.parent
        parent.mkdir(parents=True, exist_ok=True)
        same_fs = not self.packages_dir.exists() or (
            os.stat(parent).st_dev == os.stat(self.packages_dir).st_dev
        )
        if same_fs and os.access(parent, os.W_OK):
            return parent
        # Last resort: a hidden directory inside, which the store and argospm's listing skip
        # (argospm only trips over directories without metadata.json while it exists).
        self.packages_dir.mkdir(parents=True, exist_ok=True)
        return self.packages_dir

    @contextlib.contextmanager
    def _staging(self) -> Iterator[Path]:
        staging = Path(tempfile.mkdtemp(prefix=_STAGING_PREFIX, dir=self._staging_root()))
        try:
            yield staging
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        from filelock import FileLock, Timeout

        lock_path = self._staging_root() / ".glossa-models.lock"
        try:
            with FileLock(str(lock_path), timeout=300):
                yield
        except Timeout:
            raise PackageError(f"another install holds {lock_path}; try again later") from None


def _fresh_dir(path: Path) -> Path:
    path.mkdir()
    return path
