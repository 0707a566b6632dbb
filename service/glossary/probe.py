"""Whether a model writes a glossary concept unaided: a probe decode, remembered across calls.

The enforcer needs to know, before it decodes a sentence, which of its terms the model does not
know: those sentences are translated with stand-ins from the first decode (see ``enforce``),
and only concepts the model knows may stand in. Learning this from the sentences of earlier
calls would make a text's translation depend on what was translated before it (a batch run on a
cluster must give the same bytes as a local run). A probe answers the same question from the
concept alone: the source rendering translated on its own, in a few fixed shapes (bare, as a
one-word sentence, and in "X said.": models translate one shape or another better, a Korean
name with no particle worst); the concept is known when the target matcher finds it (any
spelling: the rendering or a variant the glossary knows, which ``respell`` fixes without a
decode) in any of the outputs.

The answer is a pure function of the model and the concept's renderings and forms, so it is
kept for the life of the process, keyed by (package, concept, a digest of the source rendering
and the target forms): an edited rendering is probed again, an unchanged one never. Probes are
batched: one engine call for every concept not probed yet, never one decode per occurrence.
Decoding is assumed batch-invariant, as the rest of translation already is.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterable
from typing import Any

from service.glossary import korean
from service.models.package import InstalledPackage

# Each concept's source rendering goes to the model in these shapes (all in the same batch);
# {} is the rendering, {topic} the rendering with the Korean topic particle agreed to it.
TEMPLATES = {
    "en": ("{}", "{} .", "{} said."),
    "ru": ("{}", "{} .", "{} заявил."),
    "ko": ("{}", "{} .", "{topic} 말했다."),
}

__all__ = ["TEMPLATES", "Probes"]


class Probes:
    """What each model was found to know, per concept. Safe to share between threads."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self._shapes: dict[tuple[str, Any, str], int] = {}  # shapes in which the concept came out
        self._lock = threading.Lock()

    def knows(self, glossary: Any, package: InstalledPackage, concept: Any) -> bool | None:
        """True or False once probed (``probe``), None before."""
        shapes = self._shapes.get(self._key(glossary, package, concept))
        return None if shapes is None else shapes > 0

    def strength(self, glossary: Any, package: InstalledPackage, concept: Any) -> int:
        """In how many of the probe's shapes the model wrote the concept (0 when not probed): the
        ones it writes in every shape it knows best."""
        return self._shapes.get(self._key(glossary, package, concept), 0)

    def probe(self, glossary: Any, package: InstalledPackage, concepts: Iterable[Any]) -> None:
        """Probe every concept of ``concepts`` not probed yet on ``package``: one engine call."""
        source, target = package.from_code, package.to_code
        todo: dict[tuple[str, Any, str], tuple[Any, str]] = {}
        for concept in concepts:
            key = self._key(glossary, package, concept)
            written = glossary.rendering(concept, source)
            if key not in self._shapes and key not in todo and written:
                todo[key] = (concept, written)
        if not todo:
            return
        templates = TEMPLATES.get(source, TEMPLATES["en"])
        texts = [template.format(written, topic=written + korean.reagree(written, "는"))
                 for _, written in todo.values() for template in templates]
        outputs = self.engine.translate(package, texts)
        matcher = glossary.matcher(target)
        found: dict[tuple[str, Any, str], int] = {}
        for index, (key, (concept, _)) in enumerate(todo.items()):
            shown = outputs[index * len(templates):(index + 1) * len(templates)]
            found[key] = sum(any(m.concept.key == concept.key for m in matcher.find(text)) for text in shown)
        with self._lock:
            self._shapes.update(found)

    @staticmethod
    def _key(glossary: Any, package: InstalledPackage, concept: Any) -> tuple[str, Any, str]:
        """(package, concept, digest of what the probe reads and checks): a changed rendering or
        form is a new question. Remembered by the call's glossary memo when it has one."""
        memo = getattr(glossary, "_memo", None)
        memo_key = ("probe", package.key, type(concept).__name__, concept.key)
        if memo is not None and memo_key in memo:
            return memo[memo_key]
        what = [glossary.rendering(concept, package.from_code), glossary.forms(concept, package.to_code)]
        digest = hashlib.sha1(json.dumps(what, ensure_ascii=False).encode("utf-8")).hexdigest()
        key = (package.key, concept.key, digest)
        if memo is not None:
            memo[memo_key] = key
        return key
