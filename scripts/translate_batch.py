#!/usr/bin/env python3
"""Cron-friendly wrapper around `glossa batch`: same arguments, same exit code.

    cd /path/to/glossa && python -m scripts.translate_batch /srv/feed/today -o /srv/translated/today -t ko,ru

Exit code 0 when every file was translated, copied or already up to date; 1 when any file
failed (see OUT_DIR/manifest.jsonl); 2 for bad arguments. Output goes to stderr as plain log
lines (no progress bar unless --progress), so cron mail stays readable.
"""

from __future__ import annotations

import sys

from service.cli import main

if __name__ == "__main__":
    sys.exit(main(["batch", *sys.argv[1:]]))
