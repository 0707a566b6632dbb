#!/usr/bin/env python3
"""Cron-friendly wrapper around `glossa batch`: same arguments, same exit code.

    scripts/translate_batch.py /srv/feed/today -o /srv/translated/today -t ko,ru

Exit code 0 when every file was translated, copied or already up to date; 1 when any file
failed (see OUT_DIR/manifest.jsonl); 2 for bad arguments. Output goes to stderr as plain log
lines (no progress bar unless --progress), so cron mail stays readable.
"""

from __future__ import annotations

import sys
from pathlib import Path

_REPO = Path(__file__).resolve().parent.parent
if str(_REPO) not in sys.path:  # runnable from a checkout without installing the package
    sys.path.insert(0, str(_REPO))

from service.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(["batch", *sys.argv[1:]]))
