"""DeepL glossaries (API v2 and v3) as named Glossa glossaries: no second store.

A DeepL glossary is a named glossary whose name is its ``glossary_id`` (a uuid4), with a small
sidecar ``deepl.json`` in its folder for what DeepL has and Glossa does not: the glossary's
display name, its creation time and its dictionaries (language pairs). Its entries are ordinary
concepts keyed by their English term, so a translation with ``glossary_id`` enforces them with
the full machinery (Russian case, number and gender; Korean particles), and ``/v1/glossaries/<id>``
and ``glossa glossary --name <id>`` see and refine the same concepts (category, gender, forms).

How entries map onto concepts (DeepL's dictionaries are one-directional; concepts are not):

* ``EN→X`` entry ``source\\ttarget``: the concept whose term is ``source`` gets the X rendering
  ``target``. ``X→EN`` entry: the concept ``target`` gets the X rendering ``source`` (further X
  terms for the same English one become variants: all of them are recognised).
* So the EN→RU and RU→EN dictionaries of one glossary share its concepts, and a dictionary's
  entries are every concept with both languages (listed from the concepts, never stored twice).
* ``KO↔RU`` has no English term to key a concept by: such a dictionary is refused (400) with the
  way that works: EN→KO and EN→RU dictionaries with the same English terms in one glossary. A
  KO→RU translation with that glossary goes through English (pivot) and enforces both renderings.
* A new concept's category (which decides how a Russian rendering declines) is the house
  glossary's category for the same English term, else ``person`` for a Russian rendering shaped
  like a Korean name (Ким Чен Ын), else ``term``; ``/v1`` edits change it.

Entries are checked as DeepL checks them (a tab or comma between exactly two terms, no empty or
space-padded term, no duplicate source in a dictionary, at least one entry) and then as every
glossary write is (control characters, stopword-only terms, read-back); nothing is written unless
all of it passes. Knows nothing of HTTP: errors are ``service.errors`` exceptions.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import uuid
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from service.errors import ConceptNotFoundError, GlossaryNotFoundError, GlossaryValidationError, InputError
from service.fileio import atomic_write_text
from service.glossary.service import Glossaries, GlossaryService
from service.glossary.termbase import Concept, Rendering, Termbase
from service.glossary.validate import check_field

SIDECAR = "deepl.json"
ENTRY_FORMATS = ("tsv", "csv")
LANGUAGES = ("en", "ko", "ru")
# What one dictionary may hold: the pairs with English on one side.
PAIRS: tuple[tuple[str, str], ...] = (("en", "ko"), ("en", "ru"), ("ko", "en"), ("ru", "en"))
MAX_ENTRIES = 50_000
MAX_NAME_CHARS = 1000

__all__ = ["DeepLGlossaries", "DeepLGlossary", "ENTRY_FORMATS", "PAIRS", "parse_entries"]

Pair = tuple[str, str]


def _now() -> str:
    # DeepL's shape (the ``deepl`` client parses it with ``%Y-%m-%dT%H:%M:%S.%f%z``).
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def language(value: Any, field: str) -> str:
    """A DeepL language code (EN, en, EN-GB, ...) -> Glossa's; glossaries ignore regional variants."""
    code = str(value or "").strip().lower().split("-")[0]
    if not code:
        raise InputError(f"Parameter '{field}' not specified.")
    if code not in LANGUAGES:
        raise InputError(f"Value for '{field}' not supported: {value!r}",
                         hint=f"glossary languages: {', '.join(c.upper() for c in LANGUAGES)}")
    return code


def check_pair(source: str, target: str) -> Pair:
    if source == target:
        raise InputError(f"source_lang and target_lang of a glossary dictionary are both {source.upper()}")
    if (source, target) not in PAIRS:
        raise InputError(
            f"Glossa cannot store a {source.upper()}→{target.upper()} glossary dictionary: it keys every "
            "entry by its English term",
            hint=f"use EN→{source.upper()} and EN→{target.upper()} dictionaries with the same English terms "
                 f"in one glossary; translating {source.upper()}→{target.upper()} with it goes through "
                 "English and enforces both")
    return source, target


# --- entries ------------------------------------------------------------------------------------


