"""Reading and writing a glossary directory safely; shared by the CLI and the HTTP API.

* Reads are cached and the cache is checked against the files' (inode, mtime, size) on every
  access, so a running service sees edits made by a PO editor, git or another process.
* Every write takes an exclusive file lock (``.glossary.lock`` in the directory), re-reads the
  files from disk inside the lock (never from the cache), changes them, and replaces each
  changed file atomically: temporary file in the same directory, fsync, rename, fsync of the
  directory. A write killed at any point leaves every file either old or new, never half.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import polib
from filelock import FileLock, Timeout

from service.errors import ConceptNotFoundError, GlossaryError
from service.glossary.termbase import (
    CATEGORIES,
    POT_NAME,
    Concept,
    Rendering,
    Termbase,
    apply_rendering,
    files_version,
    new_pofile,
    po_languages,
    po_text,
    read_pofile,
    split_short,
)

LOCK_NAME = ".glossary.lock"
_TMP_PREFIX = ".glossa-tmp-"


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {"added": self.added, "updated": self.updated, "unchanged": self.unchanged}


class _Files:
    """The polib objects of one directory, loaded fresh inside the write lock."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        pot_path = directory / POT_NAME
        self.pot = read_pofile(pot_path) if pot_path.exists() else new_pofile(None)
        self.langs: dict[str, polib.POFile] = {
            lang: read_pofile(directory / f"{lang}.po") for lang in po_languages(directory)
        }
        self.dirty: set[str | None] = set()

    def termbase(self) -> Termbase:
        return Termbase.from_files({None: self.pot, **self.langs}, directory=self.directory)

    def lang_file(self, lang: str) -> polib.POFile:
        if lang not in self.langs:
            self.langs[lang] = new_pofile(lang)
            self.dirty.add(lang)
        return self.langs[lang]

    @staticmethod
    def find(po: polib.POFile, key: tuple[str, str]) -> polib.POEntry | None:
        for entry in po:
            if (entry.msgctxt or "", entry.msgid) == key:
                return entry
        return None

    def write_concept(self, concept: Concept) -> None:
        """Make the files say exactly what ``concept`` says (adding entries where missing)."""
        key = concept.key
        entry = self.find(self.pot, key)
        if entry is None:
            entry = polib.POEntry(msgctxt=concept.category, msgid=concept.msgid, msgstr="")
            self.pot.append(entry)
        entry.comment = concept.note
        entry.obsolete = concept.retired
        self.dirty.add(None)
        langs = set(self.langs) | set(concept.renderings) | {"ko", "ru"}
        for lang in sorted(langs):
            po = self.lang_file(lang)
            lang_entry = self.find(po, key)
            if lang_entry is None:
                lang_entry = polib.POEntry(msgctxt=concept.category, msgid=concept.msgid, msgstr="")
                po.append(lang_entry)
            rendering = concept.renderings.get(lang)
            if rendering is None and lang == "en":
                rendering = Rendering(text=concept.msgid)
            if rendering is None:
                lang_entry.msgstr, lang_entry.tcomment = "", ""
                if "fuzzy" in lang_entry.flags:
                    lang_entry.flags.remove("fuzzy")
            else:
                apply_rendering(lang_entry, rendering)
            lang_entry.obsolete = concept.retired
            self.dirty.add(lang)

    def save(self) -> None:
        for lang in sorted(self.dirty, key=lambda x: x or ""):
            po = self.pot if lang is None else self.langs[lang]
            name = POT_NAME if lang is None else f"{lang}.po"
            atomic_write(self.directory / name, po_text(po))
        self.dirty.clear()


