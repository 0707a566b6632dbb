"""Reading and writing a glossary directory safely; shared by every face through the service.

* Reads are cached and the cache is checked against the files' (inode, mtime, size) on every
  access, so a running service sees edits made by a PO editor, git or another process. Reads are
  tolerant: an entry that cannot be read is skipped and listed in ``Termbase.problems``.
* Every write takes an exclusive file lock (``.glossary.lock`` in the directory), completes any
  interrupted write (``service.glossary.journal``), re-reads the files from disk inside the lock
  (never from the cache), changes them, **re-reads the text it would write and refuses the write
  (writing nothing) unless every changed concept reads back exactly as intended and no entry
  became unreadable**, then replaces the changed files through the journal. Files keep their
  mode (new ones get 0644 less the umask bits, as ``service.fileio`` writes them).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import polib
from filelock import FileLock, Timeout

from service.errors import ConceptNotFoundError, GlossaryError, GlossaryNotFoundError, GlossaryValidationError
from service.fileio import atomic_write_text, remove_temp_files
from service.glossary import journal
from service.glossary.pofile import BadBlock, parse_tolerant
from service.glossary.termbase import (
    POT_NAME,
    Concept,
    Rendering,
    Termbase,
    apply_rendering,
    new_pofile,
    po_languages,
    po_text,
)
from service.glossary.validate import validate_concept

LOCK_NAME = ".glossary.lock"
# Concepts one import may bring (each one is validated and re-read before anything lands).
MAX_IMPORT_CONCEPTS = 50_000

__all__ = ["GlossaryStore", "ImportReport", "LOCK_NAME", "MAX_IMPORT_CONCEPTS", "Snapshot", "atomic_write"]

atomic_write = atomic_write_text  # the one atomic write (service.fileio); kept under its old name


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    # "term: category person -> place" for concepts matched by their term in another category.
    recategorised: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {"added": self.added, "updated": self.updated, "unchanged": self.unchanged,
                "recategorised": self.recategorised}


class _Files:
    """The polib objects of one directory, loaded fresh inside the write lock."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        texts = journal.read_consistent(directory, [None, *po_languages(directory)])
        self.bad: dict[str | None, list[BadBlock]] = {}
        self.langs: dict[str, polib.POFile] = {}
        self.pot = new_pofile(None)
        for lang, text in texts.items():
            po, bad = parse_tolerant(text)
            if lang is None:
                self.pot = po
            else:
                self.langs[lang] = po
            self.bad[lang] = bad
        self.index: dict[str | None, dict[tuple[str, str], polib.POEntry]] = {
            lang: {(e.msgctxt or "", e.msgid): e for e in po} for lang, po in self.all().items()}
        self.dirty: set[str | None] = set()
        self.written: dict[tuple[str, str], Concept] = {}  # the last write of each concept

    def all(self) -> dict[str | None, polib.POFile]:
        files: dict[str | None, polib.POFile] = {None: self.pot}
        files.update(self.langs)
        return files

    def termbase(self) -> Termbase:
        # The version is never looked at inside the lock: skip hashing the files' text.
        return Termbase.from_files(self.all(), version="in-write", directory=self.directory)

    def lang_file(self, lang: str) -> polib.POFile:
        if lang not in self.langs:
            self.langs[lang] = new_pofile(lang)
            self.index[lang] = {}
            self.dirty.add(lang)
        return self.langs[lang]

    def _entry(self, lang: str | None, concept: Concept) -> polib.POEntry:
        po = self.pot if lang is None else self.lang_file(lang)
        key = (concept.category, concept.msgid)
        entry = self.index[lang].get(key)
        if entry is None:
            entry = polib.POEntry(msgctxt=concept.category, msgid=concept.msgid, msgstr="")
            po.append(entry)
            self.index[lang][key] = entry
        return entry

    def write_concept(self, concept: Concept) -> None:
        """Make the files say exactly what ``concept`` says (adding entries where missing)."""
        entry = self._entry(None, concept)
        entry.comment = concept.note
        entry.obsolete = concept.retired
        self.dirty.add(None)
        langs = set(self.langs) | set(concept.renderings) | {"ko", "ru"}
        for lang in sorted(langs):
            lang_entry = self._entry(lang, concept)
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
        self.written[concept.key] = concept

    def drop_bad_blocks(self, msgid: str, category: str | None) -> int:
        """Forget unreadable entries naming ``msgid`` (how such an entry is removed)."""
        dropped = 0
        for lang, blocks in self.bad.items():
            keep = [b for b in blocks if b.msgid != msgid or (category is not None and b.msgctxt not in (None, category))]
            if len(keep) != len(blocks):
                dropped += len(blocks) - len(keep)
                self.bad[lang] = keep
                self.dirty.add(lang)
        return dropped

    def _text(self, lang: str | None) -> str:
        # Unreadable entries are kept verbatim at the end, so a write never silently loses what
        # a person may still repair (removing the concept drops them: ``drop_bad_blocks``).
        text = po_text(self.pot if lang is None else self.langs[lang])
        for block in self.bad.get(lang, []):
            text = text.rstrip("\n") + "\n\n" + block.text + "\n"
        return text

    def verify(self) -> dict[str, str]:
        """The new text of every changed file, re-read first: refused unless every concept written
        reads back exactly as intended and no entry became unreadable."""
        new_texts = {lang: self._text(lang) for lang in self.dirty}
        # Changed files are parsed again from their new text; unchanged ones are as they were read.
        reparsed: dict[str | None, polib.POFile] = {}
        skipped: list[str] = []
        for lang, po in self.all().items():
            if lang in new_texts:
                po, bad = parse_tolerant(new_texts[lang])
                skipped += [f"{POT_NAME if lang is None else lang + '.po'} line {b.line}: {b.error}" for b in bad]
            else:
                skipped += [f"line {b.line}" for b in self.bad.get(lang, [])]
            reparsed[lang] = po
        reread = Termbase.from_files(reparsed, version="verify")
        expected_bad = sum(len(b) for b in self.bad.values())
        if len(skipped) > expected_bad:
            raise GlossaryValidationError(f"refused: the change would make an entry unreadable ({skipped[-1]})")
        bad_renderings = reread.problems
        for concept in self.written.values():
            try:
                got = reread.get(concept.msgid, concept.category, include_retired=True)
            except ConceptNotFoundError:
                raise GlossaryValidationError(f"refused: {concept.msgid!r} would not read back") from None
            want = concept
            if "en" not in want.renderings and "en" in self.langs and not want.retired:
                want = replace(want, renderings={**want.renderings, "en": Rendering(text=want.msgid)})
            ok = got.retired if want.retired else got == want
            mine = [p for p in bad_renderings if repr(concept.msgid) in p]
            if not ok or mine:
                detail = mine[0] if mine else "it would read back differently"
                raise GlossaryValidationError(f"refused: {concept.msgid!r} cannot be written as given ({detail})")
        return {(POT_NAME if lang is None else f"{lang}.po"): new_texts[lang]
                for lang in sorted(self.dirty, key=lambda x: x or "")}

    def save(self) -> None:
        if not self.dirty:
            return
        journal.write_files(self.directory, self.verify())
        self.dirty.clear()


