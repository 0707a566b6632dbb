#!/usr/bin/env python3
"""Build the labelled language-identification evaluation set in data/langid/.

Sources, all text that people wrote (see data/langid/SOURCES.md for licences):
  * data/langid/handwritten.tsv: news-style headlines, sentences and paragraphs written for Glossa;
  * spaCy's per-language example sentences (spacy/lang/*/examples.py, MIT), when spaCy is installed;
  * translated message catalogs of Debian packages (/usr/share/locale/*/LC_MESSAGES/*.mo):
    msgstr in each language, msgid for English;
  * translated manual pages (/usr/share/man/<lang>/, Debian manpages-l10n and others), and the
    English originals in /usr/share/man/man*.

Each text gets a length class: headline (short, no sentence end inside), sentence (one
sentence) or multi (two or more sentences). Sampling is seeded, so rebuilding on the same
machine gives the same file. Output: data/langid/eval.tsv with columns
language, length, source, text (tabs and newlines inside text are written as spaces).

    python -m scripts.build_langid_eval [--out data/langid/eval.tsv]
"""

from __future__ import annotations

import argparse
import ast
import gettext
import importlib.util
import os
import random
import re
import subprocess
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

from service.languages import SUPPORTED_LANGUAGES

REPO = Path(__file__).resolve().parent.parent
DATA_DIR = REPO / "data" / "langid"
SEED = 20261
SUPPORTED = SUPPORTED_LANGUAGES
# Per language and length class, from each machine source (catalogs, manual pages).
CAP_SUPPORTED = 70
CAP_UNSUPPORTED = 10
MAN_PAGES_PER_LANGUAGE = 40

_SENTENCE_END = re.compile(r"[.!?。！？](?=\s|$)|[。！？]")
_CODE_LIKE = re.compile(r"[%{}\\<>=_@`|#$*\[\]]|--|\w/\w|\.\w+\(|https?:|\bfI|\bfB")
_LETTER = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"[^\W\d_]+")


def length_class(text: str) -> str | None:
    ends = len(_SENTENCE_END.findall(text.strip()))
    n = len(text)
    cjk = sum(1 for ch in text if ord(ch) >= 0x2E80)
    # CJK text packs a word into one or two characters: compare lengths in Latin-equivalents.
    size = n + 2 * cjk
    if ends == 0 and 12 <= size <= 90:
        return "headline"
    if ends == 1 and 30 <= size <= 300 and _SENTENCE_END.search(text.strip()[-1]):
        return "sentence"
    if ends >= 2 and 120 <= size <= 1500:
        return "multi"
    return None


def prose_like(text: str) -> bool:
    """Keep text that reads as prose: no format strings, markup or command syntax."""
    if _CODE_LIKE.search(text) or "\t" in text:
        return False
    visible = [ch for ch in text if not ch.isspace()]
    if len(visible) < 8:
        return False
    letters = len(_LETTER.findall(text))
    if letters / len(visible) < 0.8:
        return False
    words = text.split()
    capital_words = sum(1 for w in words if len(w) > 1 and w.isupper())
    return capital_words <= max(1, len(words) // 5)


def clean(text: str) -> str:
    return " ".join(text.replace("\u00ad", "").split())


def locale_language(dirname: str) -> str | None:
    """/usr/share/locale directory name -> ISO 639-1 label, or None to skip the variant."""
    if "@" in dirname:
        return None  # sr@latin, be@latin, en@quot: another script or not a language
    base, _, region = dirname.partition("_")
    if base == "en":
        return None  # English comes from msgids instead
    if len(base) != 2:
        return None  # ISO 639-1 labels only
    if base == "pt" or base == "zh" or not region:
        return base
    return base if region else None


# --- sources -------------------------------------------------------------------------------


def handwritten() -> list[tuple[str, str, str, str]]:
    rows = []
    path = DATA_DIR / "handwritten.tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        language, length, text = line.split("\t", 2)
        rows.append((language, length, "handwritten", clean(text)))
    return rows


def spacy_examples() -> list[tuple[str, str, str, str]]:
    spec = importlib.util.find_spec("spacy")
    if spec is None or not spec.submodule_search_locations:
        print("spaCy not installed: skipping its example sentences", file=sys.stderr)
        return []
    root = Path(list(spec.submodule_search_locations)[0]) / "lang"
    rows = []
    for path in sorted(root.glob("*/examples.py")):
        language = path.parent.name
        if len(language) != 2 or language == "xx":
            continue
        # Read the list literal without importing spaCy (slow, and it may need models).
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "sentences" for t in node.targets
            ):
                try:
                    sentences = ast.literal_eval(node.value)
                except ValueError:
                    continue
                for text in sentences:
                    text = clean(text)
                    cls = length_class(text)
                    if cls:
                        rows.append((language, cls, "spacy-examples", text))
    return rows


