"""A few Prometheus metrics, written in the text exposition format by hand.

Small enough not to need prometheus_client: counters and one histogram family, keyed by label
values, guarded by one lock (updates come from the event loop and from the translation thread).
Route labels are path templates (``/v1/glossary/{concept}``), never raw paths, so that a client
cannot grow the label set.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Iterable

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)

Labels = tuple[tuple[str, str], ...]


def _labels(pairs: Labels) -> str:
    if not pairs:
        return ""
    body = ",".join(f'{k}="{_escape(v)}"' for k, v in pairs)
    return "{" + body + "}"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


class Metrics:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counters: dict[str, dict[Labels, float]] = defaultdict(dict)
        self._histograms: dict[str, dict[Labels, list[float]]] = defaultdict(dict)
        self._help: dict[str, tuple[str, str]] = {}
        self._gauges: dict[str, Callable[[], float]] = {}
        self.describe("glossa_http_requests_total", "counter", "HTTP requests answered, by route and status.")
        self.describe("glossa_http_request_duration_seconds", "histogram", "Time to answer HTTP requests.")
        self.describe("glossa_translated_characters_total", "counter", "Characters of source text translated.")
        self.describe("glossa_translated_texts_total", "counter", "Texts translated.")
        self.describe("glossa_glossary_terms_total", "counter", "Glossary term occurrences, applied or missed.")

    def describe(self, name: str, kind: str, help_text: str) -> None:
        self._help[name] = (kind, help_text)

    def read_on_scrape(self, name: str, kind: str, help_text: str, read: Callable[[], float]) -> None:
        """A value kept elsewhere (queue depth, the queue's own counts), read when scraped."""
        self.describe(name, kind, help_text)
        self._gauges[name] = read

    def inc(self, name: str, amount: float = 1.0, **labels: str) -> None:
        key = tuple(sorted(labels.items()))
        with self._lock:
            series = self._counters[name]
            series[key] = series.get(key, 0.0) + amount

    def observe(self, name: str, value: float, **labels: str) -> None:
        key = tuple(sorted(labels.items()))
        with self._lock:
            series = self._histograms[name]
            counts = series.get(key)
            if counts is None:
                # one count per bucket, then +Inf, then the sum
                counts = series[key] = [0.0] * (len(LATENCY_BUCKETS) + 2)
            for i, bound in enumerate(LATENCY_BUCKETS):
                if value <= bound:
                    counts[i] += 1
            counts[-2] += 1
            counts[-1] += value

    def render(self) -> str:
        lines: list[str] = []
        with self._lock:
            counters = {n: dict(s) for n, s in self._counters.items()}
            histograms = {n: {k: list(v) for k, v in s.items()} for n, s in self._histograms.items()}
        for name, (kind, help_text) in self._help.items():
            lines.append(f"# HELP {name} {help_text}")
            lines.append(f"# TYPE {name} {kind}")
            if name in self._gauges:
                lines.append(f"{name} {self._gauges[name]():g}")
            elif kind == "counter":
                lines.extend(self._series(name, counters.get(name, {}).items()))
            elif kind == "histogram":
                for labels, counts in histograms.get(name, {}).items():
                    for i, bound in enumerate(LATENCY_BUCKETS):
                        lines.append(f"{name}_bucket{_labels(labels + (('le', f'{bound:g}'),))} {counts[i]:g}")
                    lines.append(f"{name}_bucket{_labels(labels + (('le', '+Inf'),))} {counts[-2]:g}")
                    lines.append(f"{name}_count{_labels(labels)} {counts[-2]:g}")
                    lines.append(f"{name}_sum{_labels(labels)} {counts[-1]:.6f}")
        return "\n".join(lines) + "\n"

    @staticmethod
    def _series(name: str, items: Iterable[tuple[Labels, float]]) -> list[str]:
        return [f"{name}{_labels(labels)} {value:g}" for labels, value in sorted(items)]
