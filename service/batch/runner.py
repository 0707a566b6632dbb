"""A batch run: scan -> read (threads) -> decide per file and target -> translate (shared engine
batches) -> write (threads) -> manifest.

Why it is shaped like this:
* Only the main thread calls the pipeline, with many files per ``translate_many`` call, so the
  sentences of many articles share engine batches and the models are loaded once. Threads only
  read, hash, decode and detect inputs ahead of the engine, and write outputs behind it.
* An output is renamed into place before its manifest record is appended, so a record always
  describes a complete file; a run killed in between merely translates that file again.
* A failure belongs to one file: ``Pipeline.translate_each`` gives each file its result or its
  own error.
* Each file is read once: decoded, validated, parsed and its language detected by
  ``Pipeline.read`` in a worker thread; the translation reuses that reading.
"""

from __future__ import annotations

import hashlib
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol, TypeVar

from service.batch import glossary_state
from service.batch.manifest import (
    FAILED,
    MANIFEST_NAME,
    SKIPPED,
    TRANSLATED,
    UNCHANGED,
    ManifestWriter,
    Record,
    compact_manifest,
    read_manifest,
)
from service.batch.paths import check_folders, check_output
from service.batch.scan import FORMATS_BY_EXTENSION, InputFile, read_input, scan
from service.config import Settings
from service.detect import detect
from service.errors import GlossaError, InputError, NothingToTranslateError, UnsupportedLanguageError
from service.fileio import atomic_write_bytes, remove_temp_files
from service.glossary.store import GlossaryStore
from service.inputs import decode_bytes
from service.languages import PIVOT_LANGUAGE, SUPPORTED_LANGUAGES, check_language_code
from service.models.package import InstalledPackage
from service.pipeline import Pipeline
from service.results import Article, TranslationRequest, TranslationResult

UP_TO_DATE = "up to date"  # an action, never a manifest status: the earlier record stays
WOULD_TRANSLATE = "would translate"  # dry run
WOULD_COPY = "would copy"  # dry run, already in the target language
WOULD_FAIL = "would fail"  # dry run
LOCK_NAME = "lock"
_T = TypeVar("_T")
_R = TypeVar("_R")


@dataclass(frozen=True)
class BatchOptions:
    in_dir: Path
    out_dir: Path
    targets: tuple[str, ...]
    source: str = "auto"
    jobs: int = 2
    include: tuple[str, ...] = ()
    glossary: bool = True
    dry_run: bool = False
    force: bool = False
    # Read links to files outside the input folder (refused by default: a planted link would
    # publish any file the run can read).
    allow_outside_links: bool = False
    # A chunk is what one translate_many call gets: bigger chunks fill engine batches better,
    # smaller ones lose less work to a kill and show progress sooner.
    chunk_files: int = 32
    chunk_chars: int = 200_000


class Reporter(Protocol):
    """Progress and per-file lines; called from one thread at a time."""

    def start(self, total: int) -> None: ...

    def task(self, action: str, record: Record, reason: str) -> None: ...

    def note(self, message: str) -> None: ...

    def close(self) -> None: ...


class SilentReporter:
    def start(self, total: int) -> None:
        pass

    def task(self, action: str, record: Record, reason: str) -> None:
        pass

    def note(self, message: str) -> None:
        pass

    def close(self) -> None:
        pass


