#!/usr/bin/env python3
"""How well glossary enforcement works, measured on the demo models.

For each case below, a rendering is changed in a temporary copy of the glossary (as a
terminologist would), held-out demo sentences that contain the concept are translated before and
after, and each sentence the model translated exactly *before* the change is checked *after* it
against the reference rewritten by hand-written rules (the new rendering in the same Russian case,
the Korean particle re-agreed, the English spelling swapped). Reported per case: sentences,
exact after the change, term occurrences applied / missed, and which strategies did the work.

    .venv/bin/python -m scripts.eval_enforcement [--sentences 40]

The demo models know only their synthetic vocabulary, so this measures the enforcement
machinery (placeholders, alignment, case choice, particles, pivot), not translation quality.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

LANG_INDEX = {"en": 0, "ko": 1, "ru": 2}
LYUBIMTSEVA = {"Ольга Любимова": "Ольга Любимцева", "Ольги Любимовой": "Ольги Любимцевой",
               "Ольге Любимовой": "Ольге Любимцевой", "Ольгу Любимову": "Ольгу Любимцеву",
               "Ольгой Любимовой": "Ольгой Любимцевой"}


def replace_all(mapping: dict[str, str]) -> Callable[[str], str]:
    def rewrite(text: str) -> str:
        pattern = re.compile("|".join(re.escape(k) for k in sorted(mapping, key=len, reverse=True)))
        return pattern.sub(lambda m: mapping[m.group(0)], text)
    return rewrite


def korean_respelling(old: str, new: str) -> Callable[[str], str]:
    from service.glossary import korean

    def rewrite(text: str) -> str:
        out, cursor = [], 0
        for match in re.finditer(re.escape(old), text):
            chain = korean.particle_after(text, match.end()) or ""
            out += [text[cursor:match.start()], new, korean.reagree(new, chain)]
            cursor = match.end() + len(chain)
        return "".join(out) + text[cursor:]
    return rewrite


@dataclass(frozen=True)
class Case:
    name: str
    source: str
    target: str
    update: list[str]  # `glossa glossary update` arguments
    needle: str  # selects sentences (in the target reference)
    rewrite: Callable[[str], str]


def cases() -> list[Case]:
    kim_ru = replace_all({"Ким Чен Ын": "Ким Чон Ын"})
    return [
        Case("ru person, every case (en->ru)", "en", "ru", ["Olga Lyubimova", "--ru", "Ольга Любимцева"],
             "Любимов", replace_all(LYUBIMTSEVA)),
        Case("ru person through the pivot (ko->ru)", "ko", "ru", ["Kim Jong-un", "--ru", "Ким Чон Ын"],
             "Ким Чен Ын", kim_ru),
        Case("ru organisation, phrase (en->ru)", "en", "ru",
             ["Ministry of Culture", "--ru", "Министерство культуры России"], "Министерств",
             lambda t: re.sub(r"(Министерств\w*) культуры", r"\1 культуры России", t)),
        Case("ko person, particles flip (en->ko)", "en", "ko", ["Kim Jong-un", "--ko", "김정우"],
             "김정은", korean_respelling("김정은", "김정우")),
        Case("ko place, particles flip (ru->ko, pivot)", "ru", "ko", ["Pyongyang", "--ko", "평양시"],
             "평양", korean_respelling("평양", "평양시")),
        Case("en person (ru->en)", "ru", "en", ["Kim Jong-un", "--en", "Kim Jong Un"],
             "Kim Jong-un", replace_all({"Kim Jong-un": "Kim Jong Un"})),
        Case("en person through Korean (ko->en)", "ko", "en", ["Olga Lyubimova", "--en", "Olga Lubimova"],
             "Olga Lyubimova", replace_all({"Olga Lyubimova": "Olga Lubimova"})),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=40, help="held-out sentences per case (default 40)")
    args = parser.parse_args()

    import subprocess

    from scripts import demo_corpus
    from service.config import Settings
    from service.models.store import ModelStore
    from service.pipeline import Pipeline, TranslationRequest

    corpus = demo_corpus
    work = Path(tempfile.mkdtemp(prefix="glossa-eval-"))
    try:
        settings = Settings(packages_dir=work / "packages")
        store = ModelStore(settings)
        for archive in sorted((REPO / "models" / "demo").glob("*.argosmodel")):
            store.install_file(archive)
        pool = corpus.triples(6000, 23, heldout=True, placeholder_rate=0.0)
        print(f"{'case':44} {'sent.':>5} {'exact':>7} {'applied':>8} {'missed':>6}  strategies")
        totals = Counter()
        for number, case in enumerate(cases()):
            glossary_dir = work / f"glossary-{number}"
            shutil.copytree(REPO / "glossaries", glossary_dir)
            pipeline = Pipeline(replace(settings, glossary_dir=glossary_dir))
            chosen = [t for t in pool if case.needle in t[LANG_INDEX[case.target]]][:args.sentences]
            requests = [TranslationRequest(t[LANG_INDEX[case.source]], case.target, case.source) for t in chosen]
            before = pipeline.translate_many(requests)
            subprocess.run([sys.executable, "-m", "service", "glossary", "--dir", str(glossary_dir), "update",
                            *case.update], check=True, capture_output=True)
            after = pipeline.translate_many(requests)
            concept = case.update[0]
            compared = exact = applied = missed = 0
            strategies: Counter = Counter()
            for triple, old, new in zip(chosen, before, after):
                reference = triple[LANG_INDEX[case.target]]
                if old.translation != reference:
                    continue  # the model's own slip, not enforcement's
                compared += 1
                exact += new.translation == case.rewrite(reference)
                for term in new.terms:
                    if term.concept == concept:
                        applied += term.status == "applied"
                        missed += term.status == "missed"
                        strategies.update(term.strategy.split("+") if term.strategy else ["-"])
            totals.update(compared=compared, exact=exact, applied=applied, missed=missed)
            shown = ", ".join(f"{k} {v}" for k, v in strategies.most_common())
            print(f"{case.name:44} {compared:5} {exact:4}/{compared:<3} {applied:8} {missed:6}  {shown}")
        print(f"{'all':44} {totals['compared']:5} {totals['exact']:4}/{totals['compared']:<3} "
              f"{totals['applied']:8} {totals['missed']:6}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
