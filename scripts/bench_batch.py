"""`scripts/bench.py batch`: one folder translated locally, with `--ray local`, and on a two-node
loopback Ray cluster (scripts/ray_cluster.py), in one run, alternating, on the same models.

Every run is the real CLI in a fresh output folder; wall time counts everything a user waits for
(Python start, model loading, Ray actors starting). From the cluster run the per-actor throughput
is taken and projected to N machines, next to the driver's own ceiling (a rerun where everything
is up to date: scan, read, hash and plan per file, with no translation).

On one 2-core machine expect parity at best: the two "nodes" share the same two cores.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--articles", type=int, default=120, help="articles in the folder (en/ko/ru, 3 sentences)")
    parser.add_argument("--targets", default="ko,ru")
    parser.add_argument("--reps", type=int, default=2, help="repetitions of each mode (alternating)")
    parser.add_argument("--chunk-files", type=int, default=16)
    parser.add_argument("--cpus-per-node", type=int, default=1, help="CPUs of each loopback node")
    parser.add_argument("--machines", default="1,2,4,8,16", help="N for the projection")
    parser.add_argument("--markdown", action="store_true")


def _feed(root: Path, count: int) -> Path:
    from scripts import demo_corpus

    triples = demo_corpus.triples(count * 3, seed=23, placeholder_rate=0.0)
    langs = ("en", "ko", "ru")
    for index in range(count):
        lang = langs[index % 3]
        text = " ".join(t[langs.index(lang)] for t in triples[index * 3:(index + 1) * 3])
        path = root / lang / f"article-{index:04d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n", encoding="utf-8")
    return root


def _demo_packages(root: Path, env: dict[str, str]) -> None:
    for archive in sorted((REPO / "models" / "demo").glob("*.argosmodel")):
        subprocess.run([sys.executable, "-m", "service", "models", "install", str(archive)], env=env,
                       check=True, capture_output=True)


def _run(cmd: list[str], env: dict[str, str]) -> tuple[float, dict, str]:
    started = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=1800, check=False)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return wall, json.loads(proc.stdout), proc.stderr


def run(args: argparse.Namespace) -> int:
    from scripts.ray_cluster import LoopbackCluster  # deferred: imports ray

    work = Path(tempfile.mkdtemp(prefix="glossa-bench-batch-"))
    env = dict(os.environ, PYTHONPATH=str(REPO), ARGOS_PACKAGES_DIR=str(work / "packages"),
               RAY_USAGE_STATS_ENABLED="0")
    try:
        _demo_packages(work / "packages", env)
        feed = _feed(work / "feed", args.articles)
        base = [sys.executable, "-m", "service", "batch", str(feed), "-t", args.targets, "--json",
                "--chunk-files", str(args.chunk_files)]
        cluster = LoopbackCluster(workers=1, cpus_per_node=args.cpus_per_node, env=env)
        started = time.perf_counter()
        cluster.start()
        cluster_start = time.perf_counter() - started
        try:
            modes = {
                "local (--jobs 2)": (base + ["--jobs", "2"], env),
                "--ray local": (base + ["--ray", "local"], env),
                "two-node loopback cluster": (base + ["--ray", cluster.address], cluster.driver_env(env)),
            }
            walls: dict[str, list[float]] = {m: [] for m in modes}
            notes: dict[str, str] = {}
            pairs = 0
            for rep in range(args.reps):
                for name, (cmd, mode_env) in modes.items():
                    out = work / f"out-{rep}-{len(walls[name])}-{abs(hash(name))}"
                    wall, summary, stderr = _run([*cmd, "-o", str(out)], mode_env)
                    pairs = sum(summary["counts"].values())
                    walls[name].append(wall)
                    notes[name] = next((line for line in stderr.splitlines() if "Ray:" in line), "")
                    if rep == 0 and name.startswith("local"):
                        # The run's own seconds (after Python start and imports): the driver's work.
                        _wall, rerun, _e = _run([*cmd, "-o", str(out)], mode_env)
                        driver_ceiling = pairs / max(rerun["seconds"], 1e-3)
                    shutil.rmtree(out, ignore_errors=True)
        finally:
            cluster.stop()
        _report(args, walls, notes, pairs, cluster_start, driver_ceiling)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def _report(args: argparse.Namespace, walls: dict[str, list[float]], notes: dict[str, str], pairs: int,
            cluster_start: float, driver_ceiling: float) -> None:
    local = statistics.median(walls["local (--jobs 2)"])
    rows = []
    for name, values in walls.items():
        med = statistics.median(values)
        overhead_ms = (med - local) / pairs * 1000
        rows.append((name, f"{med:.1f}", f"{min(values):.1f}-{max(values):.1f}", f"{pairs / med:.1f}",
                     "-" if name.startswith("local") else f"{overhead_ms:+.0f}"))
    header = ("mode", "wall s (median)", "min-max", "file/target pairs/s", "overhead ms/pair vs local")
    _table(header, rows, args.markdown)
    print(f"\n{args.articles} articles x {args.targets}: {pairs} pairs; {args.reps} repetitions, alternating; "
          f"cluster start (not counted) {cluster_start:.0f} s")
    for name, note in notes.items():
        if note:
            print(f"{name}: {note.split('note: ', 1)[-1]}")
    # Projection: the cluster run's translating phase (after its actors were ready) gives the
    # throughput of its actors; N machines of that kind add actors, the driver stays one.
    match = re.search(r"(\d+) actor\(s\).*translating took ([\d.]+) s", notes.get("two-node loopback cluster", ""))
    if not match:
        return
    actors, busy = int(match.group(1)), float(match.group(2))
    per_actor = pairs / busy / actors
    print(f"\nmeasured: {per_actor:.1f} pairs/s per actor ({args.cpus_per_node} CPU each, demo models); "
          f"driver ceiling {driver_ceiling:.0f} pairs/s (an up-to-date rerun: scan, read, hash, detect, plan)")
    proj = []
    for n in (int(x) for x in args.machines.split(",")):
        rate = min(n * per_actor, driver_ceiling)
        proj.append((str(n), f"{n * per_actor:.1f}", f"{rate:.1f}", f"{100_000 / rate / 3600:.1f}"))
    _table(("machines (1 actor each)", "actors' pairs/s", "expected pairs/s (driver-capped)",
            "hours for 100,000 pairs"), proj, args.markdown)


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]], markdown: bool) -> None:
    if markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for row in rows:
            print("| " + " | ".join(row) + " |")
        return
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    for row in (header, *rows):
        print("  ".join(str(x).ljust(w) for x, w in zip(row, widths)))