@dataclass
class BatchSummary:
    run: str
    dry_run: bool
    counts: dict[str, int] = field(default_factory=dict)
    files: int = 0  # input files seen
    chars: int = 0  # characters of the inputs translated in this run (once per target)
    seconds: float = 0.0
    failures: list[dict[str, str]] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)  # folders the scan could not list
    manifest: str = ""
    demo: int = 0  # file/target pairs translated with demo models (not real translation)

    @property
    def failed(self) -> int:
        return self.counts.get(FAILED, 0) + self.counts.get(WOULD_FAIL, 0) + len(self.unreadable)

    @property
    def chars_per_second(self) -> float:
        return self.chars / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "run": self.run,
            "dry_run": self.dry_run,
            "counts": dict(self.counts),
            "files": self.files,
            "chars": self.chars,
            "demo": self.demo,
            "seconds": round(self.seconds, 3),
            "chars_per_second": round(self.chars_per_second, 1),
            "failures": list(self.failures),
            "unreadable": list(self.unreadable),
            "manifest": self.manifest,
        }

    def lines(self) -> list[str]:
        order = (TRANSLATED, UNCHANGED, UP_TO_DATE, SKIPPED, FAILED, WOULD_TRANSLATE, WOULD_COPY, WOULD_FAIL)
        counts = ", ".join(f"{self.counts[k]} {k}" for k in order if self.counts.get(k))
        out = [f"{self.files} input file(s): {counts or 'nothing to do'}"]
        if self.unreadable:
            out.append(f"{len(self.unreadable)} folder(s) could not be read: {', '.join(self.unreadable)}")
        if self.chars:
            out.append(f"{self.chars:,} characters translated in {self.seconds:.1f} s "
                       f"({self.chars_per_second:,.0f} characters/s)")
        else:
            out.append(f"finished in {self.seconds:.1f} s")
        if self.demo:
            out.append(f"WARNING: {self.demo} file/target pair(s) translated with DEMO models (tiny models on a "
                       "synthetic vocabulary): not real translation; install official models with "
                       "`glossa models install`")
        if self.manifest:
            out.append(f"manifest: {self.manifest}")
        return out


@dataclass
class _Loaded:
    """One input file after the read phase (done in a worker thread)."""

    file: InputFile
    raw: bytes = b""
    sha256: str = ""
    text: str | None = None
    article: Article | None = None
    plain: str = ""
    detected: dict[str, Any] | None = None
    source: str | None = None
    error: GlossaError | None = None
    seconds: float = 0.0


@dataclass
class _Task:
    loaded: _Loaded
    target: str
    reason: str
    concepts: list[str] | None = None


