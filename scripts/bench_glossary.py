"""Glossary cost: enforcement on vs off, and finding terms with 10, 1,000 and 10,000 concepts.

Enforcement (``--enforcement``, on by default): the same articles translated with the glossary
off and on, in one process, alternating repetitions (off, on, on, off, ...), engine cache off so
every repetition decodes, median per mode and the ratio on/off:
- the Argos-sized random-weight bench model, en->ru, on the bench articles: a random model never
  writes a rendering nor keeps a placeholder, so every term goes through every repair strategy
  (the worst case; its output means nothing);
- the demo models, en->ru and en->ko, on four times as many articles, in which known concepts were swapped for
  concepts the models never saw (``eval_enforcement.NEW_CONCEPTS``), with those concepts in the
  glossary: the realistic case, where most sentences are fine and new terms need repair.
The timed repetitions follow a first "on" call, so the enforcer has probed which concepts the
model knows (``service.glossary.probe``, kept for the process); "first call on" is one more "on"
pass after those probes were forgotten: what a fresh process pays the first time.

Each size is a real glossary directory (PO files written by ``GlossaryStore.import_concepts``
into a temp dir): the project's own concepts plus generated person names, so the articles hold
real occurrences whatever the size. Measured per size: building the Aho-Corasick matcher (once
per glossary version) and ``Matcher.find`` over every article (median of repetitions, per
article). Translation time per article, to compare against, is measured in the same run with
Glossa's pipeline on the bench model (glossary off) unless ``--no-translate``.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

from scripts import bench_common as bc

REPO = Path(__file__).resolve().parent.parent

SIZES = (10, 1_000, 10_000)
_SYLLABLES = ("ka", "lo", "mi", "ren", "sto", "vak", "dar", "bel", "tum", "sha", "pri", "gon", "zel", "fu")


def synthetic_concepts(n: int, seed: int = 5):
    """``n`` person concepts with distinct made-up names (en and ru renderings)."""
    from service.glossary.termbase import Concept, Rendering

    rng = random.Random(seed)
    seen: set[str] = set()
    out = []
    while len(out) < n:
        first = "".join(rng.choice(_SYLLABLES) for _ in range(2)).capitalize()
        last = "".join(rng.choice(_SYLLABLES) for _ in range(3)).capitalize()
        name = f"{first} {last}"
        if name in seen:
            continue
        seen.add(name)
        out.append(Concept(msgid=name, category="person",
                           renderings={"ru": Rendering(text=name, gender="m", indeclinable=True)}))
    return out


def build_glossary(directory: Path, size: int):
    """A glossary of ``size`` concepts: the project's own first, then generated ones."""
    from service.glossary.store import GlossaryStore
    from service.glossary.termbase import Termbase

    own = Termbase.load(REPO / "glossaries").concepts()[:size]
    store = GlossaryStore(directory)
    store.import_concepts(own + synthetic_concepts(size - len(own)))
    return store


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="glossary sizes (concepts)")
    parser.add_argument("--articles", type=int, default=20, help="articles of 4 paragraphs x 3 sentences")
    parser.add_argument("--reps", type=int, default=5, help="repetitions of the matching pass")
    parser.add_argument("--no-translate", action="store_true", help="skip the translation-time reference")
    parser.add_argument("--out", type=Path, default=bc.BENCH_OUT, help="where the bench model lives")
    parser.add_argument("--small-model", action="store_true", help="tiny random model (smoke runs)")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--enforcement-reps", type=int, default=3, help="repetitions per mode (on/off)")
    parser.add_argument("--no-enforcement", action="store_true", help="skip the on/off enforcement cost")
    parser.add_argument("--no-scale", action="store_true", help="skip the matching-scale table")
    parser.add_argument("--no-random", action="store_true", help="enforcement: skip the random bench model")


def translation_seconds_per_article(articles: list[str], out: Path, small: bool) -> float:
    """Glossa's pipeline, glossary off, on the bench model: seconds per article (one pass)."""
    import os

    from scripts import bench_models

    shape = bench_models.Shape.small() if small else bench_models.Shape()
    bench_models.build(out, bench_models.DEFAULT_PAIRS, shape, log=lambda *_: None)
    os.environ.update(bc.bench_env(out / "packages", Path(tempfile.mkdtemp(prefix="glossa-bench-home-"))))
    from service.config import Settings
    from service.pipeline import Pipeline, TranslationRequest

    pipeline = Pipeline(Settings.from_env())
    pipeline.translate_many([TranslationRequest(articles[0], "ru", "en", "text", False)])  # load
    started = time.perf_counter()
    pipeline.translate_many([TranslationRequest(a, "ru", "en", "text", False) for a in articles])
    return (time.perf_counter() - started) / len(articles)


