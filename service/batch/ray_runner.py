"""``glossa batch IN -o OUT -t ko,ru --ray ADDRESS``: the same run, translated on a Ray cluster.

How the work is split, and why:

* **The driver keeps every local guarantee by doing everything but translating.** The
  ``glossa batch`` process scans, reads, hashes, detects, plans, holds the output lock, writes each
  output atomically, appends the manifest and shows progress: it is :class:`BatchRunner` with one
  step replaced (:meth:`RayBatchRunner._translate_requests`). Resume, per-file errors, exit codes and
  the progress bar are the local code, not a copy of it.
* **Bytes travel through Ray, not a shared filesystem.** A chunk's texts go to an actor as call
  arguments and its ``TranslationResult``s come back as the return value; only the driver touches
  IN_DIR and OUT_DIR. The nodes need the same Glossa and the model packages at the same path, no
  shared disk. (Articles are kilobytes: the object store is not a bottleneck.)
* **One Pipeline per actor.** Each actor loads the models once and translates chunks with
  ``threads`` CTranslate2 threads, reserving that many CPUs of its node.
* **One glossary version per run.** At the start the driver copies the glossary folder under the
  glossary's write lock; its own bookkeeping (fingerprints, affected files) uses that copy, and the
  same files are shipped to every actor. An edit during the run is seen by the next run.
* **Failure semantics.** Actors never write. A chunk whose actor dies (node lost, process killed)
  is sent once more to another actor; if that one dies too, the chunk's files are recorded as
  failed and the next run retries them. The driver writes an output only when its result has
  arrived, once, so nothing is written twice, and a result that never arrives leaves nothing
  written. A killed driver takes its actors with it (they belong to its Ray job); the rerun resumes
  from the manifest like a local one.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from service.batch.runner import (
    BatchOptions,
    BatchRunner,
    BatchSummary,
    Reporter,
    _Task,
    translate_isolated,
)
from service.config import Settings
from service.errors import GlossaError, InputError

LOCAL = "local"
# Ray rewrites 127.0.0.1 to the machine's outward address unless clusters are "disabled" (its
# Windows/macOS switch); for a loopback address that keeps every Ray port on loopback.
_LOOPBACK_SWITCH = "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"
_LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")


@dataclass(frozen=True)
class RayOptions:
    address: str = LOCAL  # "local", "auto", "HOST:PORT" (GCS) or "ray://HOST:PORT" (needs ray[client])
    actors: int = 0  # 0: one per `threads` CPUs of the cluster
    threads: int = 1  # CTranslate2 threads (and reserved CPUs) per actor
    # `local` only: what the private cluster may use.
    local_cpus: int = 0  # 0: every CPU of the machine
    local_object_store_bytes: int = 200 * 1024 * 1024
    # How long to wait for a first (or replacement) actor before the remaining files fail.
    start_timeout: float = 300.0


class Translator:
    """A Ray actor (wrapped by ``ray.remote`` in the driver): one Pipeline, models loaded once."""

    def __init__(self, settings: Settings, glossary_files: dict[str, bytes] | None, threads: int) -> None:
        import ray

        self._glossary_dir: str | None = None
        if glossary_files is not None:
            self._glossary_dir = tempfile.mkdtemp(prefix="glossa-glossary-")
            _write_files(Path(self._glossary_dir), glossary_files)
            settings = replace(settings, glossary_dir=Path(self._glossary_dir))
        settings = replace(settings, intra_threads=threads, inter_threads=1)
        from service.pipeline import Pipeline

        self.pipeline = Pipeline(settings)
        _ = self.pipeline.engine  # load the models now: a broken node fails at start, not mid-chunk
        self.node = ray.get_runtime_context().get_node_id()

    def where(self) -> tuple[str, int]:
        return self.node, os.getpid()

    def translate(self, requests: list[Any]) -> list[Any]:
        return translate_isolated(self.pipeline, requests)

    def close(self) -> None:
        """Remove the glossary copy (a killed actor leaves it in the node's temp folder)."""
        if self._glossary_dir is not None:
            shutil.rmtree(self._glossary_dir, ignore_errors=True)


@dataclass
class _Chunk:
    tasks: list[_Task]
    requests: list[Any]
    attempts: int = 0
    sent: float = 0.0


class RayBatchRunner(BatchRunner):
    """A :class:`BatchRunner` whose chunks are translated by a pool of Ray actors."""

    def __init__(self, options: BatchOptions, ray_options: RayOptions, settings: Settings, *,
                 reporter: Reporter | None = None) -> None:
        super().__init__(options, settings, reporter=reporter)
        self.ray_options = _validated(ray_options)
        self._glossary_files: dict[str, bytes] | None = None
        self._snapshot_dir: str | None = None
        self._ray: Any = None
        self._started_cluster = False
        self._actor_class: Any = None
        self._idle: list[Any] = []
        self._starting: dict[Any, tuple[Any, float]] = {}  # ready probe -> (actor, since)
        self._inflight: dict[Any, tuple[Any, _Chunk]] = {}  # result ref -> (actor, chunk)
        self._queue: deque[_Chunk] = deque()
        self._replacements = 0
        self._size = 0
        self._last_error = ""
        self.nodes_used: set[str] = set()
        self._connected = 0.0
        self._first_ready: float | None = None
        self._ready_count = 0  # actors that loaded their models (replacements included)

    def run(self) -> BatchSummary:
        try:
            if self.options.glossary and not self.options.dry_run:
                self._snapshot_glossary()
            return super().run()
        finally:
            self._shutdown()

    # -- one glossary version for the whole run ------------------------------------------------

    def _snapshot_glossary(self) -> None:
        """Copy the glossary folder under its write lock; the driver and every actor use the copy."""
        from filelock import FileLock, Timeout

        from service.glossary.store import LOCK_NAME

        source = Path(self.settings.glossary_dir)
        if not source.is_dir():
            return  # the run reports the missing glossary as a local run does
        lock = FileLock(str(source / LOCK_NAME), timeout=30)
        try:
            with lock:
                # Every file (a store's hidden markers too), but not the lock itself.
                files = {p.relative_to(source).as_posix(): p.read_bytes() for p in sorted(source.rglob("*"))
                         if p.is_file() and p.name != LOCK_NAME}
        except Timeout:
            raise InputError(f"the glossary in {source} is locked by a writer; try again") from None
        self._snapshot_dir = tempfile.mkdtemp(prefix="glossa-batch-glossary-")
        _write_files(Path(self._snapshot_dir), files)
        self._glossary_files = files
        self.settings = replace(self.settings, glossary_dir=Path(self._snapshot_dir))

    # -- the actor pool (driver, main thread) ------------------------------------------------

    def _translate_requests(self, tasks: list[_Task], requests: list[Any], pool: ThreadPoolExecutor,
                            writes: list[Future]) -> None:
        if self._ray is None:
            self._connect()
        self._queue.append(_Chunk(tasks, requests))
        self._dispatch()
        # Keep the actors busy without reading the whole folder ahead of them.
        while len(self._queue) + len(self._inflight) >= max(2, 2 * self._size):
            self._wait_one(pool, writes)

    def _drain(self, pool: ThreadPoolExecutor, writes: list[Future]) -> None:
        while self._queue or self._inflight:
            self._wait_one(pool, writes)
        if self._ray is not None:
            ready = (self._first_ready or time.monotonic()) - self._connected
            busy = time.monotonic() - (self._first_ready or time.monotonic())
            self.reporter.note(f"Ray: {self._size} actor(s) on {len(self.nodes_used)} node(s) of the cluster at "
                               f"{self.ray_options.address}; first actor ready after {ready:.1f} s, "
                               f"translating took {busy:.1f} s")

    def _connect(self) -> None:
        opts = self.ray_options
        self._connected = time.monotonic()
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # offline sites: no telemetry
        if opts.address == LOCAL or _loopback(opts.address):
            os.environ.setdefault(_LOOPBACK_SWITCH, "0")
        try:
            import ray
        except ImportError:
            raise InputError("--ray needs Ray", hint="pip install 'glossa[ray]'") from None
        import logging

        if opts.address not in (LOCAL, "auto"):
            _check_reachable(opts.address)
        if not ray.is_initialized():
            kwargs: dict[str, Any] = {"log_to_driver": False, "logging_level": logging.ERROR}
            try:
                if opts.address == LOCAL:
                    ray.init(num_cpus=opts.local_cpus or None, object_store_memory=opts.local_object_store_bytes,
                             include_dashboard=False, **kwargs)
                else:
                    ray.init(address=opts.address, **kwargs)
            except Exception as exc:  # noqa: BLE001 - Ray raises ConnectionError, RuntimeError, ValueError...
                raise InputError(f"cannot use the Ray cluster at {opts.address}: {type(exc).__name__}: "
                                 f"{str(exc).splitlines()[0] if str(exc) else ''}",
                                 hint="start it with `ray start --head`, or use --ray local") from None
            self._started_cluster = True
        self._ray = ray
        self._actor_class = ray.remote(Translator)
        cpus = int(ray.cluster_resources().get("CPU", 1))
        self._size = opts.actors or max(1, cpus // opts.threads)
        for _ in range(self._size):
            self._start_actor()

    def _start_actor(self) -> None:
        actor = self._actor_class.options(num_cpus=self.ray_options.threads, max_restarts=0,
                                          max_task_retries=0).remote(
            self.settings, self._glossary_files, self.ray_options.threads)
        self._starting[actor.where.remote()] = (actor, time.monotonic())

    def _dispatch(self) -> None:
        while self._queue and self._idle:
            actor = self._idle.pop()
            chunk = self._queue.popleft()
            chunk.attempts += 1
            chunk.sent = time.monotonic()
            self._inflight[actor.translate.remote(chunk.requests)] = (actor, chunk)

    def _wait_one(self, pool: ThreadPoolExecutor, writes: list[Future]) -> None:
        """Wait for one result or one actor start, and act on it."""
        ray = self._ray
        refs = [*self._inflight, *self._starting]
        if not refs:
            self._fail_queue(f"no Ray actor could be started ({self._last_error or 'none left'})")
            return
        ready, _ = ray.wait(refs, num_returns=1, timeout=5.0)
        if not ready:
            self._check_start_timeout()
            return
        ref = ready[0]
        if ref in self._starting:
            actor, _since = self._starting.pop(ref)
            try:
                node, _pid = ray.get(ref)
            except Exception as exc:  # noqa: BLE001 - the actor died while loading its models
                self._last_error = _short(exc)
                self._replace_actor()
            else:
                self.nodes_used.add(node)
                self._first_ready = self._first_ready or time.monotonic()
                self._ready_count += 1
                # Actors load their models for seconds; say when each one can take work.
                self.reporter.note(f"Ray: actor ready on node {str(node)[:8]} ({self._ready_count} of {self._size})")
                self._idle.append(actor)
        else:
            actor, chunk = self._inflight.pop(ref)
            try:
                outcomes = ray.get(ref)
            except (ray.exceptions.RayActorError, ray.exceptions.WorkerCrashedError,
                    ray.exceptions.ObjectLostError) as exc:
                self._actor_lost(chunk, exc)
            except ray.exceptions.RayTaskError as exc:  # a bug in the actor: the actor lives on
                self._idle.append(actor)
                self._fail_chunk(chunk, GlossaError(f"internal error on a Ray worker: {_short(exc)}"))
            else:
                self._idle.append(actor)
                self._deliver(chunk.tasks, outcomes, time.monotonic() - chunk.sent, pool, writes)
        self._dispatch()

    def _replace_actor(self) -> None:
        """Start another actor for a lost one (it lands wherever there is room), at most as many
        times in a run as the pool has actors: a node that cannot load the models fails fast."""
        if self._replacements < self._size:
            self._replacements += 1
            self._start_actor()

    def _actor_lost(self, chunk: _Chunk, exc: BaseException) -> None:
        self._last_error = _short(exc)
        self._replace_actor()
        if chunk.attempts < 2:
            self.reporter.note(f"a Ray worker was lost ({self._last_error}); "
                               f"its {len(chunk.tasks)} file/target pair(s) are sent to another")
            self._queue.appendleft(chunk)
        else:
            self._fail_chunk(chunk, GlossaError(f"lost twice with its Ray worker ({self._last_error}); "
                                                "the next run retries it"))

    def _check_start_timeout(self) -> None:
        if self._idle or self._inflight or not self._queue:
            return
        oldest = min((since for _actor, since in self._starting.values()), default=None)
        if oldest is not None and time.monotonic() - oldest > self.ray_options.start_timeout:
            self._fail_queue(f"no Ray actor started within {self.ray_options.start_timeout:.0f} s "
                             "(is there a free CPU on a live node?)")

    def _fail_queue(self, message: str) -> None:
        while self._queue:
            self._fail_chunk(self._queue.popleft(), GlossaError(message))

    def _fail_chunk(self, chunk: _Chunk, error: GlossaError) -> None:
        for task in chunk.tasks:
            self._fail(task.loaded, task.target, error)

    def _shutdown(self) -> None:
        ray = self._ray
        if ray is not None and ray.is_initialized():  # (any ray call would start a local Ray)
            try:  # idle actors clean up after themselves; the others are killed as they are
                if self._idle:
                    ray.get([actor.close.remote() for actor in self._idle], timeout=30)
            except Exception:  # noqa: BLE001, S110 - a lost actor cannot clean up: nothing to do
                pass
            for actor in [*self._idle, *(a for a, _ in self._starting.values()),
                          *(a for a, _ in self._inflight.values())]:
                try:
                    ray.kill(actor)
                except Exception:  # noqa: BLE001, S110 - already dead is fine
                    pass
            if self._started_cluster:
                ray.shutdown()
        if self._snapshot_dir is not None:
            shutil.rmtree(self._snapshot_dir, ignore_errors=True)


def run_batch_on_ray(options: BatchOptions, ray_options: RayOptions, settings: Settings, *,
                     reporter: Reporter | None = None) -> BatchSummary:
    """Run one batch on a Ray cluster; see :class:`RayBatchRunner`."""
    return RayBatchRunner(options, ray_options, settings, reporter=reporter).run()


def _validated(options: RayOptions) -> RayOptions:
    if not options.address.strip():
        raise InputError("--ray needs an address: local, auto, HOST:PORT or ray://HOST:PORT")
    if options.actors < 0 or options.threads < 1 or options.local_cpus < 0:
        raise InputError("--ray-actors must be >= 0 and --ray-threads >= 1")
    return replace(options, address=options.address.strip())


def _check_reachable(address: str, timeout: float = 5.0) -> None:
    """Refuse an address nothing answers on: Ray would retry for minutes, then start a local
    instance of its own and run the whole batch there."""
    import socket

    hostport = address.split("://", 1)[-1]
    host, _, port = hostport.rpartition(":")
    if not host or not port.isdigit():
        raise InputError(f"--ray {address}: expected local, auto, HOST:PORT or ray://HOST:PORT")
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=timeout):
            pass
    except OSError as exc:
        raise InputError(f"cannot reach the Ray cluster at {address} ({exc.strerror or exc})",
                         hint="start it with `ray start --head`, or use --ray local") from None


def _loopback(address: str) -> bool:
    host = address.split("://", 1)[-1].rsplit(":", 1)[0]
    return host in _LOOPBACK_HOSTS


def _write_files(folder: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:200]}" if text else type(exc).__name__
