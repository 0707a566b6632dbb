#!/usr/bin/env python3
"""Glossa benchmarks. Each subcommand measures one thing side by side with its baseline, in one run.

    python scripts/bench.py langid [--data data/langid/eval.tsv] [--markdown] [--errors N]
    python scripts/bench.py build-model [--small]     # Argos-sized random-weight package (bench-out/)
    python scripts/bench.py library [--articles 20] [--reps 3]   # pipeline vs argostranslate vs ctranslate2
    python scripts/bench.py service [--clients 1,4,16]           # HTTP: Glossa vs LibreTranslate
    python scripts/bench.py glossary [--sizes 10,1000,10000]     # term matching cost
    python scripts/bench.py all [--quick] [--markdown]           # every table above

Subcommands are registered in SUBCOMMANDS; add one with an ``add_arguments(parser)`` and a
``run(args) -> int`` function.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

SUPPORTED = ("en", "ko", "ru")
LENGTHS = ("headline", "sentence", "multi")


# --- langid -------------------------------------------------------------------------------


@dataclass
class LangidRun:
    name: str
    predictions: list[str]
    seconds: float
    load_seconds: float


def _read_eval(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def _glossa_detector() -> tuple[Callable[[str], str], float]:
    started = time.perf_counter()
    from service.detect import detect

    detect("Loading the profiles happens on first use. Загрузка профилей.")
    return (lambda text: detect(text).language), time.perf_counter() - started


def _langdetect_detector() -> tuple[Callable[[str], str], float]:
    started = time.perf_counter()
    from langdetect import DetectorFactory, detect
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    detect("Loading the profiles happens on first use.")

    def run(text: str) -> str:
        try:
            code = detect(text)
        except LangDetectException:
            return "und"
        return code.split("-", 1)[0]  # zh-cn, zh-tw -> zh

    return run, time.perf_counter() - started


def _time_detector(name: str, factory: Callable[[], tuple[Callable[[str], str], float]],
                   texts: list[str]) -> LangidRun:
    detector, load = factory()
    started = time.perf_counter()
    predictions = [detector(text) for text in texts]
    return LangidRun(name, predictions, time.perf_counter() - started, load)


def _pct(numerator: int, denominator: int) -> str:
    return f"{100.0 * numerator / denominator:.1f}%" if denominator else "n/a"


def _langid_metrics(rows: list[dict[str, str]], run: LangidRun) -> dict[str, tuple[int, int]]:
    """metric name -> (hits, total)."""
    stats: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row, predicted in zip(rows, run.predictions):
        gold, length = row["language"], row["length"]
        if gold in SUPPORTED:
            for key in (f"supported/{length}", "supported/all"):
                stats[key][0] += predicted == gold
                stats[key][1] += 1
        else:
            for key in (f"refused/{length}", "refused/all"):
                stats[key][0] += predicted not in SUPPORTED
                stats[key][1] += 1
            stats["named/all"][0] += predicted == gold
            stats["named/all"][1] += 1
    return {key: (hits, total) for key, (hits, total) in stats.items()}


def _langid_halves(rows: list[dict[str, str]], run: LangidRun) -> list[tuple[str, dict[str, tuple[int, int]]]]:
    """Metrics on the tuning half (A) and the held-out half (B)."""
    import zlib

    out = []
    for name, bit in (("A", 0), ("B", 1)):
        keep = [i for i, row in enumerate(rows) if zlib.crc32(row["text"].encode("utf-8")) % 2 == bit]
        sub = LangidRun(run.name, [run.predictions[i] for i in keep], run.seconds, run.load_seconds)
        out.append((name, _langid_metrics([rows[i] for i in keep], sub)))
    return out


def langid_add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, default=REPO / "data" / "langid" / "eval.tsv",
                        help="labelled set built by scripts/build_langid_eval.py")
    parser.add_argument("--errors", type=int, default=15, help="show this many of Glossa's errors")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")


def langid_run(args: argparse.Namespace) -> int:
    rows = _read_eval(args.data)
    texts = [row["text"] for row in rows]
    languages = {row["language"] for row in rows}
    runs = [
        _time_detector("glossa", _glossa_detector, texts),
        _time_detector("langdetect (seeded)", _langdetect_detector, texts),
    ]
    metrics = [_langid_metrics(rows, run) for run in runs]
    n_by_length = Counter(row["length"] for row in rows if row["language"] in SUPPORTED)
    n_unsupported = sum(1 for row in rows if row["language"] not in SUPPORTED)
    print(f"{len(rows)} texts in {len(languages)} languages ({args.data.relative_to(REPO) if args.data.is_relative_to(REPO) else args.data}); "
          f"supported: {sum(n_by_length.values())} ({', '.join(f'{k} {n_by_length[k]}' for k in LENGTHS)}), "
          f"unsupported: {n_unsupported}")

    lines: list[tuple[str, ...]] = [("metric", *(run.name for run in runs))]
    for length in LENGTHS:
        lines.append((f"accuracy en/ko/ru, {length}",
                      *(_pct(*m.get(f"supported/{length}", (0, 0))) for m in metrics)))
    lines.append(("accuracy en/ko/ru, all", *(_pct(*m["supported/all"]) for m in metrics)))
    for length in LENGTHS:
        lines.append((f"unsupported refused, {length}",
                      *(_pct(*m.get(f"refused/{length}", (0, 0))) for m in metrics)))
    lines.append(("unsupported refused, all", *(_pct(*m["refused/all"]) for m in metrics)))
    lines.append(("unsupported named exactly", *(_pct(*m["named/all"]) for m in metrics)))
    lines.append(("time per text", *(f"{1e6 * run.seconds / len(texts):.0f} µs" for run in runs)))
    lines.append(("profile load (once)", *(f"{run.load_seconds:.2f} s" for run in runs)))
    speedup = runs[1].seconds / runs[0].seconds if runs[0].seconds else float("inf")
    from bench_common import print_table

    print_table(lines, markdown=args.markdown)
    halves = _langid_halves(rows, runs[0])
    print("\nglossa by half of the set (stable CRC-32 of the text; rules were tuned on half A only): "
          + "; ".join(f"half {name}: en/ko/ru {_pct(*m['supported/all'])}, refused {_pct(*m['refused/all'])}"
                      for name, m in halves))
    print(f"\nglossa is {speedup:.1f}x faster than seeded langdetect per text "
          f"(median text length {statistics.median(len(t) for t in texts):.0f} characters)")

    errors = [(row, predicted) for row, predicted in zip(rows, runs[0].predictions)
              if (row["language"] in SUPPORTED and predicted != row["language"])
              or (row["language"] not in SUPPORTED and predicted in SUPPORTED)]
    if errors and args.errors:
        confusions = Counter((row["language"], predicted) for row, predicted in errors)
        print("\nglossa's errors (gold -> predicted): "
              + ", ".join(f"{g}->{p} {n}" for (g, p), n in confusions.most_common(12)))
        for row, predicted in errors[: args.errors]:
            print(f"  {row['language']}->{predicted} [{row['length']}, {row['source']}] {row['text'][:110]}")
    return 0


# --- translation benchmarks (scripts/bench_*.py) -----------------------------------------------


def _bench_module(name: str):
    scripts = str(REPO / "scripts")
    if scripts not in sys.path:
        sys.path.insert(0, scripts)
    import importlib

    return importlib.import_module(name)


def _delegate(module: str) -> tuple[Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]]:
    """Arguments and run function of a bench_* module, imported only when used."""
    return (lambda parser: _bench_module(module).add_arguments(parser),
            lambda args: _bench_module(module).run(args))


def all_add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--quick", action="store_true",
                        help="small runs (minutes): fewer articles, repetitions and clients")
    parser.add_argument("--markdown", action="store_true", help="print tables as Markdown")
    parser.add_argument("--skip", default="", help="comma-separated subset of langid,library,service,glossary to skip")


def all_run(args: argparse.Namespace) -> int:
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    md = ["--markdown"] if args.markdown else []
    quick = {
        "library": ["--articles", "6", "--reps", "2"],
        "service": ["--clients", "1,4", "--modes", "single", "--requests", "4"],
        "glossary": ["--articles", "6", "--reps", "3"],
    } if args.quick else {}
    status = 0
    for name in ("langid", "library", "service", "glossary"):
        if name in skip:
            continue
        print(f"\n## {name}\n", flush=True)
        status |= main([name, *quick.get(name, []), *md])
    return status


# --- entry point --------------------------------------------------------------------------

SUBCOMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None],
                             Callable[[argparse.Namespace], int]]] = {
    "langid": ("language identification: Glossa's detector vs seeded langdetect",
               langid_add_arguments, langid_run),
    "build-model": ("build the Argos-sized random-weight bench package into bench-out/",
                    *_delegate("bench_models")),
    "library": ("library path: Glossa pipeline vs argostranslate.translate vs raw ctranslate2",
                *_delegate("bench_library")),
    "service": ("HTTP: Glossa's server vs a LibreTranslate server under 1, 4 and 16 clients",
                *_delegate("bench_service")),
    "glossary": ("glossary scale: term matching cost with 10, 1,000 and 10,000 concepts",
                 *_delegate("bench_glossary")),
    "fairness": ("HTTP: a small request's latency while large Markdown requests translate",
                 *_delegate("bench_fairness")),
    "all": ("every benchmark above, one after the other", all_add_arguments, all_run),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Glossa benchmarks (side by side, one run).")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (help_text, add_arguments, run) in SUBCOMMANDS.items():
        child = sub.add_parser(name, help=help_text, description=help_text)
        add_arguments(child)
        child.set_defaults(func=run)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