def parse_entries(text: Any, fmt: Any, pair: Pair) -> list[Pair]:
    """DeepL's entries (``tsv``: ``source<TAB>target`` lines; ``csv``: ``source,target`` rows,
    optionally with ``,source_lang,target_lang``) as (source, target) terms, checked as DeepL does."""
    fmt = str(fmt or "tsv").strip().lower()
    if fmt not in ENTRY_FORMATS:
        raise InputError(f"Value for 'entries_format' not supported: {fmt!r}", hint="tsv or csv")
    if not isinstance(text, str):
        raise InputError("Parameter 'entries' must be a string of tsv or csv entries.")
    if fmt == "tsv":
        rows = [(n, line.rstrip("\r").split("\t")) for n, line in enumerate(text.split("\n"), 1)
                if line.rstrip("\r").strip()]
    else:
        try:
            rows = [(n, row) for n, row in enumerate(csv.reader(io.StringIO(text), strict=True), 1) if any(c.strip() for c in row)]
        except csv.Error as exc:
            raise InputError(f"Invalid glossary entries: the CSV cannot be read ({exc})") from None
    if not rows:
        raise InputError("Invalid glossary entries: there are none", hint="at least one source<TAB>target line")
    if len(rows) > MAX_ENTRIES:
        raise InputError(f"Invalid glossary entries: {len(rows):,} entries; the limit is {MAX_ENTRIES:,}")
    entries: list[Pair] = []
    seen: dict[str, int] = {}
    for number, cells in rows:
        where = f"entry {number}"
        if fmt == "csv" and len(cells) == 4:
            langs = (language(cells[2], f"{where} source language"), language(cells[3], f"{where} target language"))
            if langs != pair:
                raise InputError(f"Invalid glossary entries: {where} is {langs[0].upper()}→{langs[1].upper()}, "
                                 f"the dictionary {pair[0].upper()}→{pair[1].upper()}")
            cells = cells[:2]
        if len(cells) != 2:
            sep = "a tab" if fmt == "tsv" else "a comma"
            raise InputError(f"Invalid glossary entries: {where} has {len(cells)} field{'s' * (len(cells) != 1)}; "
                             f"an entry is a source and a target term separated by {sep}")
        source, target = cells
        for term, side in ((source, "source"), (target, "target")):
            if not term.strip():
                raise InputError(f"Invalid glossary entries: {where} has an empty {side} term")
            if term != term.strip():
                raise InputError(f"Invalid glossary entries: the {side} term of {where} has leading or "
                                 f"trailing whitespace: {term!r}")
            try:
                check_field(term, f"the {side} term of {where}")
            except GlossaryValidationError as exc:
                raise InputError(f"Invalid glossary entries: {exc.message}", hint=exc.hint) from None
        if source in seen:
            raise InputError(f"Invalid glossary entries: {where} duplicates the source term {source!r} "
                             f"of entry {seen[source]}")
        seen[source] = number
        entries.append((source, target))
    return entries


def dictionary_entries(termbase: Termbase, pair: Pair) -> list[Pair]:
    """A dictionary's entries, read from the concepts: every non-proposed rendering pair (each
    recognised variant of the source side too)."""
    source, target = pair
    out: list[Pair] = []
    for concept in termbase.concepts():
        src, tgt = concept.rendering(source), concept.rendering(target)
        if src is None or tgt is None or src.fuzzy or tgt.fuzzy:
            continue
        surfaces = [src.text, *src.variants] if source != "en" else [concept.msgid]
        out += [(surface, tgt.text) for surface in surfaces]
    return out


def _category(term: str, renderings: dict[str, Rendering], house: Termbase | None) -> str:
    from service.glossary.russian import looks_like_korean_name

    if house is not None:
        try:
            return house.get(term).category
        except ConceptNotFoundError:
            pass
    ru = renderings.get("ru")
    if ru is not None and looks_like_korean_name(ru.text):
        return "person"
    return "term"


def _apply(termbase: Termbase, dictionaries: list[tuple[Pair, list[Pair]]], *, replace_pairs: bool,
           house: Termbase | None) -> list[Concept]:
    """The concepts to write for these dictionaries' entries (merged into what is there;
    ``replace_pairs``: each dictionary's language loses its renderings not among its entries)."""
    current = {c.msgid: c for c in termbase.concepts()}
    changed: dict[str, Concept] = {}

    def concept(term: str) -> Concept:
        return changed.get(term) or current.get(term) or Concept(msgid=term, category="")

    for (source, target), entries in dictionaries:
        lang = target if source == "en" else source
        listed: dict[str, list[str]] = {}
        for src, tgt in entries:
            term, text = (src, tgt) if source == "en" else (tgt, src)
            listed.setdefault(term, []).append(text)
        if replace_pairs:
            for term, known in current.items():
                if term not in listed and lang in known.renderings:
                    renderings = {k: v for k, v in concept(term).renderings.items() if k != lang}
                    changed[term] = replace(concept(term), renderings=renderings)
        for term, texts in listed.items():
            found = concept(term)
            old = found.renderings.get(lang)
            if source != "en" and old is not None and not replace_pairs:
                # X→EN merged into a concept that has X: further X terms become recognised variants.
                text = old.text
                variants = tuple(dict.fromkeys(t for t in (*old.variants, *texts) if t != text))
            else:
                text, variants = texts[0], tuple(texts[1:]) if source != "en" else ()
            if old is not None and old.text == text:  # keeps what /v1 refined (gender, forms)
                rendering = replace(old, variants=variants if source != "en" else old.variants, fuzzy=False)
            else:
                rendering = Rendering(text=text, variants=variants)
            changed[term] = replace(found, renderings={**found.renderings, lang: rendering})
    out = []
    for term, new in changed.items():
        if not any(lang != "en" for lang in new.renderings):
            if term in current:
                out.append(replace(current[term], retired=True))  # no entry left in any dictionary
            continue
        if not new.category:
            new = replace(new, category=_category(term, new.renderings, house))
        out.append(new)
    return out


