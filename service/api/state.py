"""What one running app holds: settings, the pipeline, the queue in front of it, keys, metrics.

Routers get it with ``Depends(get_state)``; nothing here is global, so tests can build several
apps with different settings in one process.
"""

from __future__ import annotations

import threading
from typing import Any

from fastapi import Request

from service.api.auth import KeyRing
from service.api.batching import MicroBatcher
from service.api.metrics import Metrics
from service.config import Settings


class AppState:
    def __init__(self, settings: Settings, pipeline: Any = None) -> None:
        from service.pipeline import Pipeline  # light: models load on first translation

        self.settings = settings
        self.pipeline = pipeline or Pipeline(settings)
        self.keys = KeyRing(settings)
        self.metrics = Metrics()
        self.batcher = MicroBatcher(
            self.pipeline,
            window_s=settings.batch_window_ms / 1000.0,
            max_queue=settings.queue_size,
            timeout_s=settings.request_timeout,
            round_chars=settings.round_chars,
            round_seconds=settings.round_seconds,
        )
        gauges = {
            "glossa_queue_depth": ("gauge", "Translation requests admitted and not yet answered.",
                                   lambda: self.batcher.depth),
            "glossa_queue_in_flight": ("gauge", "Translation requests in the batch being translated.",
                                       lambda: self.batcher.in_flight),
            "glossa_batches_total": ("counter", "Pipeline calls made by the micro-batching queue.",
                                     lambda: self.batcher.stats.batches),
            "glossa_batched_requests_total": ("counter", "Requests merged into those calls.",
                                              lambda: self.batcher.stats.merged_requests),
        }
        for name, (kind, help_text, read) in gauges.items():
            self.metrics.read_on_scrape(name, kind, help_text, read)
        self._glossary = None
        self._glossary_lock = threading.Lock()
        # Characters translated through the DeepL-compatible API (its /v2/usage), this process.
        self.deepl_characters = 0
        # Package keys last proven loadable by /ready (re-checked when the installed set changes).
        self.ready_for: tuple[str, ...] | None = None

    @property
    def model_store(self):
        return self.pipeline.store

    @property
    def glossary(self):
        """The same store the CLI uses (file lock, atomic writes, reload on change)."""
        with self._glossary_lock:
            if self._glossary is None:
                from service.glossary.store import GlossaryStore

                self._glossary = GlossaryStore(self.settings.glossary_dir)
            return self._glossary


def get_state(request: Request) -> AppState:
    return request.app.state.glossa