class BatchRunner:
    """One run over ``options``; build it and call :meth:`run`. The pipeline loads its models on
    first translation (a dry run loads none) and may be passed in to share loaded models."""

    def __init__(self, options: BatchOptions, settings: Settings, *,
                 pipeline: Pipeline | None = None, reporter: Reporter | None = None) -> None:
        self.options = _validated(options)
        self.settings = settings
        # Built now, not on first use: worker threads read through it (building it loads no model).
        self.pipeline = pipeline or Pipeline(settings)
        self._routes: dict[tuple[str, str], list[InstalledPackage] | GlossaError] = {}
        self.reporter: Reporter = reporter or SilentReporter()
        self.run_id = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + "-" + uuid.uuid4().hex[:6]
        self.manifest_path = self.options.out_dir / MANIFEST_NAME
        self._report_lock = threading.Lock()
        self._summary = BatchSummary(run=self.run_id, dry_run=self.options.dry_run)
        self._writer: ManifestWriter | None = None
        self._glossary_store: GlossaryStore | None = None
        self._glossary_version: str | None = None
        self._fingerprints: glossary_state.Fingerprints = {}
        self._old_snapshots: dict[str, glossary_state.Fingerprints | None] = {}
        self._matchers: dict[str, Any] = {}
        self._matcher_lock = threading.Lock()

    def _route(self, source: str, target: str) -> list[InstalledPackage]:
        """The packages a pair goes through, looked up once per run (the installed set does not
        change under a run)."""
        if (source, target) not in self._routes:
            try:
                self._routes[source, target] = self.pipeline.route(source, target)
            except GlossaError as exc:
                self._routes[source, target] = exc
        route = self._routes[source, target]
        if isinstance(route, GlossaError):
            raise route
        return route

    # -- the run -------------------------------------------------------------------------------

    def run(self) -> BatchSummary:
        opts = self.options
        started = time.monotonic()
        files = scan(opts.in_dir, include=opts.include, exclude=(opts.out_dir,),
                     allow_outside_links=opts.allow_outside_links, unreadable=self._summary.unreadable)
        self._summary.files = len(files)
        for folder in self._summary.unreadable:
            self.reporter.note(f"{folder}: cannot read this folder; its files were not translated")
        previous, bad_lines = read_manifest(self.manifest_path)
        if bad_lines:
            self.reporter.note(f"{bad_lines} unreadable line(s) in {self.manifest_path} ignored "
                               "(a torn last line after an interrupted run is expected)")
        self._load_glossary()
        lock = None
        if not opts.dry_run:
            lock = _acquire_lock(opts.out_dir)
        try:
            if not opts.dry_run:
                remove_temp_files(opts.out_dir, recursive=True)
                if self._glossary_version is not None:
                    glossary_state.save_snapshot(opts.out_dir, self._glossary_version, self._fingerprints)
                self._writer = ManifestWriter(self.manifest_path)
            self.reporter.start(len(files) * len(opts.targets))
            self._process(files, previous)
            if self._writer is not None:
                self._writer.close()
                self._finish_manifest()
        finally:
            if self._writer is not None:
                self._writer.close()
            if lock is not None:
                lock.release()
            self.reporter.close()
        self._summary.seconds = time.monotonic() - started
        if not opts.dry_run:
            self._summary.manifest = str(self.manifest_path)
        return self._summary

    def _process(self, files: list[InputFile], previous: dict[tuple[str, str], Record]) -> None:
        opts = self.options
        writes: list[Future] = []
        with ThreadPoolExecutor(max_workers=opts.jobs, thread_name_prefix="glossa-batch") as pool:
            chunk: list[_Task] = []
            chunk_chars = 0
            window = opts.jobs * 4 + opts.chunk_files
            for loaded in _ordered_map(pool, self._load, files, window):
                for task in self._plan(loaded, previous):
                    chunk.append(task)
                    chunk_chars += len(loaded.text or "")
                if len(chunk) >= opts.chunk_files or chunk_chars >= opts.chunk_chars:
                    self._translate_chunk(chunk, pool, writes)
                    chunk, chunk_chars = [], 0
            if chunk:
                self._translate_chunk(chunk, pool, writes)
            self._drain(pool, writes)
            for future in writes:
                future.result()  # write errors are recorded inside; this re-raises only bugs

    # -- reading (worker threads) ---------------------------------------------------------------

    def _load(self, file: InputFile) -> _Loaded:
        loaded = _Loaded(file=file)
        if file.format is None:
            return loaded
        started = time.monotonic()
        max_bytes = self.settings.max_chars * 4  # UTF-8 needs at most 4 bytes per character
        try:
            loaded.raw = read_input(file, max_bytes)
        except InputError as exc:
            loaded.error = exc
            return loaded
        loaded.sha256 = hashlib.sha256(loaded.raw).hexdigest()
        try:
            text = decode_bytes(loaded.raw, name=file.rel, max_bytes=max_bytes)
            article = self.pipeline.read(text, source=self.options.source, format=file.format, name=file.rel)
            loaded.plain = article.document.plain_text()
            loaded.detected = article.detected
            if loaded.detected is None:  # an explicit source: the detection it was checked with
                detection = article.detection or detect(loaded.plain)
                loaded.detected = {"language": detection.language, "confidence": round(detection.confidence, 4)}
            loaded.source = article.source
            loaded.article = article
            loaded.text = text
        except UnsupportedLanguageError as exc:
            loaded.error, loaded.detected = exc, exc.detected
        except GlossaError as exc:
            loaded.error = exc
        loaded.seconds = time.monotonic() - started
        return loaded

    # -- deciding (main thread) -----------------------------------------------------------------

    def _plan(self, loaded: _Loaded, previous: dict[tuple[str, str], Record]) -> Iterator[_Task]:
        """Record what needs no translation; yield the tasks that need the engine."""
        for target in self.options.targets:
            prev = previous.get((loaded.file.rel, target))
            if loaded.file.format is None:
                record = self._record(loaded, target, SKIPPED)
                record["reason"] = f"not a {'/'.join(sorted(set(FORMATS_BY_EXTENSION)))} file"
                self._finish(SKIPPED, record, record["reason"], append=_differs(prev, record))
                continue
            if loaded.error is not None:
                self._fail(loaded, target, loaded.error)
                continue
            reason, refreshed = self._why_translate(loaded, target, prev)
            if reason is None:
                assert prev is not None
                if refreshed is not None:
                    self._finish(UP_TO_DATE, refreshed, "glossary changed, not in this file", append=True)
                else:
                    self._finish(UP_TO_DATE, prev, "", append=False)
                continue
            task = _Task(loaded, target, reason)
            if self.options.dry_run:
                record = self._record(loaded, target, "")
                action = WOULD_COPY if loaded.source == target else WOULD_TRANSLATE
                self._finish(action, record, reason, append=False)
                continue
            yield task

    def _why_translate(self, loaded: _Loaded, target: str, prev: Record | None) -> tuple[str | None, Record | None]:
        """Why the pair must be (re)translated, or (None, refreshed record or None) when the
        earlier output still holds."""
        if self.options.force:
            return "--force", None
        if prev is None:
            return "new", None
        if prev.get("status") not in (TRANSLATED, UNCHANGED):
            return f"previously {prev.get('status')}", None
        if prev.get("sha256") != loaded.sha256:
            return "input changed", None
        if prev.get("options") != self._options_record():
            return "options changed", None
        output = prev.get("output")
        if not output or not (self.options.out_dir / output).is_file():
            return "output missing", None
        if prev["status"] == UNCHANGED:
            return None, None  # nothing was translated: models and glossary do not matter
        source = prev.get("source") or loaded.source or ""
        try:
            models = [p.key for p in self._route(source, target)]
        except GlossaError:
            return "models changed", None
        if models != prev.get("models_keys"):
            return "models changed", None
        if self._glossary_version is None or prev.get("glossary_version") == self._glossary_version:
            return None, None
        old = self._old_snapshot(prev.get("glossary_version"))
        if old is None:
            return "glossary changed", None
        changed = glossary_state.changed_concepts(old, self._fingerprints, {source, target, PIVOT_LANGUAGE})
        now = self._concepts(loaded.plain, source)
        affected = sorted(changed & (set(prev.get("concepts") or ()) | set(now)))
        if affected:
            shown = ", ".join(k.split(":", 1)[1] for k in affected[:3])
            more = f" and {len(affected) - 3} more" if len(affected) > 3 else ""
            return f"glossary changed: {shown}{more}", None
        refreshed = dict(prev, glossary_version=self._glossary_version, concepts=now)
        return None, refreshed

    # -- translating (main thread) and writing (worker threads) --------------------------------

    def _translate_chunk(self, tasks: list[_Task], pool: ThreadPoolExecutor, writes: list[Future]) -> None:
        direct: list[_Task] = []
        engine: list[_Task] = []
        for task in tasks:
            # An explicit source equal to the target: nothing to translate, the file is copied.
            (direct if task.loaded.source == task.target and self.options.source != "auto" else engine).append(task)
        for task in direct:
            writes.append(pool.submit(self._write, task, None, task.loaded.seconds))
        if not engine:
            return
        requests = [TranslationRequest(t.loaded.text or "", t.target, self.options.source,
                                       t.loaded.file.format or "text", self.options.glossary,
                                       name=t.loaded.file.rel, article=t.loaded.article) for t in engine]
        self._translate_requests(engine, requests, pool, writes)

    def _translate_requests(self, tasks: list[_Task], requests: list[Any], pool: ThreadPoolExecutor,
                            writes: list[Future]) -> None:
        """Translate one chunk here, in the main thread (``ray_runner`` sends it to an actor)."""
        started = time.monotonic()
        outcomes = translate_isolated(self.pipeline, requests)
        self._deliver(tasks, outcomes, time.monotonic() - started, pool, writes)

    def _deliver(self, tasks: list[_Task], outcomes: list[Any], elapsed: float, pool: ThreadPoolExecutor,
                 writes: list[Future]) -> None:
        """Hand a chunk's outcomes (results or GlossaErrors, in task order) to the writer threads."""
        total = sum(len(t.loaded.text or "") for t in tasks) or 1
        for task, outcome in zip(tasks, outcomes):
            # The engine time of a shared call is split by characters.
            seconds = task.loaded.seconds + elapsed * len(task.loaded.text or "") / total
            writes.append(pool.submit(self._write, task, outcome, seconds))

    def _drain(self, pool: ThreadPoolExecutor, writes: list[Future]) -> None:
        """Wait for chunks still being translated elsewhere (none here: every call is synchronous)."""

    def _write(self, task: _Task, outcome: Any, seconds: float) -> None:
        loaded, target = task.loaded, task.target
        if isinstance(outcome, GlossaError):
            self._fail(loaded, target, outcome)
            return
        started = time.monotonic()
        text = loaded.text or ""
        if outcome is None or (outcome.source == target and outcome.translation == text):
            status, data = UNCHANGED, loaded.raw  # copied byte for byte
        else:
            status, data = TRANSLATED, outcome.translation.encode("utf-8")
        output = f"{target}/{loaded.file.rel}"
        try:
            atomic_write_bytes(check_output(self.options.out_dir, output), data)
        except InputError as exc:
            self._fail(loaded, target, exc)
            return
        except OSError as exc:
            self._fail(loaded, target, InputError(f"cannot write {output} ({exc.strerror})"))
            return
        record = self._record(loaded, target, status)
        record["output"] = output
        record["reason"] = task.reason
        if outcome is not None:
            record["source"] = outcome.source
            record["terms_applied"] = sum(t.status == "applied" for t in outcome.terms)
            record["terms_missed"] = sum(t.status == "missed" for t in outcome.terms)
            record["terms_unexpected"] = sum(t.status == "unexpected" for t in outcome.terms)
            record["terms"] = [t.to_dict() for t in outcome.terms]
            record["warnings"] = list(outcome.warnings)
            record["models"] = list(outcome.models)
        if status == TRANSLATED:
            route = self._route(record["source"], target)
            record["models_keys"] = [p.key for p in route]
            record["demo"] = any(p.demo for p in route)
            if self._glossary_version is not None:
                record["glossary_version"] = self._glossary_version
                found = set(self._concepts(loaded.plain, record["source"]))
                found.update(glossary_state.concept_key(t.category, t.concept) for t in outcome.terms)
                record["concepts"] = sorted(found)
        record["seconds"] = round(seconds + time.monotonic() - started, 4)
        with self._report_lock:
            self._summary.chars += len(text) if status == TRANSLATED else 0
            self._summary.demo += 1 if record.get("demo") else 0
        self._finish(status, record, task.reason, append=True)

    # -- records -----------------------------------------------------------------------------

    def _record(self, loaded: _Loaded, target: str, status: str) -> Record:
        return {
            "input": loaded.file.rel,
            "target": target,
            "status": status,
            "sha256": loaded.sha256 or None,
            "bytes": len(loaded.raw) if loaded.file.format else None,
            "chars": len(loaded.text) if loaded.text is not None else None,
            "format": loaded.file.format,
            "detected": loaded.detected,
            "source": loaded.source,
            "output": None,
            "terms_applied": 0,
            "terms_missed": 0,
            "terms_unexpected": 0,
            "terms": [],
            "warnings": [],
            "error": None,
            "seconds": round(loaded.seconds, 4),
            "options": self._options_record(),
            "glossary_version": None,
            "models": [],
            "run": self.run_id,
        }

    def _fail(self, loaded: _Loaded, target: str, error: GlossaError) -> None:
        record = self._record(loaded, target, FAILED)
        record["error"] = {"code": error.code, "message": str(error)}
        with self._report_lock:
            self._summary.failures.append({"input": loaded.file.rel, "target": target, "error": str(error)})
        self._finish(WOULD_FAIL if self.options.dry_run else FAILED, record, str(error), append=True)

    def _finish(self, action: str, record: Record, reason: str, *, append: bool) -> None:
        if append and self._writer is not None:
            self._writer.append(record)
        with self._report_lock:
            self._summary.counts[action] = self._summary.counts.get(action, 0) + 1
            self.reporter.task(action, record, reason)

    def _options_record(self) -> dict[str, Any]:
        return {"source": self.options.source, "glossary": self.options.glossary}

    def _finish_manifest(self) -> None:
        records, _bad = read_manifest(self.manifest_path)
        compact_manifest(self.manifest_path, records.values())
        versions = {r.get("glossary_version") for r in records.values()}
        glossary_state.prune_snapshots(self.options.out_dir, {v for v in versions if v})

    # -- glossary --------------------------------------------------------------------------

    def _load_glossary(self) -> None:
        if not self.options.glossary:
            return
        # The pipeline's store: one per glossary folder per process, shared with the enforcer.
        self._glossary_store = self.pipeline.glossaries.house().store
        termbase = self._glossary_store.termbase()  # GlossaryError (one line) if the folder is bad
        self._glossary_version = termbase.version
        self._fingerprints = glossary_state.fingerprints(termbase)

    def _old_snapshot(self, version: str | None) -> glossary_state.Fingerprints | None:
        if not version:
            return None
        if version not in self._old_snapshots:
            self._old_snapshots[version] = glossary_state.load_snapshot(self.options.out_dir, version)
        return self._old_snapshots[version]

    def _concepts(self, plain: str, language: str | None) -> list[str]:
        """Keys of the glossary concepts found in a text (what a glossary change is checked against)."""
        if self._glossary_store is None or language not in SUPPORTED_LANGUAGES:
            return []
        with self._matcher_lock:  # built once per language, shared by the writer threads
            matcher = self._matchers.get(language)
            if matcher is None:
                matcher = self._matchers[language] = self._glossary_store.matcher(language)
        keys = {glossary_state.concept_key(m.concept.category, m.concept.msgid) for m in matcher.find(plain)}
        return sorted(keys)


