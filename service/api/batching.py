"""The micro-batching queue in front of the pipeline: shared batches, fair turns, isolated failures.

Translation is CPU-bound and blocking, and the engine is much faster per sentence when sentences
share a batch. So requests are not translated one by one: each is prepared on its own (validated,
parsed, detected, segmented: ``Pipeline.prepare``, in a helper thread), then its sentences wait
in a queue, and one worker hands the engine ROUNDS of sentences taken from every waiting request
in turn, as ONE ``Pipeline.translate_sentences`` call per round, in a dedicated thread so the
event loop stays free.

Why rounds: a round holds a budget of characters, shared round-robin between the requests
waiting, so a 100 KB article is translated over many rounds while a one-line request that arrives
meanwhile gets its turn in the next round: one large request cannot hold the engine for
everybody. The budget is what the engine translates in about ``round_seconds`` (measured on the
rounds so far), and never less than ``round_chars``: a fast model gets rounds big enough to batch
well (small rounds cost a fast model half its throughput), a slow one rounds short enough that a
newcomer waits about ``round_seconds``. Why preparing apart: bad input (a lone surrogate, an unsupported language) is
refused before it can join a batch, and a request that still fails inside a round (a bug, a
model error) is found by splitting the round, so its error is its own and the others get their
translations.

The queue is bounded (``QueueFullError``, 503 with Retry-After, instead of an unbounded backlog)
and every request has a deadline (``RequestTimeoutError``, 504); a request whose deadline passes
is dropped from the rounds rather than translated for nobody.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from service.errors import QueueFullError, RequestTimeoutError

# Round budget when the caller does not say (Settings.round_chars / round_seconds in the service).
DEFAULT_ROUND_CHARS = 4000
DEFAULT_ROUND_SECONDS = 1.0


__all__ = ["BatchStats", "MicroBatcher", "QueueFullError", "RequestTimeoutError"]


@dataclass(eq=False)
class _Job:
    """One request's prepared texts and how far the rounds have got through their sentences."""

    prepared: list[Any]
    future: asyncio.Future
    sentences: list[Any] = field(init=False)
    done: int = 0  # sentences translated so far
    enqueued: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        self.sentences = [s for p in self.prepared for s in p.sentences]

    @property
    def remaining(self) -> int:
        return len(self.sentences) - self.done


@dataclass
class BatchStats:
    """What the metrics endpoint reports about the queue."""

    batches: int = 0  # rounds given to the engine
    merged_requests: int = 0  # requests with sentences in those rounds (counted once per round)
    merged_texts: int = 0  # sentences in those rounds
    busy_seconds: float = 0.0


