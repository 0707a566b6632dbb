"""`glossa glossary` run as a real subprocess on a copy of the shipped PO files."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import polib

from service.glossary.termbase import Termbase

REPO = Path(__file__).resolve().parent.parent


def glossa(gdir: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "service", "glossary", "--dir", str(gdir), *args],
                          input=stdin, capture_output=True, text=True, cwd=REPO, timeout=120)


def test_match_prints_matches_in_all_formats(gdir: Path) -> None:
    text = "Переговоры Ким Чен Ына с Ольгой Любимовой прошли в Москве."
    result = glossa(gdir, "match", "--lang", "ru", "--jsonl", stdin=text)
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["term"], r["category"], r["surface"]) for r in rows] == [
        ("Kim Jong-un", "person", "Ким Чен Ына"),
        ("Olga Lyubimova", "person", "Ольгой Любимовой"),
        ("Moscow", "place", "Москве"),
    ]
    assert text[rows[1]["start"]:rows[1]["end"]] == "Ольгой Любимовой"
    article = gdir.parent / "article.txt"
    article.write_text("조선중앙통신은 평양에서 김정은 위원장이 푸틴 대통령과 만났다고 보도했다.", encoding="utf-8")
    result = glossa(gdir, "match", str(article), "--json")  # language guessed from the script
    data = json.loads(result.stdout)
    assert [(m["term"], m["particle"]) for m in data] == [
        ("Korean Central News Agency", "은"), ("Pyongyang", "에서"), ("Kim Jong-un", ""), ("Vladimir Putin", ""),
    ]
    human = glossa(gdir, "match", "-l", "en", stdin="Kim Jong Un sung; Sung Jong-gyu spoke.")
    assert "Kim Jong Un  ->  Kim Jong-un [person]" in human.stdout and "Sung Jong-gyu  ->" in human.stdout
    assert human.stdout.count("->") == 2


def test_match_refuses_bad_input(gdir: Path) -> None:
    result = glossa(gdir, "match", "--lang", "en", stdin="   \n")
    assert result.returncode == 2 and "glossa: error:" in result.stderr and "Traceback" not in result.stderr
    result = glossa(gdir, "match", str(gdir / "missing.txt"))
    assert result.returncode == 2 and "no such file" in result.stderr


def test_list_show_stats_missing(gdir: Path) -> None:
    listed = json.loads(glossa(gdir, "list", "--category", "person", "--json").stdout)
    assert {"Kim Jong-un", "Olga Lyubimova"} <= {c["term"] for c in listed}
    assert all(c["category"] == "person" for c in listed)
    found = json.loads(glossa(gdir, "list", "--search", "мансудэ", "--json").stdout)
    assert [c["term"] for c in found] == ["Mansudae Assembly Hall"]
    shown = json.loads(glossa(gdir, "show", "Olga Lyubimova", "--json").stdout)
    assert shown["russian_forms"]["ins.sg"] == "Ольгой Любимовой"
    stats = json.loads(glossa(gdir, "stats", "--json").stdout)
    assert stats["concepts"] >= 88 and stats["languages"]["ru"]["missing"] == 0
    assert json.loads(glossa(gdir, "missing", "--json").stdout) == []
    unknown = glossa(gdir, "show", "Atlantis")
    assert unknown.returncode == 1 and "no concept 'Atlantis'" in unknown.stderr


def test_add_update_remove_and_missing(gdir: Path) -> None:
    added = glossa(gdir, "add", "Pak Jong-chon", "-c", "person", "--ko", "박정천", "--ru", "Пак Чон Чхон",
                   "--gender", "m", "--variant", "en:Pak Jong Chon", "--fuzzy", "ru",
                   "--note", "Secretary of the WPK Central Committee. Source: KCNA.")
    assert added.returncode == 0, added.stderr
    missing = json.loads(glossa(gdir, "missing", "--json").stdout)
    assert missing == [{"term": "Pak Jong-chon", "category": "person", "lang": "ru", "status": "fuzzy", "proposed": "Пак Чон Чхон"}]
    # A proposed (fuzzy) Russian rendering is not recognised...
    assert glossa(gdir, "match", "-l", "ru", "--json", stdin="Пак Чон Чхона").stdout.strip() == "[]"
    updated = glossa(gdir, "update", "Pak Jong-chon", "--approve", "ru", "--variant", "ru:Пак Чжон Чхон",
                     "--form", "ins=Пак Чон Чхоном")
    assert updated.returncode == 0, updated.stderr
    # ... an approved one is, in any case form.
    rows = json.loads(glossa(gdir, "match", "-l", "ru", "--json", stdin="встреча с Пак Чон Чхоном").stdout)
    assert [(r["term"], r["forms"]) for r in rows] == [("Pak Jong-chon", ["ins.sg"])]
    ru = polib.pofile(str(gdir / "ru.po")).find("Pak Jong-chon", msgctxt="person")
    assert ru.tcomment == "variant: Пак Чжон Чхон\ngender: m\nform: ins.sg = Пак Чон Чхоном" and "fuzzy" not in ru.flags
    assert glossa(gdir, "add", "Pak Jong-chon", "-c", "person").returncode == 1  # already there
    assert glossa(gdir, "remove", "Pak Jong-chon").returncode == 0
    assert glossa(gdir, "show", "Pak Jong-chon").returncode == 0  # retired concepts are still shown
    assert "Pak Jong-chon" not in glossa(gdir, "list").stdout
    bad = glossa(gdir, "add", "Thing", "-c", "term", "--variant", "xx:oops")
    assert bad.returncode == 2 and "LANG:TEXT" in bad.stderr
    assert glossa(gdir, "check").returncode == 0


def test_check_reports_errors_with_exit_code(gdir: Path) -> None:
    ok = glossa(gdir, "check")
    assert ok.returncode == 0, ok.stdout
    # Two concepts claiming one spelling, and a rendering recognition cannot find again.
    ru = polib.pofile(str(gdir / "ru.po"))
    ru.find("Seoul", msgctxt="place").tcomment = "variant: Пхеньян"
    ru.find("Moscow", msgctxt="place").msgstr = "   "
    ru.save()
    result = glossa(gdir, "check", "--json")
    assert result.returncode == 1
    codes = {(i["code"], i["severity"]) for i in json.loads(result.stdout)}
    assert ("shared_variant", "error") in codes and ("spaces", "error") in codes
    # A PO file that is not valid gettext at all.
    (gdir / "ko.po").write_text((gdir / "ko.po").read_text(encoding="utf-8") + '\nmsgid "dangling"\n', encoding="utf-8")
    broken = glossa(gdir, "check")
    assert broken.returncode == 1 and "error:" in broken.stdout


def test_check_strict_fails_on_untranslated(gdir: Path) -> None:
    glossa(gdir, "add", "Ri Pyong-chol", "-c", "person", "--ko", "리병철", "--note", "Source: KCNA.")
    assert glossa(gdir, "check").returncode == 0
    strict = glossa(gdir, "check", "--strict")
    assert strict.returncode == 1 and "untranslated" in strict.stdout


def test_export_import_csv_tsv_tbx_po(gdir: Path, tmp_path: Path) -> None:
    csv_text = glossa(gdir, "export", "-f", "csv", "--target", "ru").stdout
    rows = list(csv.reader(io.StringIO(csv_text)))
    assert ["Kim Jong-un", "Ким Чен Ын"] in rows and all(len(r) == 2 for r in rows)
    tsv_text = glossa(gdir, "export", "-f", "tsv", "--source", "ko", "--target", "ru").stdout
    assert "김정은\tКим Чен Ын" in tsv_text.splitlines()

    # TBX out of one glossary and into an empty one gives the same concepts back.
    tbx = tmp_path / "all.tbx"
    assert glossa(gdir, "export", "-f", "tbx", "-o", str(tbx)).returncode == 0
    fresh = tmp_path / "fresh"
    imported = glossa(fresh, "import", str(tbx), "--json")
    assert imported.returncode == 0, imported.stderr
    original, copy = Termbase.load(gdir), Termbase.load(fresh)
    assert len(json.loads(imported.stdout)["added"]) == len(original.concepts())
    for concept in original.concepts():
        twin = copy.get(concept.msgid, concept.category)
        for lang in ("ko", "ru"):
            assert twin.renderings[lang].text == concept.renderings[lang].text
            assert twin.renderings[lang].variants == concept.renderings[lang].variants
        assert twin.note == concept.note
    assert glossa(fresh, "check").returncode == 0

    # A DeepL-style two-column file: one new concept, one changed rendering.
    table = tmp_path / "deepl.csv"
    table.write_text("Pak Jong-chon,Пак Чон Чхон\nSeoul,Сеул (город)\n", encoding="utf-8")
    dry = json.loads(glossa(gdir, "import", str(table), "--target", "ru", "-c", "person", "--dry-run", "--json").stdout)
    assert dry["added"] == ["Pak Jong-chon"] and dry["updated"] == ["Seoul"]
    assert "Pak Jong-chon" not in (gdir / "ru.po").read_text(encoding="utf-8")
    assert glossa(gdir, "import", str(table), "--target", "ru", "-c", "person", "--keep-existing").returncode == 0
    seoul = Termbase.load(gdir).get("Seoul").renderings["ru"]
    assert seoul.text == "Сеул" and "Сеул (город)" in seoul.variants

    # PO export of one language imports back unchanged.
    po_file = tmp_path / "ru-export.po"
    glossa(gdir, "export", "-f", "po", "-l", "ru", "-o", str(po_file))
    again = json.loads(glossa(gdir, "import", str(po_file), "--json").stdout)
    assert again["added"] == [] and again["updated"] == []
    bad = tmp_path / "bad.csv"
    bad.write_text("one,two,three\n", encoding="utf-8")
    refused = glossa(gdir, "import", str(bad), "--target", "ru")
    assert refused.returncode == 2 and "exactly two" in refused.stderr


def test_suggest_finds_unknown_names(gdir: Path, tmp_path: Path) -> None:
    articles = []
    for i in range(3):
        path = tmp_path / f"a{i}.txt"
        path.write_text(
            f"Kim Jong Un met Pak Jong Chon in Pyongyang on day {i}. Officials of the Ministry of "
            f"Railways attended. Ким Чен Ын принял Пака Чон Чхона, затем Пак Чон Чхон выступил в "
            f"Министерстве железных дорог. 박정천 비서가 평양에서 철도성 간부들과 만났다.\n",
            encoding="utf-8")
        articles.append(str(path))
    result = glossa(gdir, "suggest", *articles, "--json")
    assert result.returncode == 0, result.stderr
    got = {(s["lang"], s["text"]) for s in json.loads(result.stdout)}
    assert ("en", "Pak Jong Chon") in got and ("en", "Ministry of Railways") in got
    assert ("ko", "박정천") in got and ("ko", "철도성") in got
    assert any(lang == "ru" and "Чон Чхон" in text for lang, text in got)
    # Terms the glossary already has are never suggested.
    assert not any("Kim Jong" in text or "Ким Чен" in text or text in ("Pyongyang", "평양") for _, text in got)


def test_help_texts_teach(gdir: Path) -> None:
    top = glossa(gdir, "--help").stdout
    for command in ("list", "show", "add", "update", "remove", "check", "import", "export", "stats", "missing", "suggest", "match"):
        assert command in top
    assert "docs/glossary.md" in top
    assert "CASE[.NUM]=TEXT" in glossa(gdir, "add", "--help").stdout


def test_shipped_glossary_passes_its_own_check(repo_root: Path) -> None:
    # What CI guards: the curated termbase stays valid (PO syntax, duplicates, renderings that
    # recognition finds again) with every change.
    proc = glossa(repo_root / "glossaries", "check")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 error(s)" in proc.stdout + proc.stderr
