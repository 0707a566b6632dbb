#!/usr/bin/env python3
"""Rebuild service/data/english_words.txt, the common-English word list of language detection.

Source: the 10,000 most frequent English words of wordfreq 3.1 (Robyn Speer et al.; Wikipedia,
subtitles, news, books and web text; data CC BY-SA 4.0), split into letter runs the way the
detector splits text ("don't" -> "don", "t"), lowercased, deduplicated and sorted. wordfreq is
needed only here, never at run time:

    pip install --target /tmp/wf 'wordfreq>=3.1,<3.2'
    PYTHONPATH=/tmp/wf python -m scripts.build_english_words [--top 10000]
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "service" / "data" / "english_words.txt"
_WORD = re.compile(r"[^\W\d_]+")
HEADER = """\
# The {top} most frequent English words of wordfreq {version} (Robyn Speer et al., data CC BY-SA 4.0),
# split into letter runs, lowercased, sorted: service/detect.py's evidence that Latin text is English.
# Rebuilt by scripts/build_english_words.py; do not edit by hand.
"""


def build(top: int) -> str:
    import wordfreq

    words = {piece for word in wordfreq.top_n_list("en", top) for piece in _WORD.findall(word.lower())}
    version = getattr(wordfreq, "__version__", "3.1")
    return HEADER.format(top=f"{top:,}", version=version) + "\n".join(sorted(words)) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--top", type=int, default=10000, help="how many of the most frequent words")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    args.out.write_text(build(args.top), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