def catalog_messages(locale_root: Path) -> dict[str, list[tuple[str, str]]]:
    """language -> [(msgid, msgstr)] from every non-ISO-code catalog."""
    by_language: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for lang_dir in sorted(locale_root.iterdir()):
        language = locale_language(lang_dir.name)
        messages = lang_dir / "LC_MESSAGES"
        if language is None or not messages.is_dir():
            continue
        for mo in sorted(messages.glob("*.mo")):
            if mo.name.startswith("iso_"):
                continue  # lists of names, not prose
            try:
                with mo.open("rb") as fh:
                    catalog = gettext.GNUTranslations(fh)
            except Exception:  # noqa: BLE001 (a malformed catalog must not stop the build)
                continue
            for msgid, msgstr in catalog._catalog.items():  # noqa: SLF001 (no public iterator)
                if isinstance(msgid, tuple) or not msgid or not isinstance(msgstr, str):
                    continue
                by_language[language].append((msgid, msgstr))
    return by_language


def catalog_rows(locale_root: Path) -> list[tuple[str, str, str, str]]:
    rows = []
    english: set[str] = set()
    for language, pairs in catalog_messages(locale_root).items():
        for msgid, msgstr in pairs:
            if "\n\n" in msgstr or msgid == msgstr:
                continue
            text = clean(msgstr)
            if prose_like(text):
                cls = length_class(text)
                if cls:
                    rows.append((language, cls, "debian-mo", text))
            if language in ("ru", "ko", "de"):
                english.add(clean(msgid))
    for text in sorted(english):
        if prose_like(text):
            cls = length_class(text)
            if cls:
                rows.append(("en", cls, "debian-mo", text))
    return rows


