"""Exchange formats (issue 16 item 4) through the real CLI, read back with translate-toolkit (an
independent PO/TBX implementation) where it knows the format:

* an import matches existing concepts by their English term whatever the msgctxt: a PO without
  msgctxt (what po2csv -> csv2po gives) adds nothing and `check` stays clean; a category change
  is reported, never a second concept;
* TBX-Basic: administrativeStatus values TBX-Basic allows, entry ids derived from the concept
  (stable when other concepts are retired), proposed renderings survive a round trip; TBX v3;
* DeepL's multilingual CSV and Google's equivalent-term-set CSV round trip into an empty
  glossary; exports keep variants; TSV is written without CSV quoting.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import polib
from translate.storage import po as tt_po
from translate.storage import tbx as tt_tbx

from service.glossary.exchange import TBX3_NAMESPACE, TBX_STATUSES, entry_id
from service.glossary.termbase import Termbase

REPO = Path(__file__).resolve().parent.parent


def glossa(gdir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "service", "glossary", "--dir", str(gdir), *args],
                          capture_output=True, text=True, cwd=REPO, timeout=120)


def export(gdir: Path, *args: str) -> str:
    result = glossa(gdir, "export", *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_po_without_msgctxt_matches_by_term(gdir: Path, tmp_path: Path) -> None:
    before = Termbase.load(gdir)
    text = export(gdir, "-f", "po", "-l", "ru")
    # An independent reader agrees with the export.
    units = [u for u in tt_po.pofile.parsestring(text.encode()).units if not u.isheader()]
    assert {(u.getcontext(), u.source) for u in units} == {(c.category, c.msgid) for c in before.concepts()}
    stripped = polib.pofile(text)
    for entry in stripped:
        entry.msgctxt = None
    path = tmp_path / "ru-no-context.po"
    path.write_text(str(stripped), encoding="utf-8")
    report = json.loads(glossa(gdir, "import", str(path), "--json").stdout)
    assert report["added"] == [] and report["recategorised"] == []
    after = Termbase.load(gdir)
    assert len(after.concepts()) == len(before.concepts())
    assert glossa(gdir, "check").returncode == 0

    # A file that says another category for a known term: reported, the concept kept.
    moved = polib.pofile(text)
    moved.find("Seoul", msgctxt="place").msgctxt = "person"
    path.write_text(str(moved), encoding="utf-8")
    result = glossa(gdir, "import", str(path), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert any(line.startswith("Seoul: kept category place") for line in report["recategorised"])
    assert [c.category for c in Termbase.load(gdir).concepts() if c.msgid == "Seoul"] == ["place"]


def test_tbx_basic_statuses_stable_ids_and_proposed_round_trip(gdir: Path, tmp_path: Path) -> None:
    assert glossa(gdir, "update", "Seoul", "--fuzzy", "ko").returncode == 0
    text = export(gdir, "-f", "tbx")
    root = ET.fromstring(text)
    statuses = {n.text for n in root.iter("termNote") if n.get("type") == "administrativeStatus"}
    assert statuses <= set(TBX_STATUSES) and "preferredTerm-admn-sts" in statuses
    termbase = Termbase.load(gdir)
    ids = {e.get("id") for e in root.iter("termEntry")}
    assert ids == {entry_id(c) for c in termbase.concepts()}
    # translate-toolkit reads the file: one unit per concept, with the English term as source.
    units = tt_tbx.tbxfile.parsestring(text.encode()).units
    assert len(units) == len(termbase.concepts())
    assert {u.source for u in units} == {c.msgid for c in termbase.concepts()}
    # Retiring a concept leaves every other id as it was.
    assert glossa(gdir, "remove", "Moscow").returncode == 0
    again = ET.fromstring(export(gdir, "-f", "tbx"))
    assert {e.get("id") for e in again.iter("termEntry")} == ids - {entry_id(termbase.get("Moscow"))}
    # Into an empty glossary and back: renderings, variants, proposed marks and notes survive.
    tbx = tmp_path / "all.tbx"
    tbx.write_text(text, encoding="utf-8")
    fresh = tmp_path / "fresh"
    assert glossa(fresh, "import", str(tbx)).returncode == 0
    copy = Termbase.load(fresh)
    for concept in termbase.concepts():
        twin = copy.get(concept.msgid, concept.category)
        assert twin.note == concept.note
        for lang in ("ko", "ru"):
            mine, theirs = concept.renderings.get(lang), twin.renderings.get(lang)
            assert (mine.text, mine.variants, mine.fuzzy) == (theirs.text, theirs.variants, theirs.fuzzy)
    assert copy.get("Seoul").renderings["ko"].fuzzy


def test_tbx_v3(gdir: Path, tmp_path: Path) -> None:
    text = export(gdir, "-f", "tbx3")
    assert "TBX-Basic_integrated.rng" in text  # the dialect's schemas are named for validators
    root = ET.fromstring(text)
    ns = f"{{{TBX3_NAMESPACE}}}"
    assert root.tag == f"{ns}tbx" and root.get("type") == "TBX-Basic" and root.get("style") == "dca"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert [c.tag for c in root] == [f"{ns}tbxHeader", f"{ns}text"]
    entries = list(root.iter(f"{ns}conceptEntry"))
    termbase = Termbase.load(gdir)
    assert len(entries) == len(termbase.concepts()) and len({e.get("id") for e in entries}) == len(entries)
    for entry in entries:  # TBX-Basic v3 structure: langSec > termSec > term, then termNotes
        lang_secs = entry.findall(f"{ns}langSec")
        assert lang_secs and all(s.get("{http://www.w3.org/XML/1998/namespace}lang") for s in lang_secs)
        for term_sec in (t for s in lang_secs for t in s):
            assert term_sec.tag == f"{ns}termSec" and term_sec[0].tag == f"{ns}term"
            for note in term_sec.findall(f"{ns}termNote"):
                if note.get("type") == "administrativeStatus":
                    assert note.text in TBX_STATUSES
    path = tmp_path / "v3.tbx"
    path.write_text(text, encoding="utf-8")
    fresh = tmp_path / "fresh"
    assert glossa(fresh, "import", str(path)).returncode == 0
    assert {(c.category, c.msgid) for c in Termbase.load(fresh).concepts()} == \
        {(c.category, c.msgid) for c in termbase.concepts()}


def test_deepl_and_google_csv_round_trip(gdir: Path, tmp_path: Path) -> None:
    termbase = Termbase.load(gdir)
    deepl = export(gdir, "-f", "deepl-csv")
    rows = list(csv.reader(io.StringIO(deepl)))
    assert all(len(r) == 4 for r in rows)
    assert ["Kim Jong-un", "Ким Чен Ын", "en", "ru"] in rows
    assert ["Kim Jong Un", "Ким Чен Ын", "en", "ru"] in rows  # an English variant kept as a row
    google = export(gdir, "-f", "google-csv")
    header, *body = list(csv.reader(io.StringIO(google)))
    assert header == ["en", "ko", "ru", "description"] and len(body) == len(termbase.concepts())
    for fmt, text in (("deepl-csv", deepl), ("google-csv", google)):
        path = tmp_path / f"{fmt}.csv"
        path.write_text(text, encoding="utf-8")
        fresh = tmp_path / fmt
        imported = glossa(fresh, "import", str(path), "-f", fmt, "--json")
        assert imported.returncode == 0, imported.stderr
        copy = Termbase.load(fresh)
        assert {c.msgid for c in copy.concepts()} == {c.msgid for c in termbase.concepts()}, fmt
        for concept in termbase.concepts():
            twin = copy.get(concept.msgid)
            for lang in ("ko", "ru"):
                mine = concept.renderings.get(lang)
                if mine is not None and not mine.fuzzy:
                    assert twin.renderings[lang].text == mine.text, (fmt, concept.msgid)
        if fmt == "deepl-csv":
            assert "Kim Jong Un" in copy.get("Kim Jong-un").renderings["en"].variants
        else:
            assert copy.get("Kim Jong-un").note == termbase.get("Kim Jong-un").note


def test_tables_keep_variants_and_tsv_is_not_quoted(gdir: Path) -> None:
    added = glossa(gdir, "add", 'Ri "Il" Hwan, Jr', "-c", "person", "--ru", 'Ри "Ир" Хван', "--ko", "리일환")
    assert added.returncode == 0, added.stderr
    tsv = export(gdir, "-f", "tsv", "--target", "ru").splitlines()
    assert 'Ri "Il" Hwan, Jr\tРи "Ир" Хван' in tsv  # quotes and commas as they are
    assert "Kim Jong Un\tКим Чен Ын" in tsv  # the English variant as its own row
    csv_rows = list(csv.reader(io.StringIO(export(gdir, "-f", "csv", "--target", "ru"))))
    assert ['Ri "Il" Hwan, Jr', 'Ри "Ир" Хван'] in csv_rows
