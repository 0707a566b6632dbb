"""Glossary import at scale: a 20,000-row CSV through the glossary service (the path of
``POST /v1/glossary/import`` and ``glossa glossary import``), into a copy of the shipped glossary.

Measured in a child process per repetition, so each starts cold and its peak memory is its own:
the wall time of the import (the glossary lock is held for about that long: validation, the
re-read of what would be written, the journaled write), the peak RSS of the process, and the
time a reader then takes to load the bigger glossary. Issue 12 recorded 265 s and 578 MB for the
same import before the write path was reworked.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

_CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from service.glossary.service import Glossaries
rows = int(sys.argv[2])
house = Glossaries(Path(sys.argv[1])).house()
text = "".join(f"Imported Term {i},импортированный термин {i}\n" for i in range(rows))
started = time.perf_counter()
report = house.import_text(text, "csv", lang="ru")
imported = time.perf_counter() - started
started = time.perf_counter()
Glossaries(Path(sys.argv[1])).house().termbase()
loaded = time.perf_counter() - started
print(json.dumps({"import_s": imported, "load_s": loaded, "added": len(report.added),
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--reps", type=int, default=3)


def run(args: argparse.Namespace) -> int:
    results = []
    for _ in range(args.reps):
        with tempfile.TemporaryDirectory(prefix="glossa-bench-import-") as tmp:
            target = Path(tmp) / "glossaries"
            shutil.copytree(REPO / "glossaries", target)
            out = subprocess.run([sys.executable, "-c", _CHILD, str(target), str(args.rows)], cwd=REPO,
                                 capture_output=True, text=True, check=True,
                                 env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
            results.append(json.loads(out.stdout))
    for key, label in (("import_s", "import (s)"), ("load_s", "reader load after (s)"),
                       ("peak_rss_mb", "peak RSS (MB)")):
        values = [r[key] for r in results]
        print(f"{label:<24} median {statistics.median(values):8.2f}   min {min(values):8.2f}   max {max(values):8.2f}")
    print(f"rows {args.rows}, concepts added {results[0]['added']}, repetitions {args.reps}")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    sys.exit(run(parser.parse_args()))