def translate_isolated(pipeline: Pipeline,
                       requests: list[TranslationRequest]) -> list[TranslationResult | GlossaError | None]:
    """``pipeline.translate_each(requests)`` with a bug (not a GlossaError) kept to its own file as
    an internal-error GlossaError: a failure never sinks the other files of a chunk. None: a file
    already in the target language (detected; the pipeline's nothing_to_translate), copied."""
    return [None if isinstance(o, NothingToTranslateError) else _as_glossa_error(o)
            for o in pipeline.translate_each(requests)]


def run_batch(options: BatchOptions, settings: Settings, *, pipeline: Pipeline | None = None,
              reporter: Reporter | None = None) -> BatchSummary:
    """Run one batch; see :class:`BatchRunner`."""
    return BatchRunner(options, settings, pipeline=pipeline, reporter=reporter).run()


# -- helpers --------------------------------------------------------------------------------------


def _validated(options: BatchOptions) -> BatchOptions:
    in_dir, out_dir = Path(options.in_dir), Path(options.out_dir)
    if not in_dir.is_dir():
        raise InputError(f"{in_dir} is not a folder" if in_dir.exists() else f"{in_dir}: no such folder")
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"{out_dir} exists and is not a folder")
    try:  # a bad language option is bad input (exit code 2), not a refused text
        targets = tuple(dict.fromkeys(check_language_code(t, "target") for t in options.targets))
        source = options.source if options.source == "auto" else check_language_code(options.source, "source")
    except UnsupportedLanguageError as exc:
        raise InputError(exc.message, hint=exc.hint) from None
    if not targets:
        raise InputError("no target language", hint="e.g. -t ko,ru")
    if options.jobs < 1 or options.chunk_files < 1 or options.chunk_chars < 1:
        raise InputError("--jobs and chunk sizes must be at least 1")
    check_folders(in_dir, out_dir, targets)
    return replace(options, in_dir=in_dir, out_dir=out_dir, targets=targets, source=source,
                   include=tuple(options.include))


def _as_glossa_error(outcome: TranslationResult | Exception) -> TranslationResult | GlossaError:
    if isinstance(outcome, Exception) and not isinstance(outcome, GlossaError):
        # A bug must not sink the other files: recorded as this file's failure.
        return GlossaError(f"internal error: {type(outcome).__name__}: {outcome}")
    return outcome


def _differs(prev: Record | None, record: Record) -> bool:
    return prev is None or prev.get("status") != record["status"]


def _acquire_lock(out_dir: Path) -> Any:
    from filelock import FileLock, Timeout

    state = out_dir / glossary_state.SNAPSHOT_DIR
    state.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(state / LOCK_NAME), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise InputError(f"another glossa batch run is writing to {out_dir}",
                         hint="wait for it to finish (a killed run's lock is released by the system)") from None
    return lock


def _ordered_map(pool: ThreadPoolExecutor, fn: Callable[[_T], _R], items: Iterable[_T], window: int) -> Iterator[_R]:
    """``pool.map`` that keeps at most ``window`` items in flight (inputs are read ahead of the
    engine, but a huge folder is not read into memory at once)."""
    pending: deque[Future] = deque()
    for item in items:
        pending.append(pool.submit(fn, item))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()