class GlossaryStore:
    """One glossary directory. Thread-safe; safe across processes for writes. Build one per
    folder per process (``service.glossary.service.Glossaries`` does) and share it."""

    def __init__(self, directory: Path, *, lock_timeout: float = 30.0, label: str | None = None,
                 create: bool = True) -> None:
        self.directory = Path(directory)
        # False for named glossaries: a write must not bring back a folder deleted meanwhile.
        self.create = create
        self.lock_timeout = lock_timeout
        # How messages name this glossary: never an absolute server path.
        self.label = label or "the glossary"
        self._cache: tuple[tuple, Termbase] | None = None
        self._mutex = threading.Lock()

    # --- reading ---------------------------------------------------------------------------------

    def _signature(self) -> tuple:
        entries = []
        for path in sorted(self.directory.glob("*.po")) + [self.directory / POT_NAME, self.directory / journal.JOURNAL_NAME]:
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

    def snapshot(self) -> Snapshot:
        """One consistent view for a whole translation call (the files may change meanwhile)."""
        return Snapshot(self.termbase())

    @property
    def version(self) -> str:
        return self.termbase().version

    # --- writing ---------------------------------------------------------------------------------

    @contextmanager
    def _locked(self) -> Iterator[None]:
        if self.create:
            self.directory.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(self.directory / LOCK_NAME), timeout=self.lock_timeout)
        try:
            lock.acquire()
        except Timeout:
            raise GlossaryError(
                f"{self.label} is locked by another writer",
                hint=f"retry, or remove {LOCK_NAME} from its folder if no glossa process is running",
            ) from None
        try:
            if not self.create and not (self.directory / POT_NAME).is_file():
                # Checked inside the lock: a named glossary deleted meanwhile stays deleted.
                raise GlossaryNotFoundError(f"{self.label} does not exist (any more)")
            self._remove_stale_temp_files()
            journal.roll_forward(self.directory)
            yield
        finally:
            lock.release()
            with self._mutex:
                self._cache = None

    @contextmanager
    def _locked_files(self) -> Iterator[_Files]:
        with self._locked():
            files = _Files(self.directory)
            yield files
            files.save()

    def recover(self) -> list[str]:
        """Complete an interrupted write, if any (``glossary check`` calls this); the files written."""
        if not (self.directory / journal.JOURNAL_NAME).exists():
            return []
        with self._lock_for_recovery() as written:
            return written

    @contextmanager
    def _lock_for_recovery(self) -> Iterator[list[str]]:
        lock = FileLock(str(self.directory / LOCK_NAME), timeout=self.lock_timeout)
        try:
            lock.acquire()
        except Timeout:
            raise GlossaryError(f"{self.label} is locked by another writer") from None
        try:
            yield journal.roll_forward(self.directory)
        finally:
            lock.release()
            with self._mutex:
                self._cache = None

    def _remove_stale_temp_files(self) -> None:
        remove_temp_files(self.directory)

    def add(self, concept: Concept) -> Concept:
        """Add a new concept (or bring a retired one back). Raises if it already exists."""
        concept = validate_concept(concept)
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
            updated = validate_concept(updated)
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
        """Retire a concept: its entries become obsolete (#~) in every file, kept for history.
        Entries naming it that cannot be read at all are dropped (they could not be retired)."""
        with self._locked_files() as files:
            dropped = files.drop_bad_blocks(msgid, category)
            try:
                current = files.termbase().get(msgid, category)
            except ConceptNotFoundError:
                if not dropped:
                    raise
                return Concept(msgid=msgid, category=category or "", retired=True)
            retired = replace(current, retired=True)
            files.write_concept(retired)
        return retired

    def rewrite(self, change: Callable[[Termbase], list[Concept]],
                after: Callable[[], None] | None = None) -> list[Concept]:
        """Write the concepts ``change`` returns (given the termbase as it is on disk, inside the
        lock) exactly as returned, all or nothing: each is validated and the result re-read
        before anything lands; a concept marked ``retired`` is retired. ``after`` runs inside
        the same lock once the files are written (a face's own metadata file beside them)."""
        with self._locked_files() as files:
            written = [c if c.retired else validate_concept(c) for c in change(files.termbase())]
            for concept in written:
                files.write_concept(concept)
            files.save()
            if after is not None:
                after()
        return written

    def import_concepts(self, concepts: list[Concept], *, dry_run: bool = False, overwrite: bool = True,
                        default_category: str = "term") -> ImportReport:
        """Merge ``concepts`` in: new ones are added; existing ones (matched by their term, in any
        category) get the imported languages (variants are merged, the imported text wins unless
        ``overwrite`` is false). A concept with category ``""`` (the file gave none) keeps the
        known concept's category, else gets ``default_category``; a different category given by
        the file is reported, never a second concept. All or nothing: every concept is
        validated, and the result re-read, before anything is written."""
        if len(concepts) > MAX_IMPORT_CONCEPTS:
            raise GlossaryValidationError(
                f"{len(concepts):,} concepts in one import; the limit is {MAX_IMPORT_CONCEPTS:,}",
                hint="split the file")
        report = ImportReport()
        with self._locked_files() as files:
            termbase = files.termbase()
            by_term: dict[str, list[Concept]] = {}
            for known in termbase.concepts(include_retired=True):
                by_term.setdefault(known.msgid, []).append(known)
            seen: dict[str, Concept] = {}
            for concept in concepts:
                current = seen.get(concept.msgid) or _same_concept(by_term.get(concept.msgid, []), concept)
                if current is not None and concept.category not in ("", current.category):
                    report.recategorised.append(
                        f"{concept.msgid}: kept category {current.category} (the file says {concept.category})")
                category = current.category if current is not None else concept.category or default_category
                concept = validate_concept(replace(concept, category=category))
                if current is None or current.retired:
                    merged = replace(concept, retired=False)
                    report.added.append(concept.msgid)
                else:
                    merged = _merge(current, concept, overwrite=overwrite)
                    if merged == current:
                        report.unchanged.append(concept.msgid)
                        continue
                    if concept.msgid not in report.added:
                        report.updated.append(concept.msgid)
                files.write_concept(merged)
                seen[merged.msgid] = merged
            if dry_run:
                files.verify()  # a dry run refuses what the real import would refuse
                files.dirty.clear()
        return report


def _same_concept(candidates: list[Concept], incoming: Concept) -> Concept | None:
    """The existing concept an imported one is: same term and category, else the one live concept
    with that term (a PO without msgctxt, a CSV, a TBX without subject field), else none."""
    for known in candidates:
        if known.category == incoming.category:
            return known
    live = [c for c in candidates if not c.retired]
    return live[0] if len(live) == 1 else None


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
