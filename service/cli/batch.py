"""`glossa batch`: translate a folder of articles into other languages, resumably."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

import click

from service.batch import BatchOptions, run_batch
from service.batch.manifest import encode_record
from service.config import Settings
from service.errors import InputError

_ACTION_WIDTH = 15


class LogReporter:
    """Plain lines on stderr, one per file and target: for logs, cron mail and pipes."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def start(self, total: int) -> None:
        self._line(f"{total} file/target pair(s) to check")

    def task(self, action: str, record: dict[str, Any], reason: str) -> None:
        self._line(_describe(action, record, reason))

    def note(self, message: str) -> None:
        self._line(f"note: {message}")

    def close(self) -> None:
        pass

    def _line(self, text: str) -> None:
        self.stream.write(f"glossa batch: {text}\n")
        self.stream.flush()


class BarReporter:
    """A tqdm progress bar on a terminal; failures and notes are printed above it."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.bar: Any = None

    def start(self, total: int) -> None:
        from tqdm import tqdm

        self.bar = tqdm(total=total, unit="file", file=self.stream, dynamic_ncols=True, desc="batch")

    def task(self, action: str, record: dict[str, Any], reason: str) -> None:
        if action == "failed":
            self.bar.write(_describe(action, record, reason), file=self.stream)
        self.bar.set_postfix_str(record["input"][-40:], refresh=False)
        self.bar.update(1)

    def note(self, message: str) -> None:
        if self.bar is not None:
            self.bar.write(f"note: {message}", file=self.stream)
        else:
            self.stream.write(f"glossa batch: note: {message}\n")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


class PlanReporter:
    """--dry-run: what would be done, one line per file and target on stdout."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def start(self, total: int) -> None:
        pass

    def task(self, action: str, record: dict[str, Any], reason: str) -> None:
        self.stream.write(_printable(_describe(action, record, reason)) + "\n")

    def note(self, message: str) -> None:
        click.echo(f"glossa batch: note: {message}", err=True)

    def close(self) -> None:
        self.stream.flush()


def _describe(action: str, record: dict[str, Any], reason: str) -> str:
    where = f"{record['input']} -> {record['target']}"
    details = []
    if record.get("output") and action in ("translated", "unchanged"):
        where = f"{record['input']} -> {record['output']}"
    if action == "translated":
        if record.get("demo"):
            details.append("DEMO models")
        terms = record.get("terms_applied", 0) + record.get("terms_missed", 0)
        if terms:
            details.append(f"{record['terms_applied']}/{terms} terms applied")
        details.append(f"{record.get('seconds', 0):.2f} s")
    if action == "unchanged":
        details.append(f"already in {record['target']}: copied")
    elif action == "translated" and reason != "new":
        details.insert(0, reason)
    elif reason and action != "translated":
        details.append(reason)
    suffix = f" ({'; '.join(details)})" if details else ""
    return f"{action:<{_ACTION_WIDTH}} {where}{suffix}"


def _printable(text: str) -> str:
    """A file name that is not valid UTF-8 (lone surrogates in Python) shown as ``\\xe9``."""
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _split_targets(value: str) -> tuple[str, ...]:
    return tuple(t.strip().lower() for t in value.replace(" ", ",").split(",") if t.strip())


@click.command(
    "batch",
    epilog="""\b
Examples:
  glossa batch samples/batch -o out -t ko,ru          # out/ko/..., out/ru/..., out/manifest.jsonl
  glossa batch feed/ -o out -t en --include '*.html' --jobs 4
  glossa batch feed/ -o out -t ko,ru --dry-run        # list what would be done
  glossa batch feed/ -o out -t ko,ru --ray auto       # translate on the Ray cluster of this node
\b
Reads .txt, .md and .html (other files are listed as skipped), UTF-8 with or without BOM.
A rerun skips what is up to date (same input, target, options, models and glossary); after a
glossary edit only files that contain an affected term are translated again. Articles already in
the target language are copied unchanged. Exit code: 0 when nothing failed, 1 otherwise.""",
)
@click.argument("in_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Output folder: one subfolder per target language, and manifest.jsonl.")
@click.option("-t", "--target", "targets", required=True, help="Target languages, comma-separated: en, ko, ru.")
@click.option("-s", "--source", default="auto", show_default=True,
              help="Source language of every file: auto (detect per file and paragraph), en, ko or ru.")
