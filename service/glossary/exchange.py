"""Import and export: PO/POT, two-column CSV/TSV (the DeepL / Amazon Translate shape) and TBX.

Imports return plain ``Concept`` lists; the store merges them. Exports return text.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from pathlib import Path

import polib

from service.errors import InputError
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
        po = polib.pofile(text)
    except (OSError, ValueError) as exc:
        raise InputError(f"not a valid PO file: {exc}") from None
    file_lang = lang or (po.metadata.get("Language") or "").strip() or None
    is_template = file_lang is None and all(not e.msgstr for e in po if e.msgid)
    out = []
    for entry in po:
        if not entry.msgid or entry.obsolete:
            continue
        category = entry.msgctxt or default_category
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

    With source ``en`` each row is a concept (msgid = column 1). With another source the row is
    attached to the existing concept whose rendering in that language is column 1.
    """
    rows = [row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if any(cell.strip() for cell in row)]
    if rows and [c.strip().lower() for c in rows[0][:2]] in ([source, target], ["source", "target"]):
        rows = rows[1:]
    out = []
    for number, row in enumerate(rows, 1):
        if len(row) != 2:
            raise InputError(f"row {number} has {len(row)} columns; a glossary table has exactly two (source, target)")
        src, tgt = row[0].strip(), row[1].strip()
        if not src or not tgt:
            raise InputError(f"row {number} has an empty cell")
        if source == "en":
            # A term the glossary already has keeps its category; new ones get ``category``.
            known = [c for c in termbase.concepts() if c.msgid == src] if termbase else []
            own_category = known[0].category if len(known) == 1 else category
            out.append(Concept(msgid=src, category=own_category, renderings={target: Rendering(text=tgt)}))
            continue
        concept = _find_by_rendering(termbase, source, src) if termbase else None
        if concept is None:
            raise InputError(
                f"row {number}: no concept has the {source} rendering {src!r}",
                hint="import with English as the source column to create new concepts",
            )
        out.append(Concept(msgid=concept.msgid, category=concept.category, renderings={target: Rendering(text=tgt)}))
    return out


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
    if fmt not in ("csv", "tsv"):
        raise InputError(f"unknown glossary format {fmt!r}", hint="po, csv, tsv or tbx")
    if lang is None or lang == source:
        raise InputError(f"a {fmt.upper()} import needs the language of its second column, "
                         f"different from the first ({source})")
    return import_table(text, delimiter="," if fmt == "csv" else "\t", source=source, target=lang,
                        category=category, termbase=termbase)


def _find_by_rendering(termbase: Termbase, lang: str, text: str) -> Concept | None:
    for concept in termbase.concepts():
        rendering = concept.rendering(lang)
        if rendering is not None and text in rendering.surfaces():
            return concept
    return None


