"""The micro-batching queue in front of the pipeline.

Translation is CPU-bound and blocking, and the engine is much faster per sentence when sentences
share a batch. So requests are not translated one by one: each waits in a bounded queue, and one
worker takes everything that arrived within a short window (up to a number of texts) and hands it
to ``Pipeline.translate_each`` as ONE call, in a dedicated thread so the event loop stays free;
each request then gets its own texts' results, or the error of its first bad text, so one
client's mistake is never another's error.

The queue is bounded (``QueueFullError``, 503 with Retry-After, instead of an unbounded backlog)
and every request has a deadline (``RequestTimeoutError``, 504); a request whose deadline passes
while it waits is dropped from the batch rather than translated for nobody.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from service.errors import QueueFullError, RequestTimeoutError

# Upper bound on texts merged into one pipeline call: big enough to fill engine batches, small
# enough that one merged call does not hold everybody behind it for long.
MAX_MERGED_TEXTS = 256


__all__ = ["BatchStats", "MicroBatcher", "QueueFullError", "RequestTimeoutError"]


@dataclass
class _Job:
    requests: Sequence[Any]
    future: asyncio.Future
    enqueued: float = field(default_factory=time.monotonic)


@dataclass
class BatchStats:
    """What the metrics endpoint reports about the queue."""

    batches: int = 0
    merged_requests: int = 0
    merged_texts: int = 0
    busy_seconds: float = 0.0


class MicroBatcher:
    """``await submit(requests)`` -> results, merged with whatever else arrived within the window.

    ``translate_each`` (each request's result or its exception, as ``Pipeline.translate_each``)
    is called from one worker thread at a time (the engine parallelises inside a batch; two
    concurrent batches would only fight for the same cores).
    """

    def __init__(self, translate_each: Callable[[list[Any]], list[Any]], *, window_s: float,
                 max_queue: int, timeout_s: float, max_merged_texts: int = MAX_MERGED_TEXTS) -> None:
        self._translate_each = translate_each
        self.window_s = window_s
        self.max_queue = max_queue
        self.timeout_s = timeout_s
        self.max_merged_texts = max_merged_texts
        self.stats = BatchStats()
        self._pending: deque[_Job] = deque()
        self._in_flight = 0
        self._wakeup: asyncio.Event | None = None
        self._worker: asyncio.Task | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="glossa-translate")

    # -- public ----------------------------------------------------------------------------

    @property
    def depth(self) -> int:
        """Requests waiting for the engine (not counting the batch being translated)."""
        return len(self._pending)

    @property
    def in_flight(self) -> int:
        return self._in_flight

    async def submit(self, requests: Sequence[Any]) -> list[Any]:
        self._ensure_worker()
        if len(self._pending) >= self.max_queue:
            raise QueueFullError(
                f"the translation queue is full ({self.max_queue} requests waiting)",
                retry_after=self.retry_after(),
            )
        job = _Job(list(requests), asyncio.get_running_loop().create_future())
        self._pending.append(job)
        assert self._wakeup is not None
        self._wakeup.set()
        try:
            # shield: a timed-out caller must not cancel a batch that others share.
            return await asyncio.wait_for(asyncio.shield(job.future), self.timeout_s)
        except asyncio.TimeoutError:
            if job in self._pending:
                self._pending.remove(job)
            raise RequestTimeoutError(
                f"the translation took longer than {self.timeout_s:g} s and was abandoned",
                hint="send shorter texts, or raise GLOSSA_REQUEST_TIMEOUT",
            ) from None

    def retry_after(self) -> int:
        """Seconds a refused client should wait: about the time to drain what is queued now."""
        per_batch = self.stats.busy_seconds / self.stats.batches if self.stats.batches else 1.0
        return max(1, math.ceil(per_batch * (1 + len(self._pending))))

    async def close(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
            try:
                await self._worker
            except (asyncio.CancelledError, Exception):
                pass
            self._worker = None
        for job in self._pending:
            if not job.future.done():
                job.future.set_exception(RequestTimeoutError("the service is shutting down"))
        self._pending.clear()
        self._executor.shutdown(wait=False, cancel_futures=True)

    # -- worker ----------------------------------------------------------------------------

    def _ensure_worker(self) -> None:
        # Started lazily in the loop that serves requests (test clients may not run lifespan).
        loop = asyncio.get_running_loop()
        if self._worker is None or self._worker.done() or self._loop is not loop:
            self._loop = loop
            self._wakeup = asyncio.Event()
            self._worker = loop.create_task(self._run(), name="glossa-micro-batcher")

    async def _run(self) -> None:
        assert self._wakeup is not None
        while True:
            if not self._pending:
                self._wakeup.clear()
                await self._wakeup.wait()
                continue
            if self.window_s > 0:
                # Let requests that arrive together join this batch.
                await asyncio.sleep(self.window_s)
            jobs = self._take()
            if jobs:
                await self._process(jobs)

    def _take(self) -> list[_Job]:
        jobs: list[_Job] = []
        texts = 0
        while self._pending:
            job = self._pending[0]
            if jobs and texts + len(job.requests) > self.max_merged_texts:
                break
            self._pending.popleft()
            if job.future.done():  # its caller gave up while it waited
                continue
            jobs.append(job)
            texts += len(job.requests)
        return jobs

    async def _process(self, jobs: list[_Job]) -> None:
        loop = asyncio.get_running_loop()
        self._in_flight = len(jobs)
        started = time.monotonic()
        try:
            outcomes = await loop.run_in_executor(self._executor, self._translate_jobs, jobs)
        except Exception as exc:  # noqa: BLE001 - a bug in the pipeline: report it to every caller
            outcomes = [exc] * len(jobs)
        finally:
            self._in_flight = 0
        self.stats.batches += 1
        self.stats.merged_requests += len(jobs)
        self.stats.merged_texts += sum(len(j.requests) for j in jobs)
        self.stats.busy_seconds += time.monotonic() - started
        for job, outcome in zip(jobs, outcomes):
            if job.future.done():
                continue
            if isinstance(outcome, BaseException):
                job.future.set_exception(outcome)
            else:
                job.future.set_result(outcome)

    def _translate_jobs(self, jobs: list[_Job]) -> list[Any]:
        """One pipeline call for all jobs; each job gets its results, or the error of its first
        failed text. Runs in the worker thread."""
        outcomes = self._translate_each([req for job in jobs for req in job.requests])
        answers: list[Any] = []
        start = 0
        for job in jobs:
            mine = outcomes[start:start + len(job.requests)]
            start += len(job.requests)
            answers.append(next((o for o in mine if isinstance(o, BaseException)), mine))
        return answers