def _on_off(pipeline, requests_for, reps: int) -> tuple[float, float, dict]:
    """(median seconds off, median seconds on, engine counters of one pass per mode: ``on``,
    ``off``, and ``cold``: one "on" pass after the enforcer forgot what it had probed, as a
    fresh process's first call, with its seconds)."""
    from service.glossary.probe import Probes

    times: dict[bool, list[float]] = {False: [], True: []}
    pipeline.translate_many(requests_for(True))  # load models, glossary, analyser
    pipeline.translate_many(requests_for(False))
    stats: dict = {}
    keys = ("translate_batch_calls", "model_calls", "sentences_translated", "sentences_scored")
    for rep in range(reps):
        for mode in ((False, True) if rep % 2 == 0 else (True, False)):
            before = dict(pipeline.engine.stats())
            started = time.perf_counter()
            pipeline.translate_many(requests_for(mode))
            times[mode].append(time.perf_counter() - started)
            after = pipeline.engine.stats()
            stats["on" if mode else "off"] = {k: after[k] - before[k] for k in keys}
    enforcer = pipeline.glossary_enforcer()
    enforcer.probes = Probes(pipeline.engine, on_disk=False)  # as if nothing were probed before
    before = dict(pipeline.engine.stats())
    started = time.perf_counter()
    pipeline.translate_many(requests_for(True))
    stats["cold"] = {k: pipeline.engine.stats()[k] - before[k] for k in keys}
    stats["cold"]["seconds"] = time.perf_counter() - started
    return bc.median(times[False]), bc.median(times[True]), stats


def _decodes(stats: dict) -> str:
    """"calls, sentences" decoded by one pass off / on (the engine counts distinct sentences)."""
    off, on = stats.get("off", {}), stats.get("on", {})
    return (f"{off.get('translate_batch_calls', 0)}/{on.get('translate_batch_calls', 0)} calls, "
            f"{off.get('sentences_translated', 0)}/{on.get('sentences_translated', 0)} sent.")


def _cold(stats: dict) -> str:
    """The first "on" pass of a process (probes included): seconds and sentences decoded."""
    cold = stats.get("cold", {})
    return f"{cold.get('seconds', float('nan')):.2f} s, {cold.get('sentences_translated', 0)} sent."


def new_concept_articles(n_articles: int, sentences: int = 12, seed: int = 17) -> list[str]:
    """English articles of demo sentences in which known concepts were swapped for new ones."""
    from scripts import demo_corpus
    from scripts import eval_enforcement as ev

    out, current = [], []
    concepts = list(ev.NEW_CONCEPTS)
    for index, sentence in enumerate(demo_corpus.sentence_sets(n_articles * sentences * 3, seed, heldout=True,
                                                                placeholder_rate=0.0)):
        text = sentence.source[0]
        for concept in concepts:
            hit = [i for i in sentence.entity_ids if i in concept.replaces]
            if hit and index % 2 == 0:  # about half the sentences carry a new concept
                text, _ = ev.substitute(text, "en", demo_corpus.BY_ID[hit[0]], concept)
                break
        current.append(text)
        if len(current) == sentences:
            out.append(" ".join(current))
            current = []
        if len(out) == n_articles:
            break
    return out


def _random_row(args: argparse.Namespace) -> tuple:
    """On/off on the Argos-sized random-weight bench model (every term needs repair)."""
    import os

    from scripts import bench_models
    from service.config import Settings
    from service.pipeline import Pipeline, TranslationRequest

    shape = bench_models.Shape.small() if args.small_model else bench_models.Shape()
    bench_models.build(args.out, bench_models.DEFAULT_PAIRS, shape, log=lambda *_: None)
    home = Path(tempfile.mkdtemp(prefix="glossa-bench-home-"))
    os.environ.update(bc.bench_env(args.out / "packages", home))
    articles = bc.articles(args.articles)
    settings = Settings.from_env()
    pipeline = Pipeline(settings)
    off, on, stats = _on_off(pipeline, lambda g: [TranslationRequest(a, "ru", "en", "text", g) for a in articles],
                             args.enforcement_reps)
    return ("bench (random, Argos-sized)" if not args.small_model else "bench (random, small)", "en->ru",
            len(articles), "-", bc.fmt(off, 2), bc.fmt(on, 2), f"{on / off:.2f}x",
            _decodes(stats), _cold(stats), "<= 2x")


