#!/usr/bin/env python3
"""Software placeholders in plain text and LibreTranslate alternatives, measured on the demo models.

Placeholders: held-out demo sentences with placeholders, each written as a software placeholder
(Weblate's ``[X12X]``, ``%s``, ``{name}``, ...), translated (1) by Glossa's text format, which
protects them, and (2) by the engine on the raw sentence, as a translator that does not protect
them would. Reported per direction: placeholders kept exactly once and where the model put them
(not moved by the fallback), and kept by the unprotected baseline.

Alternatives: the same articles translated with 0 and with 3 alternatives asked for (cache off,
alternating, median of repetitions): how many came back, and the extra time.

    .venv/bin/python -m scripts.eval_text_placeholders [--sentences 100] [--reps 3]

The demo models know only their synthetic vocabulary: this measures the machinery, not quality.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from scripts import demo_corpus
from service.config import Settings
from service.models.store import ModelStore
from service.pipeline import Pipeline, TranslationRequest

REPO = Path(__file__).resolve().parent.parent
FORMS = ["[X12X]", "%s", "{name}", "%(count)d", "{0}", "[X3X]", "%1$s", "{{user}}"]
MARK = re.compile(r"⟦(\d+)⟧")
DIRECTIONS = (("en", "ru"), ("ru", "en"), ("en", "ko"), ("ko", "en"))


def pipeline(packages: Path) -> Pipeline:
    return Pipeline(Settings(packages_dir=packages, glossary_dir=REPO / "glossaries", cache_size=0))


def placeholders(library: Pipeline, n: int) -> None:
    print(f"{'direction':<10}{'sentences':>10}{'placeholders':>14}{'kept in place':>15}{'moved':>7}"
          f"{'unprotected kept':>18}")
    for source, target in DIRECTIONS:
        sentences = kept = moved = baseline = total = 0
        package = library.route(source, target)[0]
        for index, (text, _) in enumerate(demo_corpus.heldout(source, target, n=n, placeholder_rate=1.0)):
            marks = MARK.findall(text)
            if not marks:
                continue
            by_mark = {m: FORMS[(int(m) + index) % len(FORMS)] for m in marks}
            forms = list(by_mark.values())
            written = MARK.sub(lambda m, by_mark=by_mark: by_mark[m.group(1)], text)
            result = library.translate(written, source=source, target=target, glossary=False)
            raw = library.engine.translate(package, [written])[0]
            was_moved = any("was moved" in w for w in result.warnings)
            sentences += 1
            total += len(forms)
            kept += 0 if was_moved else sum(result.translation.count(f) == 1 for f in forms)
            moved += len(forms) if was_moved else 0
            baseline += sum(raw.count(f) == 1 for f in forms)
        print(f"{source}->{target:<6}{sentences:>10}{total:>14}{kept:>15}{moved:>7}{baseline:>18}")


def alternatives(library: Pipeline, n: int, reps: int) -> None:
    print(f"\n{'direction':<10}{'texts':>6}{'alternatives':>14}{'s (0 asked)':>13}{'s (3 asked)':>13}{'ratio':>7}")
    for source, target in (*DIRECTIONS, ("ko", "ru")):
        texts = [s for s, _ in demo_corpus.heldout(source, "en" if source == "ko" else target, n=n)]
        articles = [" ".join(texts[i:i + 3]) for i in range(0, len(texts), 3)]
        timings: dict[int, list[float]] = {0: [], 3: []}
        found = 0
        for _ in range(reps):
            for count in (0, 3):
                started = time.perf_counter()
                results = library.translate_many([TranslationRequest(a, target, source, alternatives=count)
                                                  for a in articles])
                timings[count].append(time.perf_counter() - started)
                if count:
                    found = sum(len(r.alternatives) for r in results)
        plain, asked = statistics.median(timings[0]), statistics.median(timings[3])
        print(f"{source}->{target:<6}{len(articles):>6}{found:>14}{plain:>13.2f}{asked:>13.2f}{asked / plain:>7.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=100)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        packages = Path(tmp) / "packages"
        store = ModelStore(Settings(packages_dir=packages))
        for archive in sorted((REPO / "models" / "demo").glob("*.argosmodel")):
            store.install_file(archive)
        library = Pipeline(replace(pipeline(packages).settings, intra_threads=1))
        placeholders(library, args.sentences)
        alternatives(library, args.sentences, args.reps)
    return 0


if __name__ == "__main__":
    sys.exit(main())
