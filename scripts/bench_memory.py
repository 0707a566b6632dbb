"""Memory: where a Glossa service process's resident memory goes, component by component.

One fresh process per engine batch size (``GLOSSA_MAX_BATCH_TOKENS``) loads what ``glossa serve``
holds, in the order a first request loads it, and reads ``/proc/self/status`` after each step:
VmRSS (what the step added) and, for the translation step, VmHWM (the peak, which is what the
service bench reports). The translation step sends ``--articles`` articles of 2 paragraphs x 3
sentences through ``Pipeline.translate_many`` at once, glossary off: what the micro-batching
queue does when that many single-article requests arrive together (16 clients: 16 articles).
CPU seconds of that step (user+sys, unaffected by other load on the machine) stand for its cost:
on a saturated CPU, throughput is sentences per CPU second.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

from scripts import bench_common as bc

REPO = Path(__file__).resolve().parent.parent


def _status() -> dict[str, float]:
    out = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0]) / 1024
    return out


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def worker(articles: int) -> None:
    """Child side: the steps, one JSON line each, on stdout."""
    steps: list[dict] = []

    def mark(name: str, **extra) -> None:
        steps.append({"step": name, **_status(), "cpu": _cpu(), **extra})

    mark("python interpreter")
    import service.cli  # noqa: F401

    mark("import service (CLI)")
    from service.api.app import create_app
    from service.config import Settings

    settings = Settings.from_env()
    app = create_app(settings)
    mark("FastAPI app (imports, routes, state)")
    from service.detect import detect

    detect("Kim Jong-un met the minister in Pyongyang on Tuesday, the agency said.")
    detect("Ким Чен Ын встретился с министром в Пхеньяне, сообщило агентство.")
    mark("detection (n-gram profiles, Russian dictionary check)")
    from service.morphology import analyzer

    analyzer()
    mark("pymorphy3 analyzer for the glossary (shared with detection: 0 when detection loaded it)")
    pipeline = app.state.glossa.pipeline
    glossary = pipeline.glossary_enforcer().store.snapshot()
    for lang in ("en", "ru", "ko"):
        glossary.matcher(lang)
    mark("glossary matchers en, ru, ko")
    from service.api.routers.health import check_ready

    proved = check_ready(app.state.glossa)["models"]
    mark(f"/ready: {len(proved)} installed models loaded and proved, "
         + ("released again (GLOSSA_PRELOAD=none)" if settings.preload == "none" else "kept (GLOSSA_PRELOAD=all)"))
    packages = {p.pair: p for p in pipeline.store.scan()[0]}
    # What a worker holds: with GLOSSA_PRELOAD=none (the default) only the directions requests
    # have used (here en->ru); with GLOSSA_PRELOAD=all every installed one, kept by /ready.
    for pair in sorted(packages) if settings.preload == "all" else ["en->ru"]:
        pipeline.engine.tokenize(packages[pair], ["warm"])
        mark(f"model {pair} loaded (CTranslate2 + SentencePiece)")
    pool = bc.articles(articles, paragraphs=2, sentences=3, seed=23)
    from service.pipeline import TranslationRequest

    pipeline.translate(pool[0], target="ru", source="en", glossary=False)
    mark("first translation (one article)")
    before, calls = _cpu(), pipeline.engine.stats()["translate_batch_calls"]
    results = pipeline.translate_many([TranslationRequest(a, "ru", "en", "text", False) for a in pool])
    stats = pipeline.engine.stats()
    mark(f"{articles} articles in one call", step_cpu=_cpu() - before,
         sentences=sum(len(r.sentences) for r in results), batch_calls=stats["translate_batch_calls"] - calls)
    for step in steps:
        print(json.dumps(step), flush=True)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--articles", type=int, default=16, help="articles translated together (16 clients)")
    parser.add_argument("--batch-tokens", default="8192,2048,1024",
                        help="GLOSSA_MAX_BATCH_TOKENS values, one fresh process each")
    parser.add_argument("--out", type=Path, default=bc.BENCH_OUT, help="where the bench model lives")
    parser.add_argument("--markdown", action="store_true", help="print the tables as Markdown")


def run(args: argparse.Namespace) -> int:
    from scripts import bench_models

    bench_models.build(args.out, bench_models.DEFAULT_PAIRS, bench_models.Shape())
    runs = {}
    with tempfile.TemporaryDirectory(prefix="glossa-bench-mem-") as tmp:
        env = bc.bench_env(args.out / "packages", Path(tmp) / "home")
        env.pop("GLOSSA_CACHE_SIZE", None)  # as the service runs
        for tokens in [int(t) for t in args.batch_tokens.split(",") if t.strip()]:
            proc = subprocess.run([str(bc.PYTHON), "-m", "scripts.bench_memory", "--worker", str(args.articles)],
                                  env={**env, "GLOSSA_MAX_BATCH_TOKENS": str(tokens)}, cwd=REPO,
                                  capture_output=True, text=True, timeout=3600, check=False)
            if proc.returncode != 0:
                print(f"error: the worker failed:\n{proc.stderr[-3000:]}")
                return 2
            runs[tokens] = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    first = next(iter(runs.values()))
    rows = [("step", "RSS after MB", "added MB", "CPU s")]
    previous = {"VmRSS": 0.0, "cpu": 0.0}
    for step in first[:-1]:
        rows.append((step["step"], f"{step['VmRSS']:.0f}", f"{step['VmRSS'] - previous['VmRSS']:+.0f}",
                     f"{step['cpu'] - previous['cpu']:.2f}"))
        previous = step
    print(f"memory by component (fresh process, bench model; GLOSSA_MAX_BATCH_TOKENS="
          f"{next(iter(runs))}); machine: {bc.machine()}")
    bc.print_table(rows, markdown=args.markdown)
    from service.config import Settings
    from service.engine import batch_source_tokens

    beam = Settings.from_env().beam_size
    rows = [("GLOSSA_MAX_BATCH_TOKENS", f"source tokens per batch (beam {beam})", "sentences",
             "translate_batch calls", "RSS before MB", "peak RSS MB", "CPU s", "sentences per CPU s")]
    for tokens, steps in runs.items():
        last, before = steps[-1], steps[-2]
        rows.append((str(tokens), str(batch_source_tokens(tokens, beam)), str(last["sentences"]),
                     str(last["batch_calls"]), f"{before['VmRSS']:.0f}",
                     f"{last['VmHWM']:.0f}", f"{last['step_cpu']:.1f}",
                     f"{last['sentences'] / last['step_cpu']:.2f}"))
    print(f"\n{args.articles} articles (2 paragraphs x 3 sentences) in one translate_many, en->ru, glossary off:")
    bc.print_table(rows, markdown=args.markdown)
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--worker":
        worker(int(sys.argv[2]))
        sys.exit(0)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    sys.exit(run(parser.parse_args()))
