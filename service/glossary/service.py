"""The glossary service: what every face (CLI, HTTP, batch, the DeepL-compatible routes) does to
a glossary, in one place, so the rules cannot drift between faces.

* ``GlossaryService``: one glossary (the house glossary or a named one). Add, update with the
  CLI's verbs (``ConceptEdit``: set a rendering, add/remove variants, mark proposed, approve,
  clear a form, clear a language), remove (retire), search (term, note, renderings, variants),
  import (uploaded text only), export, check. Concepts cross faces in one JSON shape
  (``concept_to_dict``), whose id is ``term`` (the canonical English term) everywhere.
* ``Glossaries``: the glossary root. The house glossary is the root folder itself
  (``GLOSSA_GLOSSARY_DIR``); named glossaries are folders ``named/<name>/`` inside it, each with
  the same PO layout, validation, locking, check and exchange formats. One ``GlossaryStore`` per
  folder per process, shared by everything that holds the ``Glossaries`` (the pipeline's).
* ``Glossaries.view(name, house=...)``: what a translation enforces. With a named glossary, its
  concepts override the house glossary's for the same term (a house concept sharing the term or
  any spelling with a named one is left out); the house glossary still applies otherwise, unless
  switched off.

Knows nothing of HTTP: errors are ``service.errors`` exceptions, which each face maps.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from service.errors import (
    GlossaryError,
    GlossaryExistsError,
    GlossaryNotFoundError,
    GlossaryValidationError,
    InputError,
)
from service.fileio import atomic_write_text
from service.glossary.store import GlossaryStore, ImportReport, Snapshot
from service.glossary.termbase import (
    LANGUAGES,
    POT_NAME,
    Concept,
    Rendering,
    Termbase,
    new_pofile,
    parse_form_key,
    po_text,
)

HOUSE = "house"  # how keys, listings and messages name the house glossary
NAMED_DIR = "named"
META_NAME = "glossary.json"
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
EXPORT_FORMATS = ("po", "pot", "csv", "tsv", "tbx", "tbx3", "deepl-csv", "google-csv")
IMPORT_FORMATS = ("po", "csv", "tsv", "tbx", "deepl-csv", "google-csv")
MEDIA_TYPES = {"po": "text/x-gettext-translation", "pot": "text/x-gettext-translation", "csv": "text/csv",
               "tsv": "text/tab-separated-values", "tbx": "application/x-tbx+xml",
               "tbx3": "application/x-tbx+xml", "deepl-csv": "text/csv", "google-csv": "text/csv"}

__all__ = [
    "HOUSE", "ConceptEdit", "Export", "Glossaries", "GlossaryService", "GlossaryView", "concept_to_dict",
    "rendering_from_dict",
]


# --- one JSON shape -------------------------------------------------------------------------------


def rendering_to_dict(rendering: Rendering) -> dict[str, Any]:
    return {"text": rendering.text, "variants": list(rendering.variants), "shorts": list(rendering.shorts),
            "fuzzy": rendering.fuzzy,
            "gender": rendering.gender, "forms": dict(rendering.forms),
            "indeclinable": rendering.indeclinable, "comment": rendering.comment}


def concept_to_dict(concept: Concept) -> dict[str, Any]:
    """The one JSON shape of a concept (CLI ``--json``, HTTP, the web page): its id is ``term``."""
    return {
        "term": concept.msgid,
        "category": concept.category,
        "note": concept.note,
        "retired": concept.retired,
        "renderings": {lang: rendering_to_dict(r) for lang, r in sorted(concept.renderings.items())},
    }


def rendering_from_dict(lang: str, data: dict[str, Any]) -> Rendering:
    """A rendering from the JSON shape; unknown languages and bad form keys are refused (4xx)."""
    if lang not in LANGUAGES:
        raise GlossaryValidationError(f"rendering language {lang!r} is not one of {', '.join(LANGUAGES)}")
    forms: dict[str, str] = {}
    for key, form in (data.get("forms") or {}).items():
        try:
            forms[parse_form_key(str(key))] = str(form).strip()
        except GlossaryError as exc:
            raise GlossaryValidationError(exc.message, hint=exc.hint) from None
    return Rendering(
        text=str(data.get("text", "")).strip(),
        variants=tuple(v.strip() for v in data.get("variants") or () if v.strip()),
        shorts=tuple(v.strip() for v in data.get("shorts") or () if v.strip()),
        fuzzy=bool(data.get("fuzzy", False)),
        gender=data.get("gender"),
        forms=forms,
        indeclinable=bool(data.get("indeclinable", False)),
        comment=data.get("comment") or "",
    )


# --- the CLI's edit verbs, for every face ------------------------------------------------------------


@dataclass
class ConceptEdit:
    """A change to one concept; only what is given changes.

    ``texts``: new rendering text per language. ``renderings``: whole renderings to put in place
    (None removes that language), applied first. Then per language: ``clear`` removes the
    rendering; ``add_variants`` / ``remove_variants`` are (lang, text) pairs; ``fuzzy`` marks
    renderings proposed, ``approve`` enforced; Russian ``gender``, ``indeclinable``, ``forms``
    (case.number -> text) and ``clear_forms``.
    """

    note: str | None = None
    renderings: dict[str, Rendering | None] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    add_variants: list[tuple[str, str]] = field(default_factory=list)
    remove_variants: list[tuple[str, str]] = field(default_factory=list)
    fuzzy: set[str] = field(default_factory=set)
    approve: set[str] = field(default_factory=set)
    clear: set[str] = field(default_factory=set)
    gender: str | None = None
    indeclinable: bool | None = None
    forms: dict[str, str] = field(default_factory=dict)
    clear_forms: list[str] = field(default_factory=list)

    def apply(self, concept: Concept) -> Concept:
        renderings = dict(concept.renderings)
        for lang, whole in self.renderings.items():
            if whole is None:
                renderings.pop(lang, None)
            else:
                renderings[lang] = whole
        for lang in LANGUAGES:
            if lang in self.clear:
                renderings.pop(lang, None)
                continue
            current = renderings.get(lang)
            text = self.texts.get(lang)
            if current is None and text is None:
                if any(v_lang == lang for v_lang, _ in self.add_variants) or (
                        lang == "ru" and (self.gender or self.forms)):
                    raise InputError(f"{concept.msgid!r} has no {lang} rendering yet: give --{lang}")
                if lang in self.fuzzy or lang in self.approve:
                    raise InputError(f"{concept.msgid!r} has no {lang} rendering to mark")
                continue
            rendering = current or Rendering(text=text or "")
            if text is not None:
                rendering = replace(rendering, text=text.strip())
            for v_lang, missing in self.remove_variants:
                if v_lang == lang and missing not in rendering.variants:
                    raise InputError(f"{missing!r} is not a {lang} variant of {concept.msgid!r}")
            variants = [v for v in rendering.variants if (lang, v) not in self.remove_variants]
            variants += [v for v_lang, v in self.add_variants
                         if v_lang == lang and v not in variants and v != rendering.text]
            rendering = replace(rendering, variants=tuple(variants))
            if lang in self.fuzzy:
                rendering = replace(rendering, fuzzy=True)
            if lang in self.approve:
                rendering = replace(rendering, fuzzy=False)
            if lang == "ru":
                if self.gender:
                    rendering = replace(rendering, gender=self.gender)
                if self.indeclinable is not None:
                    rendering = replace(rendering, indeclinable=self.indeclinable)
                drop = {parse_form_key(k) for k in self.clear_forms}
                merged = {k: v for k, v in {**rendering.forms, **self.forms}.items() if k not in drop}
                rendering = replace(rendering, forms=merged)
            renderings[lang] = rendering
        return replace(concept, renderings=renderings, note=concept.note if self.note is None else self.note)


@dataclass(frozen=True)
class Export:
    text: str
    media_type: str
    filename: str


# --- one glossary ----------------------------------------------------------------------------------


class GlossaryService:
    """One glossary folder: every operation a face may perform on it."""

    def __init__(self, store: GlossaryStore, name: str = HOUSE) -> None:
        self.store = store
        self.name = name

    @property
    def directory(self) -> Path:
        return self.store.directory

    def termbase(self) -> Termbase:
        return self.store.termbase()

    # -- reading
    def get(self, term: str, category: str | None = None, *, include_retired: bool = False) -> Concept:
        return self.termbase().get(term, category, include_retired=include_retired)

    def search(self, text: str | None = None, *, category: str | None = None, lang: str | None = None,
               status: str = "all", include_retired: bool = False) -> list[Concept]:
        """Concepts whose term, note, renderings or variants contain ``text`` (any case).
        ``status``: enforced / fuzzy (has such a rendering), retired, or all (live ones, plus
        retired ones with ``include_retired``)."""
        wanted_retired = include_retired or status == "retired"
        return [c for c in self.termbase().concepts(include_retired=wanted_retired)
                if (category is None or c.category == category) and _matches(c, text, lang, status)]

    # -- writing
    def add(self, concept: Concept) -> Concept:
        added = self.store.add(concept)
        return self.termbase().get(added.msgid, added.category)  # as read back, with defaults

    def update(self, term: str, category: str | None, edit: ConceptEdit) -> Concept:
        return self.store.modify(term, category, edit.apply)

    def remove(self, term: str, category: str | None = None) -> Concept:
        return self.store.remove(term, category)

    # -- exchange
    def import_text(self, text: str, fmt: str, *, lang: str | None = None, source: str = "en",
                    category: str = "term", overwrite: bool = True, dry_run: bool = False) -> ImportReport:
        """Merge a glossary file given as text (never a path: uploads are parsed, not opened)."""
        from service.glossary import exchange

        if fmt not in IMPORT_FORMATS:
            raise InputError(f"unknown import format {fmt!r}", hint=", ".join(IMPORT_FORMATS))
        # A folder without files yet (the first import makes it) has nothing to match against.
        known = self.termbase() if (self.directory / POT_NAME).is_file() else None
        concepts = exchange.read_concepts(text, fmt, lang=lang, source=source, category=category, termbase=known)
        return self.store.import_concepts(concepts, dry_run=dry_run, overwrite=overwrite, default_category=category)

    def export(self, fmt: str, *, lang: str | None = None, source: str = "en", target: str | None = None) -> Export:
        from service.glossary import exchange

        termbase = self.termbase()
        if fmt == "po" and lang is None:
            fmt = "pot"
        if fmt == "pot":
            text = exchange.export_po(termbase, None)
        elif fmt == "po":
            text = exchange.export_po(termbase, lang)
        elif fmt in ("tbx", "tbx3"):
            text = exchange.export_tbx(termbase, version=3 if fmt == "tbx3" else 2)
        elif fmt in ("deepl-csv", "google-csv"):
            text = exchange.export_multilingual(termbase, fmt)
        elif fmt in ("csv", "tsv"):
            target = target or lang
            if target is None or target == source:
                raise InputError(f"a {fmt} export needs the target language (the second column), "
                                 f"different from the source ({source})")
            text = exchange.export_table(termbase, delimiter="," if fmt == "csv" else "\t",
                                         source=source, target=target)
        else:
            raise InputError(f"unknown export format {fmt!r}", hint=", ".join(EXPORT_FORMATS))
        stem = "glossary" if self.name == HOUSE else self.name
        suffix = {"tbx3": "tbx", "deepl-csv": "csv", "google-csv": "csv"}.get(fmt, fmt)
        shown = lang if fmt == "po" else target if fmt in ("csv", "tsv") else None
        lang_part = f"-{shown}" if shown else ""
        return Export(text, MEDIA_TYPES[fmt], f"{stem}{lang_part}.{suffix}")

    # -- quality
    def check(self, *, use_msgfmt: bool = True, cached: bool = False) -> list[Any]:
        """``glossary check``'s issues (an interrupted write is completed first); ``cached``: run
        once per version of the files, concurrent callers sharing the run (the HTTP endpoint)."""
        from service.glossary.check import cached_checks, run_checks

        self.store.recover()
        return (cached_checks if cached else run_checks)(self.directory, use_msgfmt=use_msgfmt)

    def info(self) -> dict[str, Any]:
        termbase = self.termbase()
        meta = _read_meta(self.directory) if self.name != HOUSE else {}
        return {"name": self.name, "concepts": len(termbase), "version": termbase.version,
                "created": meta.get("created"), "description": meta.get("description", ""),
                "problems": len(termbase.problems)}


def _matches(concept: Concept, text: str | None, lang: str | None, status: str) -> bool:
    renderings = concept.renderings
    if status == "retired" and not concept.retired:
        return False
    if status in ("enforced", "fuzzy"):
        if concept.retired:
            return False
        pool = [renderings[lang]] if lang and lang in renderings else list(renderings.values())
        if not any(r.fuzzy == (status == "fuzzy") for r in pool):
            return False
    if lang and lang not in renderings:
        return False
    if text:
        needle = text.casefold()
        haystack = [concept.msgid, concept.note]
        for r in ([renderings[lang]] if lang else renderings.values()):
            haystack.extend(r.surfaces())
        if not any(needle in h.casefold() for h in haystack):
            return False
    return True


# --- the glossary root ----------------------------------------------------------------------------


def check_name(name: str) -> str:
    if name == HOUSE:
        return name
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        raise InputError(f"bad glossary name {name!r}",
                         hint="1-64 characters: lowercase letters, digits, '-' and '_', starting with a letter or digit")
    return name


def _read_meta(directory: Path) -> dict[str, Any]:
    try:
        data = json.loads((directory / META_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


class Glossaries:
    """The glossary root: the house glossary and the named ones, one store per folder."""

    def __init__(self, house_dir: Path) -> None:
        self.house_dir = Path(house_dir)
        self.named_dir = self.house_dir / NAMED_DIR
        self._services: dict[str, GlossaryService] = {}
        self._lock = threading.Lock()

    def _service(self, name: str, directory: Path) -> GlossaryService:
        with self._lock:
            found = self._services.get(name)
            if found is None:
                label = "the house glossary" if name == HOUSE else f"glossary {name!r}"
                store = GlossaryStore(directory, label=label, create=name == HOUSE)
                found = self._services[name] = GlossaryService(store, name)
            return found

    def house(self) -> GlossaryService:
        return self._service(HOUSE, self.house_dir)

    def exists(self, name: str) -> bool:
        return name == HOUSE or (self.named_dir / check_name(name) / POT_NAME).is_file()

    def get(self, name: str | None) -> GlossaryService:
        """The house glossary (None or "house") or a named one (GlossaryNotFoundError if there is
        none of that name)."""
        if name is None or name == HOUSE:
            return self.house()
        if not self.exists(name):
            raise GlossaryNotFoundError(f"no glossary named {name!r}", hint="GET /v1/glossaries lists them")
        return self._service(name, self.named_dir / name)

    def names(self) -> list[str]:
        if not self.named_dir.is_dir():
            return []
        return sorted(p.name for p in self.named_dir.iterdir()
                      if NAME_PATTERN.match(p.name) and (p / POT_NAME).is_file())

    def list_all(self) -> list[dict[str, Any]]:
        return [self.get(name).info() for name in [HOUSE, *self.names()]]

    def create(self, name: str, *, description: str = "", files: dict[str, str] | None = None) -> GlossaryService:
        """A new, empty named glossary (a folder with an empty glossary.pot and its metadata).
        ``files``: a face's own metadata files (name -> text), written before the glossary.pot
        that makes the glossary exist, so it is never seen without them."""
        check_name(name)
        if name == HOUSE:
            raise GlossaryError("the house glossary always exists; pick another name")
        from service.glossary.validate import check_field

        check_field(description, "description", limit=1000)
        directory = self.named_dir / name
        with self._lock:
            if (directory / POT_NAME).is_file():
                raise GlossaryExistsError(f"a glossary named {name!r} already exists")
            directory.mkdir(parents=True, exist_ok=True)
            meta = {"name": name, "description": description,
                    "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
            atomic_write_text(directory / META_NAME, json.dumps(meta, ensure_ascii=False, indent=1) + "\n")
            for file_name, text in (files or {}).items():
                atomic_write_text(directory / file_name, text)
            atomic_write_text(directory / POT_NAME, po_text(new_pofile(None)))  # last: marks it complete
        return self.get(name)

    def delete(self, name: str) -> None:
        """Remove a named glossary: its folder is renamed away first (atomic), then deleted."""
        service = self.get(name)
        if service.name == HOUSE:
            raise GlossaryError("the house glossary cannot be deleted")
        with service.store._locked():  # no write of it is in flight
            trash = self.named_dir / f".deleted-{name}-{time.time_ns()}"
            service.directory.rename(trash)
        with self._lock:
            self._services.pop(name, None)
        shutil.rmtree(trash, ignore_errors=True)

    # -- what a translation enforces
    def view(self, name: str | None = None, *, house: bool = True) -> GlossaryView | None:
        """The glossary a translation uses: the house glossary, a named one overriding it, the
        named one alone (``house=False``), or None (nothing to enforce)."""
        if name is None or name == HOUSE:
            return GlossaryView(self, None, True) if house else None
        self.get(name)  # 404 before any translation work
        return GlossaryView(self, name, house)


class GlossaryView:
    """What the enforcer asks for: ``snapshot()`` of the glossary (or glossaries) in use."""

    def __init__(self, glossaries: Glossaries, name: str | None, house: bool) -> None:
        self.glossaries = glossaries
        self.name = name
        self.house = house

    def termbase(self) -> Termbase:
        named = self.glossaries.get(self.name).termbase() if self.name else None
        base = self.glossaries.house().termbase() if self.house else None
        if named is None:
            assert base is not None
            return base
        if base is None:
            return named
        return merged(named, base)

    def snapshot(self) -> Snapshot:
        return Snapshot(self.termbase())

    @property
    def key(self) -> tuple[str | None, bool]:
        return (self.name, self.house)


def merged(first: Termbase, base: Termbase) -> Termbase:
    """``first``'s concepts, then ``base``'s that share neither a term nor any spelling with them."""
    claimed: set[str] = set()
    for concept in first.concepts():
        claimed.add(concept.msgid.casefold())
        for rendering in concept.renderings.values():
            claimed.update(s.casefold() for s in rendering.surfaces())
    kept = [c for c in base.concepts()
            if c.msgid.casefold() not in claimed
            and not any(s.casefold() in claimed for r in c.renderings.values() for s in r.surfaces())]
    version = hashlib.sha256(f"{first.version}+{base.version}".encode()).hexdigest()[:16]
    return Termbase([*first.concepts(), *kept], version, None, [*first.problems, *base.problems])
