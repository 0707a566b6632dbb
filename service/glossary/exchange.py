"""Import and export: PO/POT, two-column CSV/TSV (the DeepL / Amazon Translate shape), DeepL's
four-column multilingual CSV, Google's equivalent-term-set CSV, and TBX (TBX-Basic 2008 "martif"
or TBX v3).

Imports return plain ``Concept`` lists; the store merges them, matching existing concepts by
their canonical term whatever the category the file gives (a concept whose category the file
leaves open has category ``""``). Exports return text; they keep variants (PO comments, TBX
admitted terms, extra table rows mapping a source variant to the same target).
"""

from __future__ import annotations

import csv
import hashlib
import io
import xml.etree.ElementTree as ET
from pathlib import Path

import polib

from service.errors import InputError
from service.glossary.pofile import _reason, parse_po_text
from service.glossary.termbase import (
    LANGUAGES,
    Concept,
    Rendering,
    Termbase,
    apply_rendering,
    new_pofile,
    po_text,
    rendering_from_entry,
)

FORMATS = ("po", "csv", "tsv", "tbx")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def guess_format(path: Path) -> str:
    suffix = path.suffix.lower().lstrip(".")
    if suffix in ("po", "pot"):
        return "po"
    if suffix in FORMATS:
        return suffix
    raise InputError(f"cannot tell the format of {path.name}", hint="pass --format po|csv|tsv|tbx")


# --- PO -----------------------------------------------------------------------------------------


def import_po(text: str, *, lang: str | None = None, default_category: str = "term") -> list[Concept]:
    """A POT gives concepts; a PO gives one language's renderings (language from its header
    unless ``lang`` is given)."""
    try:
        po = parse_po_text(text)  # the uploaded text itself, never a file it might name
    except (OSError, ValueError) as exc:
        raise InputError(f"not a valid PO file: {_reason(exc)}") from None
    file_lang = lang or (po.metadata.get("Language") or "").strip() or None
    is_template = file_lang is None and all(not e.msgstr for e in po if e.msgid)
    out = []
    for entry in po:
        if not entry.msgid or entry.obsolete:
            continue
        category = entry.msgctxt or ""  # none given: the store keeps the known concept's
        renderings: dict[str, Rendering] = {}
        if not is_template:
            if file_lang is None:
                raise InputError("the PO file names no Language in its header", hint="pass --lang")
            if entry.msgstr:
                renderings[file_lang] = rendering_from_entry(entry, where=f"import {entry.msgid!r}")
        out.append(Concept(msgid=entry.msgid, category=category, note=entry.comment or "", renderings=renderings))
    return out


def export_po(termbase: Termbase, lang: str | None) -> str:
    """The POT (lang None) or one language's PO, as the glossary directory would hold it."""
    po = new_pofile(lang)
    for concept in termbase.concepts():
        entry = polib.POEntry(msgctxt=concept.category, msgid=concept.msgid, msgstr="")
        if lang is None:
            entry.comment = concept.note
        else:
            rendering = concept.rendering(lang)
            if rendering is not None:
                apply_rendering(entry, rendering)
        po.append(entry)
    return po_text(po)


# --- CSV / TSV ----------------------------------------------------------------------------------


def import_table(text: str, *, delimiter: str, source: str, target: str, category: str, termbase: Termbase | None) -> list[Concept]:
    """Two columns: source term, target term (a header row naming the languages is skipped).

    With source ``en`` each row is a concept (msgid = column 1, or the concept it is an English
    variant of). With another source the row is attached to the existing concept whose
    rendering in that language is column 1. TSV is read as plain tab-separated lines (no
    quoting), CSV with CSV quoting.
    """
    rows = _rows(text, delimiter)
    if rows and [c.strip().lower() for c in rows[0][:2]] in ([source, target], ["source", "target"]):
        rows = rows[1:]
    out = []
    made: dict[tuple[str, str], str] = {}
    for number, row in enumerate(rows, 1):
        if len(row) != 2:
            raise InputError(f"row {number} has {len(row)} columns; a glossary table has exactly two (source, target)")
        src, tgt = row[0].strip(), row[1].strip()
        if not src or not tgt:
            raise InputError(f"row {number} has an empty cell")
        out.append(_pair_concept(termbase, number, source, src, target, tgt, made))
    return out


def _rows(text: str, delimiter: str) -> list[list[str]]:
    if delimiter == "\t":
        lines = text.splitlines()
        return [line.split("\t") for line in lines if line.strip()]
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if any(cell.strip() for cell in row)]


