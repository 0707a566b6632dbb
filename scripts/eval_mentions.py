#!/usr/bin/env python3
"""How well second mentions are recognised: recall and precision per language and split.

The labelled set is ``data/mentions/{en,ko,ru}.txt`` (format in ``data/mentions/README.md``):
short news passages with each second mention written ``[[surface|concept term]]`` and hard
negatives left unmarked (a Kim with no full mention, a Kim the glossary does not know, another
Lyubimova, "No" and "moon", the Central Committee of another party, a word that starts with a
short form). Items are split into ``tune`` (looked at while the rules were written) and
``heldout`` (written before the rules were run on them, and not used to change them).

    python -m scripts.eval_mentions [--glossary glossaries] [--errors] [--check]

Scoring: a gold mention is found when the same span is recognised as the same concept (as a
mention or, where the glossary lists the short form as a variant, as a full match). A false
positive is a recognised mention that is not gold (a person recognised by part of the name
through a plain variant counts as a mention), or a recognition of a gold span as another
concept. Other full matches are the matcher's business and not counted here.
Targets (issue 13): recall >= 0.98 and precision >= 0.99 in every language; ``--check`` exits 1
when a held-out figure misses them.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from service.config import REPO_ROOT as REPO
from service.glossary.mentions import recognise
from service.glossary.termbase import Termbase
from service.segment import split_sentences

LANGS = ("en", "ko", "ru")
RECALL_TARGET, PRECISION_TARGET = 0.98, 0.99
_GOLD = re.compile(r"\[\[([^|\]]+)\|([^\]]+)\]\]")
_HEADER = re.compile(r"^## (\S+) (tune|heldout): (.*)$")


@dataclass
class Item:
    id: str
    lang: str
    split: str
    what: str
    text: str = ""
    gold: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, concept term)


def parse(path: Path, lang: str) -> list[Item]:
    items: list[Item] = []
    raw: list[str] = []

    def close() -> None:
        if items:
            items[-1].text, items[-1].gold = _unmark(" ".join(line for line in raw if line).strip())

    for line in path.read_text(encoding="utf-8").splitlines():
        header = _HEADER.match(line)
        if header:
            close()
            raw = []
            items.append(Item(header.group(1), lang, header.group(2), header.group(3)))
        elif items and not line.startswith("#"):
            raw.append(line.strip())
    close()
    return items


def _unmark(marked: str) -> tuple[str, list[tuple[int, int, str]]]:
    text, gold, cursor = [], [], 0
    length = 0
    for m in _GOLD.finditer(marked):
        before = marked[cursor:m.start()]
        text.append(before)
        length += len(before)
        gold.append((length, length + len(m.group(1)), m.group(2)))
        text.append(m.group(1))
        length += len(m.group(1))
        cursor = m.end()
    text.append(marked[cursor:])
    return "".join(text), gold


def predictions(termbase: Termbase, item: Item) -> tuple[set[tuple[int, int, str]], set[tuple[int, int, str]]]:
    """(recognised mentions, every recognised span), as (start, end, concept term) in the item."""
    spans = split_sentences(item.text, item.lang)
    found = recognise(termbase, item.lang, [s.text for s in spans])
    mentions, every = set(), set()
    for span, matches in zip(spans, found):
        for m in matches:
            key = (span.start + m.start, span.start + m.end, m.concept.msgid)
            every.add(key)
            if m.mention or _surname_variant(m):
                mentions.add(key)
    return mentions, every


def _surname_variant(m) -> bool:
    """A person recognised by part of the name through a plain variant ("Lavrov" listed as a
    variant of Sergei Lavrov): a short form in effect, so it is scored as one."""
    rendering = m.concept.rendering(m.lang)
    return (m.concept.category == "person" and rendering is not None
            and len(m.surface.split()) < len(rendering.text.split()))


def score(termbase: Termbase, items: list[Item]) -> tuple[dict, list[str]]:
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: {"gold": 0, "tp": 0, "fp": 0, "items": 0})
    errors: list[str] = []
    for item in items:
        mentions, every = predictions(termbase, item)
        gold = set(item.gold)
        gold_spans = {(s, e) for s, e, _ in gold}
        tp = {g for g in gold if g in every}
        fp = {p for p in mentions if p not in gold}
        fp |= {p for p in every if (p[0], p[1]) in gold_spans and p not in gold}
        for bucket in ((item.lang, item.split), (item.lang, "all")):
            c = counts[bucket]
            c["gold"] += len(gold)
            c["tp"] += len(tp)
            c["fp"] += len(fp)
            c["items"] += 1
        for s, e, concept in sorted(gold - tp):
            errors.append(f"{item.id}: missed {item.text[s:e]!r} ({concept}) at {s}")
        for s, e, concept in sorted(fp):
            errors.append(f"{item.id}: false {item.text[s:e]!r} as {concept} at {s}")
    return counts, errors


def ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--glossary", type=Path, default=REPO / "glossaries")
    parser.add_argument("--data", type=Path, default=REPO / "data" / "mentions")
    parser.add_argument("--errors", action="store_true", help="list every miss and false positive")
    parser.add_argument("--check", action="store_true", help="exit 1 when a held-out figure misses its target")
    args = parser.parse_args(argv)
    termbase = Termbase.load(args.glossary)
    items = [item for lang in LANGS for item in parse(args.data / f"{lang}.txt", lang)]
    counts, errors = score(termbase, items)
    print(f"{'lang':<5}{'split':<9}{'items':>6}{'gold':>6}{'found':>7}{'false':>7}{'recall':>8}{'precision':>11}")
    failed = False
    for lang in LANGS:
        for split in ("tune", "heldout", "all"):
            c = counts.get((lang, split))
            if not c:
                continue
            recall = ratio(c["tp"], c["gold"])
            precision = ratio(c["tp"], c["tp"] + c["fp"])
            print(f"{lang:<5}{split:<9}{c['items']:>6}{c['gold']:>6}{c['tp']:>7}{c['fp']:>7}{recall:>8.3f}{precision:>11.3f}")
            if split == "heldout" and (recall < RECALL_TARGET or precision < PRECISION_TARGET):
                failed = True
    if args.errors or errors:
        print(f"\n{len(errors)} error(s)")
        for line in errors:
            print("  " + line)
    return 1 if (args.check and failed) else 0


if __name__ == "__main__":
    sys.exit(main())
