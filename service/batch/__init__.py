"""Batch translation over folders of articles: ``glossa batch IN_DIR -o OUT_DIR -t ko,ru``.

* ``scan``: which files are read, and as which format.
* ``manifest``: ``OUT_DIR/manifest.jsonl``, durable appends, newest record wins, compaction.
* ``glossary_state``: per-concept fingerprints, so a glossary edit re-translates only the files
  that contain an affected term.
* ``paths``: where a run may read and write (it never writes over an input).
* ``runner``: the run itself (read ahead in threads, translate in shared batches, write behind).
* ``ray_runner``: the same run with the translating done by Ray actors (``--ray``; imports Ray
  only when used).

Importing this package loads no model; the pipeline is created on first use.
"""

from service.batch.manifest import FAILED, MANIFEST_NAME, SKIPPED, STATUSES, TRANSLATED, UNCHANGED, read_manifest
from service.batch.runner import UP_TO_DATE, BatchOptions, BatchRunner, BatchSummary, Reporter, run_batch

__all__ = [
    "BatchOptions",
    "BatchRunner",
    "BatchSummary",
    "FAILED",
    "MANIFEST_NAME",
    "Reporter",
    "SKIPPED",
    "STATUSES",
    "TRANSLATED",
    "UNCHANGED",
    "UP_TO_DATE",
    "read_manifest",
    "run_batch",
]