@click.option("-j", "--jobs", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Threads reading and writing files (the models are shared, loaded once).")
@click.option("--glossary", "glossary_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Glossary folder (default: GLOSSA_GLOSSARY_DIR or the bundled glossaries/).")
@click.option("--include", multiple=True, metavar="GLOB",
              help="Only files whose relative path or name matches (repeatable), e.g. '*.md'.")
@click.option("--no-glossary", is_flag=True, help="Do not enforce glossary renderings.")
@click.option("--force", is_flag=True, help="Translate everything again, even what is up to date.")
@click.option("--dry-run", is_flag=True, help="Only list what would be done; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object on stdout.")
@click.option("--progress/--no-progress", default=None,
              help="Progress bar (default: on when stderr is a terminal; otherwise one log line per file).")
@click.option("--allow-outside-links", is_flag=True,
              help="Read symbolic links to files outside IN_DIR (refused by default).")
@click.option("--ray", "ray_address", metavar="ADDRESS",
              help="Translate on a Ray cluster: local (a private one on this machine), auto, HOST:PORT, "
                   "or ray://HOST:PORT (needs ray[client]). Outputs and manifest stay on this machine.")
@click.option("--ray-actors", default=0, show_default=True, type=click.IntRange(0, 10_000),
              help="Ray actors, each holding the models once (0: one per --ray-threads CPUs of the cluster).")
@click.option("--ray-threads", default=1, show_default=True, type=click.IntRange(1, 256),
              help="Translation threads (and reserved CPUs) per Ray actor.")
@click.option("--chunk-files", default=32, show_default=True, type=click.IntRange(1, 10_000),
              help="Files per shared engine call (larger fills batches better; smaller loses less to a kill).")
def batch(in_dir: Path, out_dir: Path, targets: str, source: str, jobs: int, glossary_dir: Path | None,
          include: tuple[str, ...], no_glossary: bool, force: bool, dry_run: bool, as_json: bool,
          progress: bool | None, allow_outside_links: bool, ray_address: str | None, ray_actors: int,
          ray_threads: int, chunk_files: int) -> int:
    """Translate every article in IN_DIR into each target language."""
    settings = Settings.from_env()
    if glossary_dir is not None:
        if no_glossary:
            raise InputError("--glossary and --no-glossary contradict each other")
        settings = replace(settings, glossary_dir=glossary_dir)
    options = BatchOptions(
        in_dir=in_dir, out_dir=out_dir, targets=_split_targets(targets), source=source.strip().lower(),
        jobs=jobs, include=include, glossary=not no_glossary, dry_run=dry_run, force=force,
        chunk_files=chunk_files, allow_outside_links=allow_outside_links,
    )
    if dry_run:
        reporter: Any = PlanReporter(sys.stdout)
    elif progress or (progress is None and sys.stderr.isatty()):
        reporter = BarReporter(sys.stderr)
    else:
        reporter = LogReporter(sys.stderr)
    if ray_address is not None:
        from service.batch.ray_runner import RayOptions, run_batch_on_ray

        summary = run_batch_on_ray(options, RayOptions(address=ray_address, actors=ray_actors, threads=ray_threads),
                                   settings, reporter=reporter)
    else:
        summary = run_batch(options, settings, reporter=reporter)
    if as_json:
        sys.stdout.write(encode_record(summary.to_dict()) + "\n")
    for line in summary.lines():
        click.echo(f"glossa batch: {_printable(line)}", err=True)
    return 1 if summary.failed else 0
