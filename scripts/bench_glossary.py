"""Glossary scale: the cost of finding terms in an article with 10, 1,000 and 10,000 concepts.

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


def translation_seconds_per_article(articles: list[str], out: Path, small: bool) -> float:
    """Glossa's pipeline, glossary off, on the bench model: seconds per article (one pass)."""
    import os

    import bench_models

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


def run(args: argparse.Namespace) -> int:
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