def _pair_concept(termbase: Termbase | None, number: int, source: str, src: str, target: str, tgt: str,
                  made: dict[tuple[str, str], str]) -> Concept:
    """The concept one (source term, target term) row speaks of, with the target rendering.
    ``made``: (target language, target term) -> the term of the concept an earlier row of the
    same file made; a later English term with the same target is that concept's variant (how
    exports write variants)."""
    if source == "en":
        known = _find_by_rendering(termbase, "en", src) if termbase else None
        earlier = made.get((target, tgt))
        if known is None and earlier is not None and earlier != src:
            return Concept(msgid=earlier, category="", renderings={"en": Rendering(text=earlier, variants=(src,))})
        msgid = known.msgid if known is not None else src
        made.setdefault((target, tgt), msgid)
        if target == "en":
            return Concept(msgid=msgid, category="")
        return Concept(msgid=msgid, category="", renderings={target: Rendering(text=tgt)})
    concept = _find_by_rendering(termbase, source, src) if termbase else None
    if concept is None:
        if target == "en":  # the English column names the concept
            return Concept(msgid=tgt, category="", renderings={source: Rendering(text=src)})
        raise InputError(
            f"row {number}: no concept has the {source} rendering {src!r}",
            hint="import with English as the source column to create new concepts",
        )
    return Concept(msgid=concept.msgid, category=concept.category, renderings={target: Rendering(text=tgt)})


def import_multilingual(text: str, fmt: str, *, termbase: Termbase | None) -> list[Concept]:
    """DeepL's multilingual CSV (``source,target,source_lang,target_lang`` per row) or Google's
    equivalent-term-set CSV (a header row of language codes, optional ``pos`` and
    ``description`` columns, one concept per row)."""
    rows = _rows(text, ",")
    out: list[Concept] = []
    made: dict[tuple[str, str], str] = {}
    if fmt == "deepl-csv":
        for number, row in enumerate(rows, 1):
            if len(row) != 4:
                raise InputError(f"row {number} has {len(row)} columns; DeepL's multilingual CSV has four "
                                 "(source term, target term, source language, target language)")
            src, tgt = row[0].strip(), row[1].strip()
            src_lang, tgt_lang = _lang_code(row[2], number), _lang_code(row[3], number)
            if not src or not tgt:
                raise InputError(f"row {number} has an empty term")
            if src_lang == tgt_lang:
                raise InputError(f"row {number}: source and target language are both {src_lang}")
            out.append(_pair_concept(termbase, number, src_lang, src, tgt_lang, tgt, made))
        return out
    if not rows:
        return out
    header = [cell.strip().lower() for cell in rows[0]]
    columns: dict[int, str] = {}
    for index, name in enumerate(header):
        if name in ("pos", "description", ""):
            continue
        columns[index] = _lang_code(name, 1)
    if "en" not in columns.values():
        raise InputError("the equivalent-term-set CSV has no English (en) column; Glossa keys concepts by their English term")
    described = header.index("description") if "description" in header else None
    for number, row in enumerate(rows[1:], 2):
        cells = {lang: (row[i].strip() if i < len(row) else "") for i, lang in columns.items()}
        if not cells.get("en"):
            raise InputError(f"row {number} has no English term")
        known = _find_by_rendering(termbase, "en", cells["en"]) if termbase else None
        note = row[described].strip() if described is not None and described < len(row) else ""
        renderings = {lang: Rendering(text=t) for lang, t in cells.items() if t and lang != "en"}
        out.append(Concept(msgid=known.msgid if known else cells["en"], category="", note=note, renderings=renderings))
    return out


def _lang_code(value: str, number: int) -> str:
    code = value.strip().lower().replace("_", "-").split("-")[0]
    if code not in LANGUAGES:
        raise InputError(f"row {number}: language {value.strip()!r} is not one of {', '.join(LANGUAGES)}")
    return code


def read_concepts(text: str, fmt: str, *, lang: str | None, source: str, category: str,
                  termbase: Termbase | None) -> list[Concept]:
    """Concepts from an imported file of any supported format (the CLI and HTTP share this).

    ``lang``: for PO, the language of the msgstrs (None: the file's Language header); for
    CSV/TSV, the language of the second column, which must differ from ``source``.
    ``termbase`` (tables only) lets a row find the concept its source term already names.
    """
    if fmt == "po":
        return import_po(text, lang=lang, default_category=category)
    if fmt == "tbx":
        return import_tbx(text, default_category=category)
    if fmt in ("deepl-csv", "google-csv"):
        return import_multilingual(text, fmt, termbase=termbase)
    if fmt not in ("csv", "tsv"):
        raise InputError(f"unknown glossary format {fmt!r}", hint="po, csv, tsv, tbx, deepl-csv or google-csv")
    if lang is None or lang == source:
        raise InputError(f"a {fmt.upper()} import needs the language of its second column, "
                         f"different from the first ({source})")
    return import_table(text, delimiter="," if fmt == "csv" else "\t", source=source, target=lang,
                        category=category, termbase=termbase)


