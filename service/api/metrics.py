"""Prometheus metrics (prometheus-client), right with one worker process or several.

With ``glossa serve --workers N`` each worker is its own process with its own counters, and a scrape
reaches one of them: answered from memory, consecutive scrapes would read 7, 5, 7, 5. So when
``PROMETHEUS_MULTIPROC_DIR`` is set (``glossa serve`` sets it to a fresh folder for N > 1, before
any worker imports prometheus_client), every worker writes its values to memory-mapped files there
and a scrape sums all workers' files (prometheus-client's multiprocess mode). With one process,
values live in a registry per app, so tests can run several apps in one process.

Values kept elsewhere (the queue's depth and counts) are copied in by ``refresh()``: at each scrape
and after each request, so with several workers each worker's share is as of its last request.

Label values are bounded so that no client can grow the series: routes are path templates
(``/v1/glossary/{concept}``) or ``unmatched``, methods outside HTTP's usual set are ``other``.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "unmatched"
CONTENT_TYPE = CONTENT_TYPE_LATEST

# `_created` series double the output and no dashboard of ours reads them.
disable_created_metrics()


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def method_label(method: str) -> str:
    return method if method in METHODS else "other"


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self._lock = threading.Lock()
        self._readers: list[Callable[[], None]] = []
        r = self.registry
        self._metrics: dict[str, Counter | Histogram] = {
            "glossa_http_requests_total": Counter(
                "glossa_http_requests_total", "HTTP requests answered, by route and status.",
                ["method", "route", "status"], registry=r),
            "glossa_http_request_duration_seconds": Histogram(
                "glossa_http_request_duration_seconds", "Time to answer HTTP requests.",
                ["method", "route"], buckets=LATENCY_BUCKETS, registry=r),
            "glossa_translated_characters_total": Counter(
                "glossa_translated_characters_total", "Characters of source text translated.",
                ["source", "target"], registry=r),
            "glossa_translated_texts_total": Counter(
                "glossa_translated_texts_total", "Texts translated.", ["source", "target"], registry=r),
            "glossa_glossary_terms_total": Counter(
                "glossa_glossary_terms_total", "Glossary term occurrences, by status (applied, misinflected, missed).",
                ["status"], registry=r),
        }

    def inc(self, name: str, amount: float = 1.0, **labels: str) -> None:
        metric = self._metrics[name]
        assert isinstance(metric, Counter)
        metric.labels(**labels).inc(amount)

    def observe(self, name: str, value: float, **labels: str) -> None:
        metric = self._metrics[name]
        assert isinstance(metric, Histogram)
        metric.labels(**labels).observe(value)

    def request(self, method: str, route: str | None, status: int, seconds: float) -> None:
        """One answered HTTP request, with its labels bounded."""
        labels = {"method": method_label(method), "route": route or UNMATCHED}
        self.inc("glossa_http_requests_total", 1, status=str(status), **labels)
        self.observe("glossa_http_request_duration_seconds", seconds, **labels)

    def read_on_scrape(self, name: str, kind: str, help_text: str, read: Callable[[], float]) -> None:
        """A value kept elsewhere (queue depth, the queue's own counts), copied in by ``refresh``.

        A gauge is summed over live workers; a counter grows by what it grew since the last copy,
        so it stays a counter (monotonic, summed over workers) in multiprocess mode too.
        """
        if kind == "gauge":
            gauge = Gauge(name, help_text, registry=self.registry, multiprocess_mode="livesum")
            self._readers.append(lambda: gauge.set(read()))
        elif kind == "counter":
            counter = Counter(name, help_text, registry=self.registry)
            seen = [0.0]

            def copy() -> None:
                value = read()
                if value > seen[0]:
                    counter.inc(value - seen[0])
                seen[0] = value

            self._readers.append(copy)
        else:
            raise ValueError(f"unknown metric kind {kind!r}")

    def refresh(self) -> None:
        with self._lock:
            for copy in self._readers:
                copy()

    def render(self) -> bytes:
        self.refresh()
        directory = multiprocess_dir()
        if directory is None:
            return generate_latest(self.registry)
        from prometheus_client import multiprocess

        merged = CollectorRegistry()
        multiprocess.MultiProcessCollector(merged, path=directory)
        return generate_latest(merged)
