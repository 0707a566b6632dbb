"""The termbase: concepts from ``glossary.pot`` and their renderings from ``<lang>.po``.

File format (see docs/glossary.md for the terminologist's version):

* ``glossary.pot``: one entry per concept. ``msgctxt`` = category, ``msgid`` = canonical English
  term, extracted comments (``#.``) = note and source.
* ``<lang>.po``: the same ``msgctxt``/``msgid`` with ``msgstr`` = the rendering in that language.
  Translator comments (``# ``) carry structured lines, one item per line::

      # variant: Kim Jong Un           another spelling recognised in source text
      # short: Lyubimova               a short form news uses after the full name (see
                                       service.glossary.mentions; "[anywhere]" after it: also
                                       without a full mention, e.g. Workers' Party)
      # gender: m                      m, f or n (Russian declension of names)
      # decline: no                    the rendering never changes form (КНДР, Ким Чжу Э)
      # form: gen = Ким Чен Ына        override one generated form (case[.number], number sg/pl)

  Any other translator comment line is kept as a free note. ``#, fuzzy`` = proposed, not
  enforced. Obsolete entries (``#~``) = retired concepts, kept for history.

This module only reads and converts; writing goes through ``service.glossary.store``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import polib

from service.errors import ConceptNotFoundError, GlossaryError
from service.glossary.pofile import _reason, parse_po_text, parse_tolerant, read_text
from service.languages import SUPPORTED_LANGUAGES

POT_NAME = "glossary.pot"
LANGUAGES: tuple[str, ...] = SUPPORTED_LANGUAGES
CATEGORIES: tuple[str, ...] = ("person", "place", "organization", "title", "document", "event", "term")
# polib's default; the files are written by polib so that reading and writing an unchanged file
# reproduces it byte for byte.
WRAP_WIDTH = 78

# Translator-comment keys that carry structured items; any other line is a free note. Writes
# refuse free comment lines that start with one of these (service.glossary.validate).
STRUCTURED_KEYS: tuple[str, ...] = ("variant", "short", "gender", "decline", "form")

CASES: tuple[str, ...] = ("nom", "gen", "dat", "acc", "ins", "pre")
NUMBERS: tuple[str, ...] = ("sg", "pl")
GENDERS: tuple[str, ...] = ("m", "f", "n")

_PLURAL_FORMS = {
    "en": "nplurals=2; plural=(n != 1);",
    "ko": "nplurals=1; plural=0;",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
}


@dataclass(frozen=True)
class Rendering:
    """How one concept is written in one language."""

    text: str
    variants: tuple[str, ...] = ()
    fuzzy: bool = False
    gender: str | None = None
    # "case.number" -> form, e.g. {"gen.sg": "Ким Чен Ына"}: explicit overrides of generated forms.
    forms: dict[str, str] = field(default_factory=dict)
    indeclinable: bool = False
    comment: str = ""  # free translator notes (lines that are not structured items)
    # Short forms as declared (`# short: Lyubimova`, `# short: Workers' Party [anywhere]`); read
    # them with ``split_short``.
    shorts: tuple[str, ...] = ()

    def surfaces(self) -> tuple[str, ...]:
        """The rendering and its variants, in that order, without duplicates."""
        seen: dict[str, None] = {}
        for item in (self.text, *self.variants):
            if item:
                seen.setdefault(item, None)
        return tuple(seen)


@dataclass(frozen=True)
class Concept:
    msgid: str
    category: str
    note: str = ""
    renderings: dict[str, Rendering] = field(default_factory=dict)
    retired: bool = False

    @property
    def key(self) -> tuple[str, str]:
        return (self.category, self.msgid)

    def rendering(self, lang: str) -> Rendering | None:
        """The rendering in ``lang``; English falls back to the canonical term itself."""
        found = self.renderings.get(lang)
        if found is None and lang == "en":
            return Rendering(text=self.msgid)
        return found


SHORT_ANYWHERE = "[anywhere]"


def split_short(value: str) -> tuple[str, bool]:
    """(short form, whether it is recognised without a full mention) of a ``short:`` value."""
    text = value.strip()
    if text.endswith(SHORT_ANYWHERE):
        return text[: -len(SHORT_ANYWHERE)].strip(), True
    return text, False


# --- PO entry <-> Rendering ---------------------------------------------------------------------


def parse_form_key(key: str) -> str:
    """Normalise ``gen`` / ``gen.pl`` / ``GEN.SG`` to ``case.number``; raise on anything else."""
    parts = key.strip().lower().split(".")
    case = parts[0]
    number = parts[1] if len(parts) > 1 else "sg"
    if len(parts) > 2 or case not in CASES or number not in NUMBERS:
        raise GlossaryError(
            f"bad form key {key!r}",
            hint=f"use CASE or CASE.NUMBER with CASE in {', '.join(CASES)} and NUMBER sg or pl",
        )
    return f"{case}.{number}"


def rendering_from_entry(entry: polib.POEntry, *, where: str = "") -> Rendering:
    variants: list[str] = []
    shorts: list[str] = []
    forms: dict[str, str] = {}
    gender: str | None = None
    indeclinable = False
    free: list[str] = []
    for line in (entry.tcomment or "").splitlines():
        key, sep, value = line.partition(":")
        key, value = key.strip().lower(), value.strip()
        if not sep or key not in STRUCTURED_KEYS:
            free.append(line)
            continue
        if key == "variant":
            if value:
                variants.append(value)
        elif key == "short":
            if split_short(value)[0]:
                shorts.append(value)
        elif key == "gender":
            if value.lower() not in GENDERS:
                raise GlossaryError(f"{where}: gender must be m, f or n, got {value!r}")
            gender = value.lower()
        elif key == "decline":
            if value.lower() not in ("yes", "no"):
                raise GlossaryError(f"{where}: decline must be yes or no, got {value!r}")
            indeclinable = value.lower() == "no"
        else:
            form_key, eq, form = value.partition("=")
            if not eq or not form.strip():
                raise GlossaryError(
                    f"{where}: bad form line {line!r}", hint="write it as `# form: gen = Ким Чен Ына`"
                )
            forms[parse_form_key(form_key)] = form.strip()
    return Rendering(
        text=entry.msgstr,
        variants=tuple(variants),
        fuzzy="fuzzy" in entry.flags,
        gender=gender,
        forms=forms,
        indeclinable=indeclinable,
        comment="\n".join(free),
        shorts=tuple(shorts),
    )


def rendering_comment(rendering: Rendering) -> str:
    """The translator-comment block that encodes ``rendering``'s structured items."""
    lines = [line for line in rendering.comment.splitlines() if line.strip()]
    lines += [f"variant: {v}" for v in rendering.variants]
    lines += [f"short: {v}" for v in rendering.shorts]
    if rendering.gender:
        lines.append(f"gender: {rendering.gender}")
    if rendering.indeclinable:
        lines.append("decline: no")
    lines += [f"form: {k} = {v}" for k, v in sorted(rendering.forms.items(), key=_form_order)]
    return "\n".join(lines)