class MicroBatcher:
    """``await submit(requests)`` -> results; sentences share rounds with other requests'.

    ``pipeline`` needs ``prepare(request)``, ``translate_sentences(sentences)`` and
    ``finish(prepared)`` (``service.pipeline.Pipeline``). Rounds run in one worker thread at a
    time (the engine parallelises inside a batch; two concurrent batches would only fight for the
    same cores).
    """

    def __init__(self, pipeline: Any, *, window_s: float, max_queue: int, timeout_s: float,
                 round_chars: int = DEFAULT_ROUND_CHARS, round_seconds: float = DEFAULT_ROUND_SECONDS) -> None:
        self.pipeline = pipeline
        self.window_s = window_s
        self.max_queue = max_queue
        self.timeout_s = timeout_s
        self.round_chars = round_chars
        self.round_seconds = round_seconds
        self._chars_per_second: float | None = None  # measured on past rounds (moving average)
        self.stats = BatchStats()
        self._admitted = 0  # requests being prepared, waiting or in a round
        self._preparing = 0  # requests being prepared right now
        self._prepared: asyncio.Event | None = None  # set whenever a preparation ends
        self._jobs: list[_Job] = []  # prepared requests with sentences still to translate
        self._in_flight = 0
        self._wakeup: asyncio.Event | None = None
        self._worker: asyncio.Task | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="glossa-translate")
        # Parsing and detection run beside the engine, not in its thread and not in the event loop.
        self._prepare_executor = ThreadPoolExecutor(max_workers=8, thread_name_prefix="glossa-prepare")

    # -- public ----------------------------------------------------------------------------

    @property
    def depth(self) -> int:
        """Requests admitted and not yet answered (being prepared, waiting, or in a round)."""
        return self._admitted

    @property
    def in_flight(self) -> int:
        """Requests with sentences in the round being translated."""
        return self._in_flight

    async def submit(self, requests: Sequence[Any]) -> list[Any]:
        self._ensure_worker()
        if self._admitted >= self.max_queue:
            raise QueueFullError(
                f"the translation queue is full ({self.max_queue} requests waiting)",
                retry_after=self.retry_after(),
            )
        self._admitted += 1
        job: list[_Job] = []  # filled once prepared, so a timeout can withdraw it
        try:
            return await asyncio.wait_for(self._translate(list(requests), job), self.timeout_s)
        except asyncio.TimeoutError:
            if job:
                self._drop(job[0])
            raise RequestTimeoutError(
                f"the translation took longer than {self.timeout_s:g} s and was abandoned",
                hint="send shorter texts, or raise GLOSSA_REQUEST_TIMEOUT",
            ) from None
        finally:
            self._admitted -= 1

    def retry_after(self) -> int:
        """Seconds a refused client should wait: about the time to drain what is queued now."""
        per_round = self.stats.busy_seconds / self.stats.batches if self.stats.batches else 1.0
        rounds = sum(math.ceil(sum(len(s.text) for s in j.sentences[j.done:]) / self.round_budget())
                     for j in self._jobs)
        return max(1, math.ceil(per_round * (1 + rounds)))

    async def close(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
            try:
                await self._worker
            except (asyncio.CancelledError, Exception):
                pass
            self._worker = None
        for job in self._jobs:
            if not job.future.done():
                job.future.set_exception(RequestTimeoutError("the service is shutting down"))
        self._jobs.clear()
        self._executor.shutdown(wait=False, cancel_futures=True)
        self._prepare_executor.shutdown(wait=False, cancel_futures=True)

    # -- one request -------------------------------------------------------------------------

    async def _translate(self, requests: list[Any], holder: list[_Job]) -> list[Any]:
        loop = asyncio.get_running_loop()
        # A GlossaError here (bad input) is this request's own answer; nothing was queued.
        self._preparing += 1
        try:
            prepared = await loop.run_in_executor(self._prepare_executor, self._prepare_all, requests)
        finally:
            self._preparing -= 1
            if self._prepared is not None:
                self._prepared.set()
        job = _Job(prepared, loop.create_future())
        holder.append(job)
        if job.remaining == 0:  # nothing for the engine (e.g. every paragraph already in the target)
            return await loop.run_in_executor(self._prepare_executor, self._finish, job)
        self._jobs.append(job)
        assert self._wakeup is not None
        self._wakeup.set()
        # shield: a timed-out caller must not cancel a round that others share.
        return await asyncio.shield(job.future)

    def _prepare_all(self, requests: list[Any]) -> list[Any]:
        return [self.pipeline.prepare(request) for request in requests]

    def _finish(self, job: _Job) -> list[Any]:
        return [self.pipeline.finish(p) for p in job.prepared]

    # -- worker ----------------------------------------------------------------------------

    def _ensure_worker(self) -> None:
        # Started lazily in the loop that serves requests (test clients may not run lifespan).
        loop = asyncio.get_running_loop()
        if self._worker is None or self._worker.done() or self._loop is not loop:
            self._loop = loop
            self._wakeup = asyncio.Event()
            self._prepared = asyncio.Event()
            self._worker = loop.create_task(self._run(), name="glossa-micro-batcher")

    async def _run(self) -> None:
        assert self._wakeup is not None
        while True:
            if not self._jobs:
                self._wakeup.clear()
                await self._wakeup.wait()
                if self.window_s > 0:
                    # Let requests that arrive together join the first round, including those
                    # still being prepared (detection takes a while), for at most about a round.
                    await asyncio.sleep(self.window_s)
                    await self._await_preparations(max(1.0, 20 * self.window_s))
                continue
            round_ = self._take_round()
            if round_:
                await self._process(round_)

    async def _await_preparations(self, limit_s: float) -> None:
        assert self._prepared is not None
        deadline = time.monotonic() + limit_s
        while self._preparing and time.monotonic() < deadline:
            self._prepared.clear()
            try:
                await asyncio.wait_for(self._prepared.wait(), deadline - time.monotonic())
            except asyncio.TimeoutError:
                return

    def round_budget(self) -> int:
        """Characters in the next round: about ``round_seconds`` of engine time, at least
        ``round_chars``."""
        if self._chars_per_second is None:
            return self.round_chars
        return max(self.round_chars, int(self._chars_per_second * self.round_seconds))

    def _take_round(self) -> list[tuple[_Job, list[Any]]]:
        """Sentences for one round: one from each waiting request in turn (arrival order) until
        the round holds its budget of characters; every waiting request gets at least one."""
        self._jobs = [j for j in self._jobs if not j.future.done()]  # callers that gave up
        taken: dict[_Job, list[Any]] = {}
        budget = self.round_budget()
        chars = 0
        took = True
        while took:
            took = False
            for job in self._jobs:
                index = job.done + len(taken.get(job, ()))
                if index >= len(job.sentences):
                    continue
                sentence = job.sentences[index]
                if job in taken and chars + len(sentence.text) > budget:
                    continue
                taken.setdefault(job, []).append(sentence)
                chars += len(sentence.text)
                took = True
        return list(taken.items())

    async def _process(self, round_: list[tuple[_Job, list[Any]]]) -> None:
        loop = asyncio.get_running_loop()
        self._in_flight = len(round_)
        started = time.monotonic()
        try:
            outcomes = await loop.run_in_executor(self._executor, self._translate_round, round_)
        finally:
            self._in_flight = 0
        elapsed = time.monotonic() - started
        self.stats.batches += 1
        self.stats.merged_requests += len(round_)
        self.stats.merged_texts += sum(len(sentences) for _, sentences in round_)
        self.stats.busy_seconds += elapsed
        chars = sum(len(s.text) for _, sentences in round_ for s in sentences)
        if elapsed > 0 and chars >= self.round_chars // 2:  # tiny rounds say little about speed
            rate = chars / elapsed
            previous = self._chars_per_second
            self._chars_per_second = rate if previous is None else 0.7 * previous + 0.3 * rate
        for (job, sentences), outcome in zip(round_, outcomes):
            if job.future.done():
                continue
            if isinstance(outcome, BaseException):
                job.future.set_exception(outcome)
                self._drop(job)
                continue
            job.done += len(sentences)
            if job.remaining == 0:
                self._drop(job)
                job.future.set_result(outcome)

    def _drop(self, job: _Job) -> None:
        if job in self._jobs:
            self._jobs.remove(job)

    def _translate_round(self, round_: list[tuple[_Job, list[Any]]]) -> list[Any]:
        """Per job of the round: an exception, or (when its last sentences were in this round)
        its results, else None. Runs in the worker thread."""
        failures = self._translate_isolated(round_)
        outcomes: list[Any] = []
        for job, sentences in round_:
            if job in failures:
                outcomes.append(failures[job])
            elif job.done + len(sentences) == len(job.sentences):
                try:
                    outcomes.append(self._finish(job))
                except Exception as exc:  # noqa: BLE001 - this job's own failure
                    outcomes.append(exc)
            else:
                outcomes.append(None)
        return outcomes

    def _translate_isolated(self, round_: list[tuple[_Job, list[Any]]]) -> dict[_Job, BaseException]:
        """Translate the round in one call; if it fails, split it in halves until the failing
        requests are alone, so each failure is its own request's and no one else's."""
        try:
            self.pipeline.translate_sentences([s for _, sentences in round_ for s in sentences])
            return {}
        except Exception as exc:  # noqa: BLE001 - isolated below, reported to its own caller
            if len(round_) == 1:
                return {round_[0][0]: exc}
        half = len(round_) // 2
        return {**self._translate_isolated(round_[:half]), **self._translate_isolated(round_[half:])}