def atomic_write(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` so that readers see the old or the new file, never a mix."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=_TMP_PREFIX, suffix=".part")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    try:
        dir_fd = os.open(path.parent, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def validate_concept(concept: Concept) -> None:
    if not concept.msgid.strip() or concept.msgid != concept.msgid.strip():
        raise GlossaryError(f"bad term {concept.msgid!r}: empty or with surrounding spaces")
    if "\n" in concept.msgid:
        raise GlossaryError("a term cannot span several lines")
    if concept.category not in CATEGORIES:
        raise GlossaryError(
            f"unknown category {concept.category!r}", hint=f"use one of: {', '.join(CATEGORIES)}"
        )
    for lang, rendering in concept.renderings.items():
        if rendering.text != rendering.text.strip() or "\n" in rendering.text:
            raise GlossaryError(f"{lang} rendering {rendering.text!r} has surrounding spaces or line breaks")
        if not rendering.text:
            raise GlossaryError(f"empty {lang} rendering for {concept.msgid!r}", hint="leave the language out instead")
        for short in rendering.shorts:  # one `# short:` comment line each
            if not split_short(short)[0] or any(ch in short for ch in "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"):
                raise GlossaryError(f"bad {lang} short form {short!r}: empty or with a line break")


class GlossaryStore:
    """One glossary directory. Thread-safe; safe across processes for writes."""

    def __init__(self, directory: Path, *, lock_timeout: float = 30.0) -> None:
        self.directory = Path(directory)
        self.lock_timeout = lock_timeout
        self._cache: tuple[tuple, Termbase] | None = None
        self._mutex = threading.Lock()

    # --- reading ---------------------------------------------------------------------------------

    def _signature(self) -> tuple:
        entries = []
        for path in sorted(self.directory.glob("*.po")) + [self.directory / POT_NAME]:
            try:
                st = path.stat()
            except FileNotFoundError:
                continue
            entries.append((path.name, st.st_ino, st.st_mtime_ns, st.st_size))
        return tuple(entries)

    def termbase(self) -> Termbase:
        """The current termbase; re-read only when a file changed since the last call."""
        with self._mutex:
            signature = self._signature()
            if self._cache is not None and self._cache[0] == signature:
                return self._cache[1]
            termbase = Termbase.load(self.directory)
            # Stat again: if a writer replaced a file while we read, do not cache a stale view.
            if self._signature() == signature:
                self._cache = (signature, termbase)
            return termbase

    def matcher(self, lang: str, *, include_fuzzy: bool = False):  # -> Matcher (import kept lazy)
        from service.glossary.matcher import matcher_for

        return matcher_for(self.termbase(), lang, include_fuzzy=include_fuzzy)

    def snapshot(self) -> "Snapshot":
        """One consistent view for a whole translation call (the files may change meanwhile)."""
        return Snapshot(self.termbase())

    @property
    def version(self) -> str:
        return files_version(self.directory)

    # --- writing ---------------------------------------------------------------------------------

    @contextmanager
    def _locked_files(self) -> Iterator[_Files]:
        self.directory.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(self.directory / LOCK_NAME), timeout=self.lock_timeout)
        try:
            lock.acquire()
        except Timeout:
            raise GlossaryError(
                f"the glossary in {self.directory} is locked by another writer",
                hint=f"retry, or remove {LOCK_NAME} if no glossa process is running",
            ) from None
        try:
            self._remove_stale_temp_files()
            files = _Files(self.directory)
            yield files
            files.save()
        finally:
            lock.release()
        with self._mutex:
            self._cache = None

    def _remove_stale_temp_files(self) -> None:
        # Left by a writer killed between mkstemp and rename; harmless but untidy.
        for leftover in self.directory.glob(_TMP_PREFIX + "*"):
            try:
                leftover.unlink()
            except OSError:
                pass

    def add(self, concept: Concept) -> Concept:
        """Add a new concept (or bring a retired one back). Raises if it already exists."""
        validate_concept(concept)
        with self._locked_files() as files:
            termbase = files.termbase()
            try:
                existing = termbase.get(concept.msgid, concept.category, include_retired=True)
            except ConceptNotFoundError:
                existing = None
            if existing is not None and not existing.retired:
                raise GlossaryError(
                    f"{concept.msgid!r} ({concept.category}) is already in the glossary",
                    hint="use `glossa glossary update` to change it",
                )
            concept = replace(concept, retired=False)
            files.write_concept(concept)
        return concept

    def modify(self, msgid: str, category: str | None, change: Callable[[Concept], Concept]) -> Concept:
        """Apply ``change`` to the concept as it is on disk, inside the lock."""
        with self._locked_files() as files:
            current = files.termbase().get(msgid, category)
            updated = change(current)
            if updated.key != current.key:
                raise GlossaryError("the term and category of a concept cannot be changed; retire it and add a new one")
            validate_concept(updated)
            files.write_concept(updated)
        return updated

    def update(
        self,
        msgid: str,
        category: str | None = None,
        *,
        note: str | None = None,
        renderings: dict[str, Rendering | None] | None = None,
    ) -> Concept:
        """Replace the note and/or the given languages' renderings (None removes a rendering)."""

        def change(concept: Concept) -> Concept:
            new = dict(concept.renderings)
            for lang, rendering in (renderings or {}).items():
                if rendering is None:
                    new.pop(lang, None)
                else:
                    new[lang] = rendering
            return replace(concept, note=concept.note if note is None else note, renderings=new)

        return self.modify(msgid, category, change)

    def remove(self, msgid: str, category: str | None = None) -> Concept:
        """Retire a concept: its entries become obsolete (#~) in every file, kept for history."""
        return self.modify(msgid, category, lambda c: replace(c, retired=True))

    def import_concepts(self, concepts: list[Concept], *, dry_run: bool = False, overwrite: bool = True) -> ImportReport:
        """Merge ``concepts`` in: new ones are added; existing ones get the imported languages
        (variants are merged, the imported text wins unless ``overwrite`` is false)."""
        for concept in concepts:
            validate_concept(concept)
        report = ImportReport()
        with self._locked_files() as files:
            termbase = files.termbase()
            for concept in concepts:
                try:
                    current = termbase.get(concept.msgid, concept.category, include_retired=True)
                except ConceptNotFoundError:
                    current = None
                if current is None or current.retired:
                    files.write_concept(replace(concept, retired=False))
                    report.added.append(concept.msgid)
                    continue
                merged = _merge(current, concept, overwrite=overwrite)
                if merged == current:
                    report.unchanged.append(concept.msgid)
                else:
                    files.write_concept(merged)
                    report.updated.append(concept.msgid)
            if dry_run:
                files.dirty.clear()
        return report