# --- the glossaries -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DeepLGlossary:
    glossary_id: str
    name: str
    creation_time: str
    dictionaries: tuple[Pair, ...]
    termbase: Termbase

    def entries(self, pair: Pair) -> list[Pair]:
        return dictionary_entries(self.termbase, pair)

    def dictionary_info(self, pair: Pair) -> dict[str, Any]:
        return {"source_lang": pair[0], "target_lang": pair[1], "entry_count": len(self.entries(pair))}

    def v2(self) -> dict[str, Any]:
        """DeepL's v2 glossary object (a glossary with one dictionary)."""
        (source, target), = self.dictionaries
        return {"glossary_id": self.glossary_id, "name": self.name, "ready": True,
                "source_lang": source, "target_lang": target, "creation_time": self.creation_time,
                "entry_count": len(self.entries((source, target)))}

    def v3(self) -> dict[str, Any]:
        return {"glossary_id": self.glossary_id, "name": self.name, "creation_time": self.creation_time,
                "dictionaries": [self.dictionary_info(p) for p in self.dictionaries]}


def _read_sidecar(directory: Path) -> dict[str, Any] | None:
    """The sidecar, its dictionaries as pairs; None when there is none (not a DeepL glossary)."""
    try:
        data = json.loads((directory / SIDECAR).read_text(encoding="utf-8"))
        pairs = [(str(d["source_lang"]), str(d["target_lang"])) for d in data["dictionaries"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return {**data, "dictionaries": pairs}


def _sidecar_text(name: str, creation_time: str, dictionaries: list[Pair]) -> str:
    data = {"name": name, "creation_time": creation_time,
            "dictionaries": [{"source_lang": s, "target_lang": t} for s, t in dictionaries]}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


class DeepLGlossaries:
    """DeepL's glossary operations on the glossary root (the named glossaries with a sidecar)."""

    def __init__(self, glossaries: Glossaries) -> None:
        self.glossaries = glossaries

    @staticmethod
    def new_id() -> str:
        return str(uuid.uuid4())

    def _service(self, glossary_id: str) -> tuple[GlossaryService, dict[str, Any]]:
        try:
            service = self.glossaries.get(glossary_id) if glossary_id != "house" else None
        except (GlossaryNotFoundError, InputError):
            service = None
        meta = _read_sidecar(service.directory) if service is not None else None
        if service is None or meta is None:
            raise GlossaryNotFoundError(f"Glossary not found: {glossary_id!r}")
        return service, meta

    def get(self, glossary_id: str) -> DeepLGlossary:
        service, meta = self._service(glossary_id)
        pairs = tuple(meta["dictionaries"])
        return DeepLGlossary(glossary_id, str(meta.get("name", "")), str(meta.get("creation_time", "")),
                             pairs, service.termbase())

    def all(self) -> list[DeepLGlossary]:
        found = []
        for name in self.glossaries.names():
            try:
                found.append(self.get(name))
            except GlossaryNotFoundError:
                continue  # a named glossary made with /v1 or the CLI, or deleted meanwhile
        return sorted(found, key=lambda g: g.creation_time)

    def _house(self) -> Termbase | None:
        try:
            return self.glossaries.house().termbase()
        except Exception:  # noqa: BLE001 - a category guess is never worth failing a write for
            return None

    def create(self, glossary_id: str, name: Any, dictionaries: list[tuple[Pair, list[Pair]]]) -> DeepLGlossary:
        """A new glossary with these dictionaries (pairs checked, entries parsed by the caller)."""
        name = check_name(name)
        if not dictionaries:
            raise InputError("Parameter 'dictionaries' is empty.")
        pairs = [pair for pair, _ in dictionaries]
        if len(set(pairs)) != len(pairs):
            raise InputError("Two dictionaries of the glossary have the same language pair")
        # Its DeepL name lives in the sidecar only (a rename changes one file).
        service = self.glossaries.create(glossary_id, description="made through the DeepL-compatible API",
                                         files={SIDECAR: _sidecar_text(name, _now(), pairs)})
        try:
            house = self._house()
            service.store.rewrite(lambda tb: _apply(tb, dictionaries, replace_pairs=False, house=house))
        except BaseException:
            self.glossaries.delete(glossary_id)  # all or nothing: a refused glossary leaves nothing
            raise
        return self.get(glossary_id)

    def update(self, glossary_id: str, *, name: Any = None,
               dictionaries: list[tuple[Pair, list[Pair]]] | None = None, replace_pairs: bool = False) -> DeepLGlossary:
        """Rename and/or merge (``replace_pairs``: replace) dictionaries' entries; a dictionary not
        in the glossary yet is added."""
        service, _ = self._service(glossary_id)
        dictionaries = dictionaries or []
        new_name = check_name(name) if name is not None else None
        house = self._house() if dictionaries else None

        def after() -> None:
            meta = _read_sidecar(service.directory) or {}
            pairs: list[Pair] = list(meta.get("dictionaries", []))
            pairs += [p for p, _ in dictionaries if p not in pairs]
            text = _sidecar_text(new_name if new_name is not None else str(meta.get("name", "")),
                                 str(meta.get("creation_time") or _now()), pairs)
            atomic_write_text(service.directory / SIDECAR, text)

        service.store.rewrite(lambda tb: _apply(tb, dictionaries, replace_pairs=replace_pairs, house=house),
                              after)
        return self.get(glossary_id)

    def delete(self, glossary_id: str) -> None:
        self._service(glossary_id)
        self.glossaries.delete(glossary_id)

    def delete_dictionary(self, glossary_id: str, pair: Pair) -> None:
        """Remove one dictionary: its language's renderings go unless another dictionary of the
        glossary still has that language (they share the concepts). Decided inside the write
        lock, from the sidecar as it is then."""
        service, _ = self._service(glossary_id)
        kept: dict[str, Any] = {}

        def change(termbase: Termbase) -> list[Concept]:
            meta = _read_sidecar(service.directory) or {"dictionaries": []}
            if pair not in meta["dictionaries"]:
                raise GlossaryNotFoundError(f"Glossary dictionary not found: {pair[0].upper()}→{pair[1].upper()}")
            kept.update(meta, dictionaries=[p for p in meta["dictionaries"] if p != pair])
            still = {lang for p in kept["dictionaries"] for lang in p}
            gone = {lang for lang in pair if lang != "en" and lang not in still}
            out = []
            for concept in termbase.concepts():
                if not gone & set(concept.renderings):
                    continue
                renderings = {k: v for k, v in concept.renderings.items() if k not in gone}
                left = any(k != "en" for k in renderings)
                out.append(replace(concept, renderings=renderings) if left else replace(concept, retired=True))
            return out

        def after() -> None:
            atomic_write_text(service.directory / SIDECAR, _sidecar_text(
                str(kept.get("name", "")), str(kept.get("creation_time") or _now()), kept["dictionaries"]))

        service.store.rewrite(change, after)

    def for_translation(self, glossary_id: str, source: str, target: str) -> str:
        """The named glossary a translation ``source``→``target`` with ``glossary_id`` enforces.
        A DeepL glossary needs a dictionary of that pair (or, KO↔RU, dictionaries with both
        languages: the pivot through English); a named glossary made with /v1 or the CLI applies
        in every direction its concepts cover."""
        try:
            service = self.glossaries.get(glossary_id)
        except InputError:
            raise GlossaryNotFoundError(f"Glossary not found: {glossary_id!r}") from None
        meta = _read_sidecar(service.directory)
        if meta is None:
            return glossary_id
        pairs = set(meta["dictionaries"])
        languages = {lang for p in pairs for lang in p}
        pivot = "en" not in (source, target) and {source, target} <= languages
        if (source, target) not in pairs and not pivot:
            have = ", ".join(f"{s.upper()}→{t.upper()}" for s, t in sorted(pairs)) or "none"
            raise InputError(f"The glossary has no {source.upper()}→{target.upper()} dictionary "
                             f"(its dictionaries: {have})",
                             hint="source_lang and target_lang must match one of the glossary's dictionaries")
        return glossary_id


def check_name(name: Any) -> str:
    if not isinstance(name, str) or not name.strip():
        raise InputError("Parameter 'name' not specified." if not name else "Parameter 'name' must be a string.")
    try:
        check_field(name, "the glossary name", limit=MAX_NAME_CHARS)
    except GlossaryValidationError as exc:
        raise InputError(exc.message, hint=exc.hint) from None
    return name.strip()