def _find_by_rendering(termbase: Termbase | None, lang: str, text: str) -> Concept | None:
    """The live concept whose ``lang`` rendering or variant is ``text`` (an index built once per
    termbase and language, so a 20,000-row import stays linear)."""
    if termbase is None:
        return None
    indexes = _INDEXES.get(id(termbase))
    if indexes is None or indexes[0] is not termbase:
        indexes = (termbase, {})
        _INDEXES.clear()  # one import at a time keeps its index; nothing accumulates
        _INDEXES[id(termbase)] = indexes
    index = indexes[1].get(lang)
    if index is None:
        index = indexes[1][lang] = {}
        for concept in termbase.concepts():
            rendering = concept.rendering(lang)
            if rendering is not None:
                for surface in rendering.surfaces():
                    index.setdefault(surface, concept)
    return index.get(text)


_INDEXES: dict[int, tuple[Termbase, dict[str, dict[str, Concept]]]] = {}


def export_table(termbase: Termbase, *, delimiter: str, source: str, target: str) -> str:
    """One row per concept with both renderings, then one per source variant (to the same
    target), fuzzy ones left out; no header (DeepL takes none). TSV is plain tab-separated text
    (no quoting: terms never hold tabs or line breaks)."""
    rows = [[src, tgt] for src, tgt, _ in _pairs(termbase, source, target)]
    if delimiter == "\t":
        return "".join(f"{src}\t{tgt}\n" for src, tgt in rows)
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def _pairs(termbase: Termbase, source: str, target: str) -> list[tuple[str, str, Concept]]:
    pairs = []
    for concept in termbase.concepts():
        src, tgt = concept.rendering(source), concept.rendering(target)
        if src and tgt and not src.fuzzy and not tgt.fuzzy:
            pairs += [(surface, tgt.text, concept) for surface in src.surfaces()]
    return pairs