class Snapshot:
    """What enforcement needs from one termbase version: recognition and enforceable renderings.

    Proposed (fuzzy) renderings are neither recognised nor enforced.
    """

    def __init__(self, termbase: Termbase) -> None:
        self.termbase = termbase

    @property
    def version(self) -> str:
        return self.termbase.version

    def matcher(self, lang: str):  # -> service.glossary.matcher.Matcher
        from service.glossary.matcher import matcher_for

        return matcher_for(self.termbase, lang)

    def rendering(self, concept: Concept, lang: str) -> str | None:
        """The rendering text to enforce in ``lang``, or None (none, or only proposed)."""
        rendering = concept.rendering(lang)
        if rendering is None or rendering.fuzzy:
            return None
        return rendering.text

    def form_table(self, concept: Concept, lang: str) -> dict[tuple[str, str], str]:
        """Russian: ``(case, number) -> form`` of the enforceable rendering; other languages:
        ``{("nom", "sg"): rendering}``; empty when nothing is enforceable."""
        text = self.rendering(concept, lang)
        if text is None:
            return {}
        if lang != "ru":
            return {("nom", "sg"): text}
        from service.glossary.russian import russian_forms

        return {("nom", "sg"): text, **russian_forms(concept.renderings["ru"], concept.category)}

    def forms(self, concept: Concept, lang: str) -> list[str]:
        """Every form the rendering may take in ``lang``: the Russian cases and numbers (the
        nominative singular first, no duplicates), else just the rendering."""
        text = self.rendering(concept, lang)
        if text is None:
            return []
        if lang != "ru":
            return [text]
        from service.glossary.russian import russian_forms

        forms = russian_forms(concept.renderings["ru"], concept.category)
        return list(dict.fromkeys([text, *forms.values()]))


def _merge(current: Concept, incoming: Concept, *, overwrite: bool) -> Concept:
    renderings = dict(current.renderings)
    for lang, new in incoming.renderings.items():
        old = renderings.get(lang)
        if old is None:
            renderings[lang] = new
            continue
        text = new.text if overwrite else old.text
        pool = [v for v in (*old.variants, *new.variants, old.text, new.text) if v != text]
        variants = tuple(dict.fromkeys(pool))
        renderings[lang] = replace(
            old,
            text=text,
            variants=variants,
            shorts=tuple(dict.fromkeys((*old.shorts, *new.shorts))),
            fuzzy=new.fuzzy if overwrite else old.fuzzy,
            gender=new.gender or old.gender,
            forms={**old.forms, **new.forms},
            indeclinable=old.indeclinable or new.indeclinable,
        )
    note = incoming.note if (overwrite and incoming.note) else current.note
    return replace(current, note=note, renderings=renderings)