def render_man(path: Path) -> str:
    env = dict(os.environ, LANG="C.UTF-8", LC_ALL="C.UTF-8", MANWIDTH="3000", MAN_KEEP_FORMATTING="")
    try:
        out = subprocess.run(["man", "-l", str(path)], capture_output=True, env=env, timeout=20, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return out.stdout.decode("utf-8", "replace")


def man_rows(man_root: Path, rng: random.Random) -> list[tuple[str, str, str, str]]:
    rows = []
    sections = ("man1", "man5", "man7", "man8")
    dirs: dict[str, list[Path]] = defaultdict(list)
    for lang_dir in sorted(man_root.iterdir()):
        if lang_dir.name.startswith("man"):
            continue
        language = "zh" if lang_dir.name.startswith("zh") else locale_language(lang_dir.name)
        if language:
            dirs[language].append(lang_dir)
    dirs["en"] = [man_root]
    for language, roots in sorted(dirs.items()):
        pages = sorted(p for root in roots for s in sections for p in (root / s).glob("*.gz"))
        rng.shuffle(pages)
        for page in pages[:MAN_PAGES_PER_LANGUAGE]:
            for line in render_man(page).splitlines():
                # Body paragraphs are indented; headings and option lines are not prose.
                if not line.startswith("       ") or line.lstrip().startswith(("-", "+", "•")):
                    continue
                text = clean(line.replace("\u2010", "-"))
                if not prose_like(text):
                    continue
                cls = length_class(text)
                if cls:
                    rows.append((language, cls, f"man:{page.name.split('.')[0]}", text))
    return rows


# --- assembly ------------------------------------------------------------------------------


def _script_of(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return name.split(" ", 1)[0] if name else "OTHER"


def drop_mislabelled(rows: list[tuple[str, str, str, str]], english_words: set[str]) -> list[tuple[str, str, str, str]]:
    """Drop text a catalog or manual page left untranslated, without asking any detector.

    A row stays only if most of its letters are in its language's main script (the script most
    of that language's rows use), and, for Latin-script languages other than English, if it is
    not made of English words alone (words seen in English msgids and manual pages).
    """
    main_script: dict[str, str] = {}
    per_language: dict[str, Counter[str]] = defaultdict(Counter)
    for language, _length, _source, text in rows:
        per_language[language].update(_script_of(ch) for ch in _LETTER.findall(text))
    for language, counts in per_language.items():
        main_script[language] = counts.most_common(1)[0][0]
    kept = []
    for row in rows:
        language, length, source, text = row
        if "\ufffd" in text:
            continue  # a broken catalog
        letters = _LETTER.findall(text)
        script = main_script[language]
        in_script = sum(1 for ch in letters if _script_of(ch) == script
                        or (script in ("CJK", "HIRAGANA", "KATAKANA", "HANGUL")
                            and _script_of(ch) in ("CJK", "HIRAGANA", "KATAKANA", "HANGUL")))
        if not letters or in_script / len(letters) < 0.6:
            continue
        if len(text.split()) < 3 and length == "headline" and script == "LATIN":
            continue  # a bare identifier ("module-store") is no headline
        if source not in ("handwritten", "spacy-examples") and language != "en" and script == "LATIN":
            words = [w.lower() for w in _WORD.findall(text)]
            if words and sum(w in english_words for w in words) / len(words) >= 0.8:
                continue
        kept.append(row)
    return kept


def sample(rows: list[tuple[str, str, str, str]], rng: random.Random) -> list[tuple[str, str, str, str]]:
    """Cap each (language, length, source kind); keep all handwritten and spaCy rows."""
    groups: dict[tuple[str, str, str], list[tuple[str, str, str, str]]] = defaultdict(list)
    for row in rows:
        kind = row[2].split(":", 1)[0]
        groups[(row[0], row[1], kind)].append(row)
    out = []
    for (language, _length, kind), members in sorted(groups.items()):
        members = sorted(set(members))
        if kind in ("handwritten", "spacy-examples"):
            out.extend(members)
            continue
        rng.shuffle(members)
        cap = CAP_SUPPORTED if language in SUPPORTED else CAP_UNSUPPORTED
        out.extend(members[:cap])
    return sorted(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DATA_DIR / "eval.tsv")
    parser.add_argument("--locale-root", type=Path, default=Path("/usr/share/locale"))
    parser.add_argument("--man-root", type=Path, default=Path("/usr/share/man"))
    args = parser.parse_args(argv)
    rng = random.Random(SEED)
    rows = handwritten() + spacy_examples()
    if args.locale_root.is_dir():
        rows += catalog_rows(args.locale_root)
    if args.man_root.is_dir():
        rows += man_rows(args.man_root, rng)
    english_words = {w.lower() for row in rows if row[0] == "en" for w in _WORD.findall(row[3])}
    rows = sample(drop_mislabelled(rows, english_words), rng)
    seen: set[str] = set()
    lines = ["language\tlength\tsource\ttext"]
    for language, length, source, text in rows:
        if text in seen:
            continue
        seen.add(text)
        lines.append(f"{language}\t{length}\t{source}\t{text}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    languages = {row[0] for row in rows}
    print(f"wrote {len(lines) - 1} texts in {len(languages)} languages to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