def _form_order(item: tuple[str, str]) -> tuple[int, int]:
    case, _, number = item[0].partition(".")
    return (NUMBERS.index(number), CASES.index(case))


def apply_rendering(entry: polib.POEntry, rendering: Rendering) -> None:
    entry.msgstr = rendering.text
    entry.tcomment = rendering_comment(rendering)
    if rendering.fuzzy and "fuzzy" not in entry.flags:
        entry.flags.append("fuzzy")
    if not rendering.fuzzy and "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")


# --- files --------------------------------------------------------------------------------------


def new_pofile(lang: str | None) -> polib.POFile:
    """An empty POT (lang None) or PO file with a header that ``msgfmt --check`` accepts."""
    po = polib.POFile(wrapwidth=WRAP_WIDTH)
    po.header = "Glossa glossary: canonical English terms (concepts)." if lang is None else (
        f"Glossa glossary: {lang} renderings. See docs/glossary.md for the comment syntax."
    )
    po.metadata = {
        "Project-Id-Version": "glossa-glossary 1",
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": "2026-11-29 00:00+0000",
        "PO-Revision-Date": "2026-11-29 00:00+0000",
        "Last-Translator": "Glossa terminologists",
        "Language-Team": "Glossa",
        "Language": lang or "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    if lang is not None:
        po.metadata["Plural-Forms"] = _PLURAL_FORMS.get(lang, "nplurals=2; plural=(n != 1);")
    return po


def read_pofile(path: Path) -> polib.POFile:
    """Strict read (any syntax error raises); readers of a glossary folder use the tolerant one."""
    try:
        return parse_po_text(read_text(path))
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise GlossaryError(f"cannot read {path.name}: {_reason(exc)}") from None


def po_text(po: polib.POFile) -> str:
    """What polib writes for ``po`` (``POFile.save`` writes exactly this)."""
    return po.__unicode__()


def po_languages(directory: Path) -> list[str]:
    """Languages that have a PO file in ``directory`` (the known three first)."""
    found = sorted(p.stem for p in directory.glob("*.po"))
    return [lang for lang in LANGUAGES if lang in found] + [lang for lang in found if lang not in LANGUAGES]


class Termbase:
    """An immutable snapshot of a glossary directory."""

    def __init__(self, concepts: list[Concept], version: str, directory: Path | None = None,
                 problems: list[str] | None = None) -> None:
        self._concepts = concepts
        # Entries that could not be read and were skipped ("ru.po line 12: ..."): reported by
        # `glossary check` and as translation warnings, never fatal.
        self.problems: list[str] = list(problems or [])
        self._by_key = {c.key: c for c in concepts}
        self.version = version
        self.directory = directory

    @classmethod
    def load(cls, directory: Path) -> "Termbase":
        directory = Path(directory)
        pot_path = directory / POT_NAME
        if not pot_path.is_file():
            raise GlossaryError(f"no {POT_NAME} in the glossary folder {directory.name!r}",
                                hint="point --dir / GLOSSA_GLOSSARY_DIR at a glossary folder")
        texts = read_folder(directory)
        return cls.from_texts(texts, version=texts_version(texts), directory=directory)

    @classmethod
    def from_texts(cls, texts: dict[str | None, str], *, version: str = "", directory: Path | None = None) -> "Termbase":
        """From file texts (None = the POT), tolerantly: unreadable entries are skipped and listed
        in ``problems``."""
        files: dict[str | None, polib.POFile] = {}
        problems: list[str] = []
        for lang, text in texts.items():
            po, bad = parse_tolerant(text)
            files[lang] = po
            name = POT_NAME if lang is None else f"{lang}.po"
            problems += [f"{name} line {b.line}: entry skipped ({b.error})" for b in bad]
        termbase = cls.from_files(files, version=version, directory=directory)
        termbase.problems[:0] = problems
        return termbase

    @classmethod
    def from_files(cls, files: dict[str | None, polib.POFile], *, version: str = "", directory: Path | None = None) -> "Termbase":
        pot = files[None]
        per_lang: dict[str, dict[tuple[str, str], polib.POEntry]] = {}
        for lang, po in files.items():
            if lang is not None:
                per_lang[lang] = {(e.msgctxt or "", e.msgid): e for e in po if e.msgid}
        concepts: list[Concept] = []
        problems: list[str] = []
        for entry in pot:
            if not entry.msgid:
                continue
            key = (entry.msgctxt or "", entry.msgid)
            renderings: dict[str, Rendering] = {}
            for lang, entries in per_lang.items():
                found = entries.get(key)
                if found is not None and found.msgstr and (not found.obsolete or entry.obsolete):
                    try:
                        renderings[lang] = rendering_from_entry(found, where=f"{lang}.po {entry.msgid!r}")
                    except GlossaryError as exc:  # one bad entry is skipped, never fatal
                        problems.append(f"{exc} (rendering skipped)")
            concepts.append(
                Concept(
                    msgid=entry.msgid,
                    category=key[0],
                    # PO editors wrap long comments; the note is one paragraph (polib rewraps it
                    # to the same lines on write).
                    note=" ".join((entry.comment or "").split()),
                    renderings=renderings,
                    retired=entry.obsolete,
                )
            )
        return cls(concepts, version or _hash_files(files), directory, problems)

    def concepts(self, *, include_retired: bool = False) -> list[Concept]:
        return [c for c in self._concepts if include_retired or not c.retired]

    def get(self, msgid: str, category: str | None = None, *, include_retired: bool = False) -> Concept:
        if category is not None:
            found = self._by_key.get((category, msgid))
            if found is None or (found.retired and not include_retired):
                raise ConceptNotFoundError(f"no concept {msgid!r} in category {category!r}")
            return found
        matches = [c for c in self.concepts(include_retired=include_retired) if c.msgid == msgid]
        if not matches:
            folded = msgid.casefold()
            matches = [c for c in self.concepts(include_retired=include_retired) if c.msgid.casefold() == folded]
        if not matches:
            raise ConceptNotFoundError(f"no concept {msgid!r}", hint="`glossa glossary list --search` finds terms")
        if len(matches) > 1:
            cats = ", ".join(c.category for c in matches)
            raise GlossaryError(f"{msgid!r} exists in several categories ({cats})", hint="pass --category")
        return matches[0]

    def __len__(self) -> int:
        return len(self.concepts())


def read_folder(directory: Path) -> dict[str | None, str]:
    """The texts of a glossary folder's files (None = the POT), as one consistent version: an
    interrupted multi-file write is completed from its journal (see ``service.glossary.journal``)."""
    from service.glossary.journal import read_consistent

    return read_consistent(directory, [None, *po_languages(directory)])


def texts_version(texts: dict[str | None, str]) -> str:
    """``files_version`` of a folder holding exactly these texts."""
    digest = hashlib.sha256()
    for name, text in sorted((POT_NAME if lang is None else f"{lang}.po", text) for lang, text in texts.items()):
        digest.update(name.encode())
        digest.update(text.encode("utf-8"))
    return digest.hexdigest()[:16]


def files_version(directory: Path) -> str:
    """Hash of the glossary files' bytes: changes exactly when their content changes."""
    digest = hashlib.sha256()
    for path in sorted(directory.glob("*.po*")):
        if path.suffix in (".po", ".pot"):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _hash_files(files: dict[str | None, polib.POFile]) -> str:
    digest = hashlib.sha256()
    for lang in sorted(files, key=lambda x: x or ""):
        digest.update(po_text(files[lang]).encode())
    return digest.hexdigest()[:16]
