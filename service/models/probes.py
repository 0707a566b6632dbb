"""What `glossa models verify` translates, and how it decides that the output is right.

A model that loads and prints *something* is not verified: a wrong package (a reversed pair, a
random-weight build, a corrupt download that still decodes) prints confident nonsense. So:

* Demo packages know the probe sentence (it is in their synthetic corpus): through a route made
  only of demo packages the output must be the probe's exact translation.
* Official packages are checked for what any real translation into the target shows: a non-empty
  output, different from the input, written in the target language's script (the language
  registry's ``scripts``) for most of its letters.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from service.languages import LANGUAGES
from service.models.package import InstalledPackage

__all__ = ["PROBES", "check_probe", "probe_for"]

# The same sentence in each language; the demo models translate it exactly in all six directions.
PROBES = {
    "en": "Sergei Lavrov arrived in Pyongyang.",
    "ko": "세르게이 라브로프는 평양에 도착했다.",
    "ru": "Сергей Лавров прибыл в Пхеньян.",
}
# Share of the output's letters that must be in the target language's script.
MIN_SCRIPT_SHARE = 0.6


def probe_for(source: str) -> str:
    return PROBES.get(source, PROBES["en"])


def check_probe(packages: Sequence[InstalledPackage], output: str) -> str | None:
    """None when ``output`` is a right translation of the route's probe, else what is wrong."""
    source, target = packages[0].from_code, packages[-1].to_code
    if not output.strip():
        return "empty output"
    if all(p.demo for p in packages) and target in PROBES:
        expected = PROBES[target]
        return None if output.strip() == expected else f"expected {expected!r}"
    if output.strip() == probe_for(source).strip():
        return "the output is the input, untranslated"
    language = LANGUAGES.get(target)
    if language is None:
        return None  # a pair outside the registry: nothing more to check against
    letters = [ch for ch in output if ch.isalpha()]
    if not letters:
        return "no letters in the output"
    share = sum(_script(ch) in language.scripts for ch in letters) / len(letters)
    if share < MIN_SCRIPT_SHARE:
        return f"only {share:.0%} of the output's letters are in {language.name} script"
    return None


def _script(ch: str) -> str:
    """The Unicode script of a letter as the first word of its name (HANGUL, CYRILLIC, LATIN)."""
    try:
        return unicodedata.name(ch).split(" ", 1)[0]
    except ValueError:
        return ""
