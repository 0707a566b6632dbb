"""`glossa models`: list, install (index or file), remove, verify and ensure Argos packages."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from service.config import Settings
from service.errors import InputError, PackageError, UnsupportedLanguageError
from service.languages import SUPPORTED_LANGUAGES as LANGUAGES
from service.models.store import ModelStore
from service.pipeline import Pipeline

_EXAMPLES = """\b
Examples:
  glossa models list                          installed packages (--json for scripts)
  glossa models install en ko                 download en->ko from the Argos package index
  glossa models install ./translate-en_ru-1_9.argosmodel      air-gapped: install a copied file
  glossa models remove en ko
  glossa models verify                        translate a probe through every package and check it
  glossa models verify ko ru                  the same through a route (ko->en->ru)
  glossa models ensure                        make all six directions work (demo models offline)
\b
Packages live in argostranslate's package directory (ARGOS_PACKAGES_DIR), shared with argospm.
ARGOS_PACKAGE_INDEX sets the index address (a base URL, or the full URL of an index.json)."""


def _store() -> ModelStore:
    return ModelStore(Settings.from_env())


def _lang(code: str) -> str:
    code = code.strip().lower()
    if code not in LANGUAGES:
        raise UnsupportedLanguageError(
            f"unknown language code {code!r}", hint=f"Glossa translates {', '.join(LANGUAGES)}"
        )
    return code


class _DownloadProgress:
    """A tqdm bar on a terminal; otherwise a plain line every 10 %."""

    def __init__(self) -> None:
        self._bar: Any = None
        self._label = ""
        self._last_decile = -1
        self._tty = sys.stderr.isatty()

    def __call__(self, label: str, done: int, total: int | None) -> None:
        if label != self._label:
            self.close()
            self._label, self._last_decile = label, -1
            if self._tty:
                from tqdm import tqdm

                self._bar = tqdm(total=total, unit="B", unit_scale=True, desc=label, file=sys.stderr)
        if self._bar is not None:
            self._bar.update(done - self._bar.n)
            return
        decile = done * 10 // total if total else (0 if done == 0 else -1)
        if decile > self._last_decile:
            self._last_decile = decile
            size = f"{done / 1e6:.1f} of {total / 1e6:.1f} MB" if total else f"{done / 1e6:.1f} MB"
            percent = f"{decile * 10}% " if total else ""
            click.echo(f"downloading {label}: {percent}({size})", err=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def _package_dict(package) -> dict[str, Any]:
    return {
        "from": package.from_code,
        "to": package.to_code,
        "version": package.package_version,
        "name": package.name,
        "demo": package.demo,
        "path": str(package.path),
    }


def _warn_loudly(lines: list[str]) -> None:
    for line in lines:
        click.secho(f"WARNING: {line}", err=True, fg="yellow", bold=True)


@click.group("models", epilog=_EXAMPLES)
def models() -> None:
    """List, install, remove and verify Argos Translate models."""


@models.command("list", epilog=_EXAMPLES)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
def list_command(as_json: bool) -> None:
    """List installed packages (those installed with argospm too)."""
    store = _store()
    packages, problems = store.scan()
    if as_json:
        click.echo(json.dumps([_package_dict(p) for p in packages], ensure_ascii=False, indent=2))
    elif not packages:
        click.echo(f"no packages installed in {store.packages_dir}", err=True)
        click.echo("install some with `glossa models ensure` or `glossa models install en ko`", err=True)
    else:
        for package in packages:
            click.echo(f"{package.describe()}  {package.path}")
    for problem in problems:
        click.echo(f"skipped: {problem}", err=True)


@models.command("install", epilog=_EXAMPLES)
@click.argument("what", nargs=-1, required=True, metavar="FROM TO | FILE.argosmodel")
@click.option("--timeout", type=float, default=30.0, show_default=True, help="Network timeout (s).")
def install_command(what: tuple[str, ...], timeout: float) -> None:
    """Install a pair from the Argos package index, or a local .argosmodel file."""
    store = _store()
    if len(what) == 1:
        path = Path(what[0])
        if not path.exists():
            raise InputError(f"{path}: no such file", hint="give FROM TO (e.g. `en ko`) or a .argosmodel file")
        if path.is_dir():
            raise PackageError(f"{path} is a directory, not a .argosmodel file")
        package = store.install_file(path)
    elif len(what) == 2:
        source, target = _lang(what[0]), _lang(what[1])
        if source == target:
            raise InputError(f"source and target are both {source!r}")
        progress = _DownloadProgress()
        try:
            package = store.install_from_index(source, target, progress=progress, timeout=timeout)
        finally:
            progress.close()
    else:
        raise InputError("give FROM TO (e.g. `glossa models install en ko`) or one FILE.argosmodel")
    click.echo(f"installed {package.describe()} in {package.path}")
    if package.demo:
        _warn_loudly(["this is a DEMO model (synthetic vocabulary), not real translation"])


@models.command("remove", epilog=_EXAMPLES)
@click.argument("source", metavar="FROM")
@click.argument("target", metavar="TO")
def remove_command(source: str, target: str) -> None:
    """Remove the installed packages for a pair."""
    for package in _store().remove(source.strip().lower(), target.strip().lower()):
        click.echo(f"removed {package.describe()} ({package.path})")


@models.command("verify", epilog=_EXAMPLES)
@click.argument("pair", nargs=-1, metavar="[FROM TO]")
def verify_command(pair: tuple[str, ...]) -> None:
    """Translate a probe sentence (through every installed package, or one route) and check the
    output: demo models must give its exact translation, official ones a translation in the
    target language's script."""
    pipeline = Pipeline(Settings.from_env())
    if len(pair) == 2:
        results = pipeline.verify(_lang(pair[0]), _lang(pair[1]))
    elif not pair:
        results = pipeline.verify()
    else:
        raise InputError("give FROM TO, or nothing to verify every installed package")
    failed = 0
    for result in results:
        route = " + ".join(p.describe() for p in result.packages)
        status = "ok" if result.ok else f"FAILED ({result.problem})"
        failed += not result.ok
        click.echo(f"{status}: {route}\n    {result.probe} -> {result.output}")
    if failed:
        raise PackageError(f"{failed} of {len(results)} verification(s) gave a wrong translation",
                           hint="reinstall the package, and check that it is the pair it claims to be")


@models.command("ensure", epilog=_EXAMPLES)
@click.option("--timeout", type=float, default=5.0, show_default=True, help="Index timeout (s).")
def ensure_command(timeout: float) -> None:
    """Make en<->ko, en<->ru and ko<->ru (via en) work: official models from the index when it
    can be reached, else the bundled demo models."""
    progress = _DownloadProgress()
    try:
        report = _store().ensure(
            progress=progress, on_event=lambda line: click.echo(line, err=True), index_timeout=timeout
        )
    finally:
        progress.close()
    for package, origin in report.installed:
        click.echo(f"installed ({origin}) {package.describe()}")
    if not report.installed:
        click.echo("all six directions already have models")
    _warn_loudly(report.warnings)