def run_enforcement(args: argparse.Namespace) -> list[tuple]:
    import shutil

    from scripts import eval_enforcement as ev
    from service.config import Settings
    from service.models.store import ModelStore
    from service.pipeline import Pipeline, TranslationRequest

    rows = [("model", "direction", "articles", "sentences", "off s", "on s", "on/off", "decodes off/on",
             "first call on", "target")]
    if not args.no_random:
        rows.append(_random_row(args))
    with tempfile.TemporaryDirectory(prefix="glossa-bench-demo-") as tmp:
        packages, glossary = Path(tmp) / "packages", Path(tmp) / "glossary"
        demo = Settings(packages_dir=packages, glossary_dir=glossary, cache_size=0)
        store = ModelStore(demo)
        for archive in sorted((REPO / "models" / "demo").glob("*.argosmodel")):
            store.install_file(archive)
        shutil.copytree(REPO / "glossaries", glossary)
        ev.add_new_concepts(glossary)
        demo_articles = new_concept_articles(4 * args.articles)  # demo models are fast: more text, steadier timings
        pipeline = Pipeline(demo)
        for target in ("ru", "ko"):
            off, on, stats = _on_off(
                pipeline, lambda g, t=target: [TranslationRequest(a, t, "en", "text", g) for a in demo_articles],
                args.enforcement_reps)
            rows.append(("demo, new concepts", f"en->{target}", len(demo_articles),
                         sum(a.count(". ") + 1 for a in demo_articles), bc.fmt(off, 2), bc.fmt(on, 2),
                         f"{on / off:.2f}x", _decodes(stats), _cold(stats), "<= 1.25x"))
    return rows


def run(args: argparse.Namespace) -> int:
    if not args.no_enforcement:
        rows = run_enforcement(args)
        print(f"glossary enforcement, on vs off (same run, alternating, engine cache off; "
              f"{args.enforcement_reps} repetitions, medians); machine: {bc.machine()}")
        bc.print_table([tuple(str(cell) for cell in row) for row in rows], markdown=args.markdown)
        print()
    if args.no_scale:
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    articles = bc.articles(args.articles)
    per_article_translate = float("nan")
    if not args.no_translate:
        per_article_translate = translation_seconds_per_article(articles[:4], args.out, args.small_model)
    header = ("concepts", "automaton keys", "build s", "match µs/article", "matches/article",
              "share of translation")
    lines = [header]
    print(f"glossary: {len(articles)} English articles (median {sorted(map(len, articles))[len(articles) // 2]} "
          f"characters); translation (glossary off, bench model, en->ru): "
          f"{bc.fmt(per_article_translate * 1000, 0)} ms/article; machine: {bc.machine()}")
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix=f"glossa-bench-glossary-{size}-") as tmp:
            store = build_glossary(Path(tmp), size)
            from service.glossary.matcher import Matcher

            termbase = store.termbase()
            started = time.perf_counter()
            matcher = Matcher(termbase, "en")
            build_s = time.perf_counter() - started
            timings, found = [], 0
            for _ in range(args.reps):
                started = time.perf_counter()
                found = sum(len(matcher.find(a)) for a in articles)
                timings.append((time.perf_counter() - started) / len(articles))
            per_article = bc.median(timings)
            lines.append((f"{len(termbase):,}", f"{matcher.size:,}", bc.fmt(build_s, 2),
                          bc.fmt(per_article * 1e6, 0), bc.fmt(found / len(articles), 1),
                          f"{100 * per_article / per_article_translate:.3f}%"
                          if per_article_translate == per_article_translate else "n/a"))
    print()
    bc.print_table(lines, markdown=args.markdown)
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    sys.exit(run(parser.parse_args()))
