"""Library path, one process per contender: Glossa's pipeline vs argostranslate vs raw CTranslate2.

Contenders (all on the same installed bench package, beam 4, length penalty 0.2, int8, the
threads CTranslate2 picks):

- ``glossa``: ``Pipeline.translate_many`` over all articles at once, source "auto" (language
  detection per article and per paragraph), glossary off;
- ``glossa+glossary``: the same with the project's glossary enforced;
- ``argostranslate``: ``argostranslate.translate.translate(article, src, tgt)`` per article, as a
  script would call it (its own MiniSBD splitting, one ``translate_batch`` per paragraph, its
  default ``ARGOS_BATCH_SIZE`` of 32 tokens);
- ``ctranslate2``: ``Translator.translate_batch`` over all the sentences, pre-split by Glossa's
  segmenter and pre-tokenized outside the timing (one call per bound group, see below): the limit
  any wrapper can approach.

Decoding bound (random weights never emit ``</s>``, so it decides the work): every contender
bounds every sentence the way Glossa's engine does, ``service.engine.decoding_bound(len(source
pieces))`` (2 x pieces + 10), applied per group of sentences with the same rounded bound
(``service.engine.bound_groups``: CTranslate2 takes one ``max_decoding_length`` per call).
argostranslate does not bound decoding itself (CTranslate2's default 256); the benchmark wraps
its translator to split each of its calls the same way. So every contender decodes the same
pieces and the table compares what each does around the model.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from scripts import bench_common as bc

REPO = Path(__file__).resolve().parent.parent

CONTENDERS = ("glossa", "glossa+glossary", "argostranslate", "ctranslate2")
BEAM = 4
LENGTH_PENALTY = 0.2


# --- worker side ------------------------------------------------------------------------------


def _paragraphs(article: str) -> list[str]:
    return [p for p in article.split("\n\n") if p.strip()]


def _presplit(articles: list[str], lang: str) -> list[str]:
    from service import segment

    return [span.text for article in articles for p in _paragraphs(article)
            for span in segment.split_sentences(p, lang)]


def _load(name: str, corpus: dict[str, Any]) -> dict[str, Any]:
    src, tgt, articles = corpus["source"], corpus["target"], corpus["articles"]
    from service.engine import batch_source_tokens, bound_groups, decoding_bound

    if name.startswith("glossa"):
        from service.config import Settings
        from service.pipeline import Pipeline, TranslationRequest

        pipeline = Pipeline(Settings.from_env())
        use_glossary = name == "glossa+glossary"
        profile_path = corpus.get("profile") if name == "glossa" else None

        def translate() -> dict[str, Any]:
            before = pipeline.engine.stats()
            results = pipeline.translate_many(
                [TranslationRequest(a, tgt, "auto", "text", use_glossary) for a in articles])
            after = pipeline.engine.stats()
            terms = sum(len(r.terms) for r in results)
            applied = sum(1 for r in results for t in r.terms if t.status == "applied")
            # The engine's own count of what CTranslate2 decoded, comparable with the ctranslate2
            # contender's: the same pieces mean the same model work.
            return {"terms": terms, "terms_applied": applied,
                    "output_pieces": after["pieces_decoded"] - before["pieces_decoded"],
                    "model_calls": after["translate_batch_calls"] - before["translate_batch_calls"]}

        def run() -> dict[str, Any]:
            if not profile_path:
                return translate()
            # Profiles every repetition into one file (the last one wins); the profiler's own
            # overhead makes this contender's times unusable in that run, so the table says so.
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.001)
            with profiler:
                out = translate()
            Path(profile_path).write_text(profiler.output_text(unicode=True, show_all=False), encoding="utf-8")
            return {**out, "profiled": True}

        pipeline.translate_many([TranslationRequest(articles[0], tgt, "auto", "text", use_glossary)])  # warm-up
        return {"run": run}

    if name == "argostranslate":
        import types

        import argostranslate.translate as argos
        import ctranslate2

        counter = {"pieces": 0, "calls": 0}

        class BoundedTranslator:
            """argostranslate's translator with the benchmark's decoding bound added."""

            def __init__(self, *args: Any, **kwargs: Any) -> None:
                self._translator = ctranslate2.Translator(*args, **kwargs)

            def translate_batch(self, source: list[list[str]], **kwargs: Any):
                results: list[Any] = [None] * len(source)
                for bound, indices in bound_groups([decoding_bound(len(s)) for s in source]).items():
                    group = self._translator.translate_batch([source[i] for i in indices],
                                                             **{**kwargs, "max_decoding_length": bound})
                    for i, result in zip(indices, group):
                        results[i] = result
                    counter["calls"] += 1
                counter["pieces"] += sum(len(r.hypotheses[0]) for r in results)
                return results

        argos.ctranslate2 = types.SimpleNamespace(Translator=BoundedTranslator)

        def run() -> dict[str, Any]:
            counter.update(pieces=0, calls=0)
            for article in articles:
                argos.translate(article, src, tgt)
            return {"output_pieces": counter["pieces"], "model_calls": counter["calls"]}

        argos.translate(articles[0], src, tgt)  # warm-up (loads the model and the splitter)
        return {"run": run}

    if name == "ctranslate2":
        import ctranslate2
        import sentencepiece

        from service.config import Settings

        settings = Settings.from_env()
        package = Path(corpus["packages_dir"]) / corpus["package"]
        translator = ctranslate2.Translator(str(package / "model"), device=settings.device, compute_type=settings.compute_type,
                                            inter_threads=settings.inter_threads,
                                            intra_threads=settings.intra_threads)
        sp = sentencepiece.SentencePieceProcessor(model_file=str(package / "sentencepiece.model"))
        tokens = [sp.encode(s, out_type=str) for s in _presplit(articles, src)]
        groups = bound_groups([decoding_bound(len(t)) for t in tokens])

        def run() -> dict[str, Any]:
            pieces = 0
            for bound, indices in groups.items():
                results = translator.translate_batch(
                    [tokens[i] for i in indices], batch_type="tokens",
                    max_batch_size=batch_source_tokens(settings.max_batch_tokens, BEAM),
                    beam_size=BEAM, num_hypotheses=1, length_penalty=LENGTH_PENALTY, replace_unknowns=True,
                    max_decoding_length=bound, return_scores=True)
                pieces += sum(len(r.hypotheses[0]) for r in results)
            return {"output_pieces": pieces, "model_calls": len(groups)}

        translator.translate_batch(tokens[:2], beam_size=BEAM, max_decoding_length=8)  # warm-up
        return {"run": run}

    raise ValueError(f"unknown contender {name!r}")


def _run(state: dict[str, Any], command: str) -> dict[str, Any]:
    if command != "run":
        raise ValueError(f"unknown command {command!r}")
    import resource

    def cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)  # every thread of the process, CTranslate2's included
        return usage.ru_utime + usage.ru_stime

    started, started_cpu = time.perf_counter(), cpu()
    extra = state["run"]()
    return {"seconds": time.perf_counter() - started, "cpu_seconds": cpu() - started_cpu, **extra}


def worker_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("name", choices=CONTENDERS)
    parser.add_argument("corpus", type=Path)
    args = parser.parse_args(argv)
    corpus = json.loads(args.corpus.read_text(encoding="utf-8"))
    bc.serve_worker(lambda: _load(args.name, corpus), _run)
    return 0


# --- parent side ------------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--articles", type=int, default=20, help="articles of 4 paragraphs x 3 sentences")
    parser.add_argument("--reps", type=int, default=5, help="alternating repetitions per contender")
    parser.add_argument("--pair", default="en-ru", help="source-target pair of the bench package")
    parser.add_argument("--profile", type=Path, default=None, metavar="FILE",
                        help="profile the glossa contender with pyinstrument and write the text profile to FILE "
                             "(its times in that run include the profiler's overhead)")
    parser.add_argument("--contenders", default=",".join(CONTENDERS),
                        help=f"comma-separated subset of {', '.join(CONTENDERS)}")
    parser.add_argument("--out", type=Path, default=bc.BENCH_OUT, help="where the bench model lives")
    parser.add_argument("--small-model", action="store_true", help="tiny random model (smoke runs)")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")


def run(args: argparse.Namespace) -> int:
    from scripts import bench_models
    from service import segment

    src, tgt = args.pair.split("-", 1)
    shape = bench_models.Shape.small() if args.small_model else bench_models.Shape()
    bench_models.build(args.out, ((src, tgt),) if (src, tgt) not in bench_models.DEFAULT_PAIRS
                       else bench_models.DEFAULT_PAIRS, shape)
    names = [n.strip() for n in args.contenders.split(",") if n.strip()]
    unknown = [n for n in names if n not in CONTENDERS]
    if unknown:
        print(f"error: unknown contender(s) {', '.join(unknown)}; choose from {', '.join(CONTENDERS)}")
        return 2
    articles = bc.articles(args.articles, lang=src)
    n_sentences = sum(len(segment.split_sentences(p, src)) for a in articles for p in _paragraphs(a))
    n_chars = sum(len(a) for a in articles)
    packages_dir = args.out / "packages"
    with tempfile.TemporaryDirectory(prefix="glossa-bench-lib-") as tmp:
        corpus_path = Path(tmp) / "corpus.json"
        corpus_path.write_text(json.dumps({
            "source": src, "target": tgt, "articles": articles, "packages_dir": str(packages_dir),
            "package": bench_models.package_name(src, tgt),
            "profile": str(args.profile.resolve()) if args.profile else None}), encoding="utf-8")
        env = bc.bench_env(packages_dir, Path(tmp) / "home")
        workers = [bc.Worker(n, [str(bc.PYTHON), "-m", "scripts.bench_library", "worker", n, str(corpus_path)], env) for n in names]
        from service.config import Settings

        threads = Settings.from_env()
        print(f"library: {len(articles)} articles, {n_sentences} sentences, {n_chars:,} characters, "
              f"{src}->{tgt}, {args.reps} alternating repetitions; CTranslate2 threads for glossa and "
              f"ctranslate2: intra {threads.intra_threads or 'auto'}, inter {threads.inter_threads}, "
              f"max_batch_tokens {threads.max_batch_tokens}; machine: {bc.machine()}")
        try:
            for w in workers:
                w.start()
                print(f"  {w.name}: loaded in {w.load_seconds:.1f} s")
            bc.alternate(workers, args.reps)
        finally:
            for w in workers:
                w.stop()
    report(workers, n_sentences, n_chars, markdown=args.markdown)
    if args.profile:
        print(f"profile of the glossa contender: {args.profile} (its row includes the profiler's overhead)")
    return 0


def report(workers: list[bc.Worker], n_sentences: int, n_chars: int, *, markdown: bool) -> dict[str, float]:
    medians = {w.name: bc.median([r["seconds"] for r in w.runs]) for w in workers}
    baselines = [b for b in ("argostranslate", "ctranslate2") if b in medians]
    header = ("contender", "median s", "min-max s", "median CPU s", "sentences/s", "characters/s", "output pieces",
              "model calls", "peak RSS MB",
              *(f"vs {b}" for b in baselines))
    lines = [header]
    for w in workers:
        seconds = medians[w.name]
        times = [r["seconds"] for r in w.runs]
        pieces = w.runs[-1].get("output_pieces")
        calls = w.runs[-1].get("model_calls")
        cpu = bc.median([r.get("cpu_seconds", float("nan")) for r in w.runs])
        lines.append((w.name, bc.fmt(seconds, 2), f"{min(times):.2f}-{max(times):.2f}", bc.fmt(cpu, 2),
                      bc.fmt(n_sentences / seconds),
                      bc.fmt(n_chars / seconds, 0),
                      f"{pieces:,}" if pieces is not None else "-", str(calls) if calls is not None else "-",
                      bc.fmt(w.peak_rss, 0),
                      *(bc.ratio(medians[b], seconds) for b in baselines)))
    print()
    bc.print_table(lines, markdown=markdown)
    for w in workers:
        if "terms" in w.runs[-1]:
            print(f"{w.name}: {w.runs[-1]['terms']} term occurrences, {w.runs[-1]['terms_applied']} applied "
                  "(random weights: misses are expected)")
    return {name: n_sentences / s for name, s in medians.items()}


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "worker":
        sys.exit(worker_main(sys.argv[2:]))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    sys.exit(run(parser.parse_args()))
