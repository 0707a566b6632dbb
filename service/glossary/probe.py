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

The answer is a pure function of the model, the concept's renderings and the matching rules, so
it is kept for the life of the process and on disk beside the Russian forms cache
(``$XDG_CACHE_HOME/glossa``, else ``~/.cache/glossa``): a fresh process (a CLI run, a batch
worker) does not probe again. Keys: the model (package key plus its weights file's size and
modification time), the concept, a digest of what the probe reads and checks (source
rendering, target rendering with its variants and forms); the file's name fingerprints this
module's and the matcher's source, so changed rules start a new file, never a stale answer. An
edited rendering is probed again, an unchanged one never. New entries are written at exit (an
atomic replace, merged with what other processes wrote); a cache that cannot be read or written
is ignored. Probes are batched: one engine call for every concept not probed yet, never one
decode per occurrence. Decoding is assumed batch-invariant, as the rest of translation is.
"""

from __future__ import annotations

import functools
import hashlib
import json
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from service.glossary import korean
from service.glossary.formcache import CacheFile, cache_root
from service.models.package import InstalledPackage

# Each concept's source rendering goes to the model in these shapes (all in the same batch);
# {} is the rendering, {topic} the rendering with the Korean topic particle agreed to it.
TEMPLATES = {
    "en": ("{}", "{} .", "{} said."),
    "ru": ("{}", "{} .", "{} заявил."),
    "ko": ("{}", "{} .", "{topic} 말했다."),
}

__all__ = ["TEMPLATES", "Probes", "cache_path"]


@functools.lru_cache(maxsize=1)
def cache_path() -> Path:
    """The probes file for the current probe and matching rules."""
    from service.glossary import matcher

    digest = hashlib.sha256()
    for module in (matcher, korean):
        digest.update(Path(module.__file__ or "").read_bytes())
    digest.update(Path(__file__).read_bytes())
    return cache_root() / f"probes-{digest.hexdigest()[:16]}.json"


_FILE = CacheFile(cache_path)


class Probes:
    """What each model was found to know, per concept. Safe to share between threads."""

    def __init__(self, engine: Any, *, on_disk: bool = True) -> None:
        """``on_disk``: read and write the probes file (off: this object's memory only)."""
        self.engine = engine
        self.on_disk = on_disk
        self._shapes: dict[str, int] = {}  # shapes in which the concept came out
        self._lock = threading.Lock()
        self.probed = self.calls = 0  # probe decodes and engine calls this object made (benchmarks, tests)

    def knows(self, glossary: Any, package: InstalledPackage, concept: Any) -> bool | None:
        """True or False once probed (``probe``), None before."""
        shapes = self._get(self._key(glossary, package, concept))
        return None if shapes is None else shapes > 0

    def strength(self, glossary: Any, package: InstalledPackage, concept: Any) -> int:
        """In how many of the probe's shapes the model wrote the concept (0 when not probed): the
        ones it writes in every shape it knows best."""
        return self._get(self._key(glossary, package, concept)) or 0

    def probe(self, glossary: Any, package: InstalledPackage, concepts: Iterable[Any]) -> None:
        """Probe every concept of ``concepts`` not probed yet on ``package``: one engine call."""
        source, target = package.from_code, package.to_code
        todo: dict[str, tuple[Any, str]] = {}
        for concept in concepts:
            key = self._key(glossary, package, concept)
            written = glossary.rendering(concept, source)
            if key not in todo and written and self._get(key) is None:
                todo[key] = (concept, written)
        if not todo:
            return
        templates = TEMPLATES.get(source, TEMPLATES["en"])
        texts = [template.format(written, topic=written + korean.reagree(written, "는"))
                 for _, written in todo.values() for template in templates]
        outputs = self.engine.translate(package, texts)
        matcher = glossary.matcher(target)
        found: dict[str, int] = {}
        for index, (key, (concept, _)) in enumerate(todo.items()):
            shown = outputs[index * len(templates):(index + 1) * len(templates)]
            found[key] = sum(any(m.concept.key == concept.key for m in matcher.find(text)) for text in shown)
        with self._lock:
            self._shapes.update(found)
            self.probed += len(texts)
            self.calls += 1
        if self.on_disk:
            _FILE.put(found)

    def _get(self, key: str) -> int | None:
        found = self._shapes.get(key)
        if found is None and self.on_disk:
            found = _FILE.get(key)
            found = found if isinstance(found, int) else None
            if found is not None:
                self._shapes[key] = found
        return found

    @staticmethod
    def _key(glossary: Any, package: InstalledPackage, concept: Any) -> str:
        """The model, the concept and a digest of what the probe reads and checks: a changed
        model, rendering, variant or form is a new question. Remembered by the call's glossary
        memo when it has one."""
        memo = getattr(glossary, "_memo", None)
        memo_key = ("probe", package.key, type(concept).__name__, concept.key)
        if memo is not None and memo_key in memo:
            return memo[memo_key]
        rendering = concept.rendering(package.to_code)
        what = [glossary.rendering(concept, package.from_code), repr(rendering),
                glossary.forms(concept, package.to_code)]
        digest = hashlib.sha1(json.dumps(what, ensure_ascii=False).encode("utf-8")).hexdigest()
        key = json.dumps([_model(package), list(concept.key), digest], ensure_ascii=False)
        if memo is not None:
            memo[memo_key] = key
        return key


@functools.lru_cache(maxsize=64)
def _model_stat(path: str) -> str:
    try:
        stat = Path(path).stat()
        return f"{stat.st_size}:{stat.st_mtime_ns}"
    except OSError:
        return "?"


def _model(package: InstalledPackage) -> str:
    """The model's identity: its package key and its weights file's size and time (a package
    replaced in place under the same version is a new model)."""
    return f"{package.key}#{_model_stat(str(package.model_dir / 'model.bin'))}"
