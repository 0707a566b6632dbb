"""What one running app holds: settings, the pipeline, the queue in front of it, keys, metrics.

Routers get it with ``Depends(service.api.dependencies.get_state)``; nothing here is global, so
tests can build several apps with different settings in one process.
"""

from __future__ import annotations

from service.api.auth import KeyRing
from service.api.batching import MicroBatcher
from service.api.metrics import Metrics
from service.config import Settings
from service.glossary.service import Glossaries
from service.pipeline import Pipeline


class AppState:
    def __init__(self, settings: Settings, pipeline: Pipeline | None = None) -> None:
        self.settings = settings
        self.pipeline = pipeline or Pipeline(settings)  # light: models load on first translation
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
        # Characters translated through the DeepL-compatible API (its /v2/usage), this process.
        self.deepl_characters = 0
        # Package keys last proven loadable by /ready (re-checked when the installed set changes).
        self.ready_for: tuple[str, ...] | None = None

    @property
    def glossaries(self) -> Glossaries:
        """The pipeline's glossary root: one store per glossary folder in this process, shared
        with the enforcer (file lock, atomic writes, reload on change)."""
        return self.pipeline.glossaries