def export_table(termbase: Termbase, *, delimiter: str, source: str, target: str) -> str:
    """One row per concept with both renderings, fuzzy ones left out (DeepL takes no header)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    for concept in termbase.concepts():
        src, tgt = concept.rendering(source), concept.rendering(target)
        if src and tgt and not src.fuzzy and not tgt.fuzzy:
            if delimiter == "\t" and ("\t" in src.text or "\t" in tgt.text):
                continue
            writer.writerow([src.text, tgt.text])
    return buffer.getvalue()


# --- TBX ----------------------------------------------------------------------------------------


def export_tbx(termbase: Termbase) -> str:
    """TBX-Basic (ISO 30042, martif dialect): one termEntry per concept, one langSet per language,
    the rendering as the preferred term and variants as admitted terms."""
    martif = ET.Element("martif", {"type": "TBX-Basic", _XML_LANG: "en"})
    header = ET.SubElement(martif, "martifHeader")
    file_desc = ET.SubElement(header, "fileDesc")
    ET.SubElement(ET.SubElement(file_desc, "sourceDesc"), "p").text = "Glossa glossary export"
    body = ET.SubElement(ET.SubElement(martif, "text"), "body")
    for number, concept in enumerate(termbase.concepts(), 1):
        entry = ET.SubElement(body, "termEntry", {"id": f"c{number}"})
        ET.SubElement(entry, "descrip", {"type": "subjectField"}).text = concept.category
        if concept.note:
            ET.SubElement(entry, "descrip", {"type": "definition"}).text = concept.note
        for lang in LANGUAGES:
            rendering = concept.rendering(lang)
            if rendering is None:
                continue
            lang_set = ET.SubElement(entry, "langSet", {_XML_LANG: lang})
            for index, text in enumerate(rendering.surfaces()):
                tig = ET.SubElement(lang_set, "tig")
                ET.SubElement(tig, "term").text = text
                status = "preferredTerm-admn-sts" if index == 0 else "admittedTerm-admn-sts"
                if index == 0 and rendering.fuzzy:
                    status = "proposedTerm-admn-sts"
                ET.SubElement(tig, "termNote", {"type": "administrativeStatus"}).text = status
                if index == 0 and rendering.gender:
                    ET.SubElement(tig, "termNote", {"type": "grammaticalGender"}).text = {
                        "m": "masculine", "f": "feminine", "n": "neuter"
                    }[rendering.gender]
    ET.indent(martif)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(martif, encoding="unicode") + "\n"


def import_tbx(text: str, *, default_category: str = "term") -> list[Concept]:
    """TBX-Basic (termEntry/langSet/tig) and TBX v3 (conceptEntry/langSec/termSec) alike.

    The English preferred term becomes the msgid; concepts without English are refused.
    """
    if "<!ENTITY" in text:
        raise InputError("TBX files with entity declarations are refused (entity expansion is unsafe)")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise InputError(f"not valid TBX/XML: {exc}") from None
    out = []
    entries = [e for e in root.iter() if _local(e.tag) in ("termEntry", "conceptEntry")]
    for index, entry in enumerate(entries, 1):
        category, note = default_category, ""
        renderings: dict[str, Rendering] = {}
        for child in entry:
            tag = _local(child.tag)
            if tag == "descrip" and child.get("type") == "subjectField" and (child.text or "").strip():
                category = (child.text or "").strip()
            elif tag == "descrip" and child.get("type") == "definition":
                note = (child.text or "").strip()
            elif tag in ("langSet", "langSec"):
                lang = (child.get(_XML_LANG) or child.get("lang") or "").split("-")[0].lower()
                terms: list[str] = []
                fuzzy, gender = False, None
                for holder in child:
                    if _local(holder.tag) not in ("tig", "termSec", "ntig"):
                        continue
                    term = next((t for t in holder.iter() if _local(t.tag) == "term"), None)
                    if term is None or not (term.text or "").strip():
                        continue
                    notes = {n.get("type"): (n.text or "").strip() for n in holder.iter() if _local(n.tag) == "termNote"}
                    status = notes.get("administrativeStatus", "")
                    text_ = (term.text or "").strip()
                    if status.startswith("preferredTerm") or status.startswith("proposedTerm"):
                        terms.insert(0, text_)
                        fuzzy = status.startswith("proposedTerm")
                        gender = {"masculine": "m", "feminine": "f", "neuter": "n"}.get(notes.get("grammaticalGender", ""))
                    elif not status.startswith("deprecatedTerm"):
                        terms.append(text_)
                if lang and terms:
                    renderings[lang] = Rendering(text=terms[0], variants=tuple(terms[1:]), fuzzy=fuzzy, gender=gender)
        english = renderings.pop("en", None)
        if english is None:
            raise InputError(f"TBX entry {index} has no English term; Glossa keys concepts by their English term")
        if english.variants:
            renderings["en"] = english
        out.append(Concept(msgid=english.text, category=category, note=note, renderings=renderings))
    return out


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