def export_multilingual(termbase: Termbase, fmt: str) -> str:
    """DeepL's multilingual CSV (English to each language, variants as extra rows) or Google's
    equivalent-term-set CSV (header ``en,ko,ru,description``; one concept per row)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if fmt == "deepl-csv":
        for target in LANGUAGES:
            if target != "en":
                writer.writerows([src, tgt, "en", target] for src, tgt, _ in _pairs(termbase, "en", target))
        return buffer.getvalue()
    writer.writerow([*LANGUAGES, "description"])
    for concept in termbase.concepts():
        cells = []
        for lang in LANGUAGES:
            rendering = concept.rendering(lang)
            cells.append(rendering.text if rendering is not None and not rendering.fuzzy else "")
        writer.writerow([*cells, concept.note])
    return buffer.getvalue()


# --- TBX ----------------------------------------------------------------------------------------


# TBX-Basic's administrativeStatus values. It has no "proposed": a proposed (fuzzy) rendering is
# an admitted term carrying the note PROPOSED_NOTE, which the import reads back as fuzzy.
PREFERRED, ADMITTED, DEPRECATED = "preferredTerm-admn-sts", "admittedTerm-admn-sts", "deprecatedTerm-admn-sts"
TBX_STATUSES = (PREFERRED, ADMITTED, DEPRECATED, "supersededTerm-admn-sts")
PROPOSED_NOTE = "proposed: not enforced"
TBX3_NAMESPACE = "urn:iso:std:iso:30042:ed-2"
_TBX3_MODELS = (
    '<?xml-model href="https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/'
    'TBXcoreStructV03_TBX-Basic_integrated.rng" type="application/xml" '
    'schematypens="http://relaxng.org/ns/structure/1.0"?>\n'
    '<?xml-model href="https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/'
    'TBX-Basic_DCA.sch" type="application/xml" schematypens="http://purl.oclc.org/dsdl/schematron"?>\n'
)
_GENDERS = {"m": "masculine", "f": "feminine", "n": "neuter"}


def entry_id(concept: Concept) -> str:
    """A concept's TBX id: derived from its category and term, so it never changes meaning when
    other concepts come or go (an XML id: starts with a letter)."""
    return "c" + hashlib.sha256(f"{concept.category}\x1f{concept.msgid}".encode()).hexdigest()[:16]


def export_tbx(termbase: Termbase, *, version: int = 2) -> str:
    """TBX-Basic: the 2008 ``martif`` dialect (version 2, what most CAT tools read) or TBX v3
    (``tbx`` root, DCA style, ISO 30042:2019). One entry per concept with a stable id, one
    language section per language, the rendering as the preferred term and variants as admitted
    terms."""
    v3 = version == 3
    names = {"root": "tbx" if v3 else "martif", "header": "tbxHeader" if v3 else "martifHeader",
             "entry": "conceptEntry" if v3 else "termEntry", "lang": "langSec" if v3 else "langSet",
             "term": "termSec" if v3 else "tig"}
    attrs = {"type": "TBX-Basic", _XML_LANG: "en"}
    if v3:
        attrs = {"type": "TBX-Basic", "style": "dca", _XML_LANG: "en", "xmlns": TBX3_NAMESPACE}
    root = ET.Element(names["root"], attrs)
    file_desc = ET.SubElement(ET.SubElement(root, names["header"]), "fileDesc")
    ET.SubElement(ET.SubElement(file_desc, "sourceDesc"), "p").text = "Glossa glossary export"
    body = ET.SubElement(ET.SubElement(root, "text"), "body")
    for concept in termbase.concepts():
        entry = ET.SubElement(body, names["entry"], {"id": entry_id(concept)})
        ET.SubElement(entry, "descrip", {"type": "subjectField"}).text = concept.category
        if concept.note:
            ET.SubElement(entry, "descrip", {"type": "definition"}).text = concept.note
        for lang in LANGUAGES:
            rendering = concept.rendering(lang)
            if rendering is None:
                continue
            lang_set = ET.SubElement(entry, names["lang"], {_XML_LANG: lang})
            for index, text in enumerate(rendering.surfaces()):
                holder = ET.SubElement(lang_set, names["term"])
                ET.SubElement(holder, "term").text = text
                primary = index == 0
                status = PREFERRED if primary and not rendering.fuzzy else ADMITTED
                ET.SubElement(holder, "termNote", {"type": "administrativeStatus"}).text = status
                if primary and rendering.gender:
                    ET.SubElement(holder, "termNote", {"type": "grammaticalGender"}).text = _GENDERS[rendering.gender]
                if primary and rendering.fuzzy:
                    ET.SubElement(holder, "note").text = PROPOSED_NOTE
    ET.indent(root)
    text = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + (_TBX3_MODELS if v3 else "") + text + "\n"


def import_tbx(text: str, *, default_category: str = "term") -> list[Concept]:
    """TBX-Basic (termEntry/langSet/tig) and TBX v3 (conceptEntry/langSec/termSec) alike.

    The English preferred term becomes the msgid; concepts without English are refused. An
    entry without a subject field keeps the category of the concept its term already names.
    """
    if "<!ENTITY" in text or "<!DOCTYPE" in text and "[" in text.split("<!DOCTYPE", 1)[1].split(">", 1)[0]:
        raise InputError("TBX files with entity declarations are refused (entity expansion is unsafe)")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise InputError(f"not valid TBX/XML: {exc}") from None
    out = []
    entries = [e for e in root.iter() if _local(e.tag) in ("termEntry", "conceptEntry")]
    for index, entry in enumerate(entries, 1):
        category, note = "", ""
        renderings: dict[str, Rendering] = {}
        for child in entry:
            tag = _local(child.tag)
            if tag == "descrip" and child.get("type") == "subjectField" and (child.text or "").strip():
                category = (child.text or "").strip()
            elif tag == "descrip" and child.get("type") == "definition":
                note = (child.text or "").strip()
            elif tag in ("langSet", "langSec"):
                lang = (child.get(_XML_LANG) or child.get("lang") or "").split("-")[0].lower()
                rendering = _tbx_rendering(child)
                if lang and rendering is not None:
                    renderings[lang] = rendering
        english = renderings.pop("en", None)
        if english is None:
            raise InputError(f"TBX entry {index} has no English term; Glossa keys concepts by their English term")
        if english.variants:
            renderings["en"] = english
        out.append(Concept(msgid=english.text, category=category, note=note, renderings=renderings))
    return out


def _tbx_rendering(lang_set: ET.Element) -> Rendering | None:
    terms: list[tuple[str, str, bool, str | None]] = []  # text, status, proposed, gender
    for holder in lang_set:
        if _local(holder.tag) not in ("tig", "termSec", "ntig"):
            continue
        term = next((t for t in holder.iter() if _local(t.tag) == "term"), None)
        if term is None or not (term.text or "").strip():
            continue
        notes = {n.get("type"): (n.text or "").strip() for n in holder.iter() if _local(n.tag) == "termNote"}
        status = notes.get("administrativeStatus", "")
        proposed = status.startswith("proposedTerm") or any(
            _local(n.tag) == "note" and (n.text or "").strip() == PROPOSED_NOTE for n in holder.iter())
        if status.startswith(("deprecatedTerm", "supersededTerm")):
            continue
        gender = {"masculine": "m", "feminine": "f", "neuter": "n"}.get(notes.get("grammaticalGender", ""))
        terms.append(((term.text or "").strip(), status, proposed, gender))
    if not terms:
        return None
    primary = next((t for t in terms if t[1].startswith("preferredTerm")), None)
    primary = primary or next((t for t in terms if t[2]), None) or terms[0]
    variants = tuple(t[0] for t in terms if t is not primary)
    return Rendering(text=primary[0], variants=variants, fuzzy=primary[2], gender=primary[3])


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
