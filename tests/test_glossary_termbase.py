"""The shipped glossary files: valid gettext, byte-stable under polib, the canonical content."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from service.errors import ConceptNotFoundError, GlossaryError
from service.glossary.termbase import POT_NAME, WRAP_WIDTH, Termbase, rendering_from_entry

GLOSSARY_FILES = ["glossary.pot", "en.po", "ko.po", "ru.po"]

# The fixed canonical table (the demo models are trained on exactly these renderings).
CANONICAL = [
    ("person", "Kim Jong-un", "김정은", "Ким Чен Ын"),
    ("person", "Olga Lyubimova", "올가 류비모바", "Ольга Любимова"),
    ("person", "Alexander Matsegora", "알렉산드르 마체고라", "Александр Мацегора"),
    ("person", "Kim Ju-ae", "김주애", "Ким Чжу Э"),
    ("person", "Sung Jong-gyu", "성정규", "Сон Чон Гю"),
    ("person", "Vladimir Putin", "블라디미르 푸틴", "Владимир Путин"),
    ("person", "Choe Son-hui", "최선희", "Чвэ Сон Хи"),
    ("person", "Sergei Lavrov", "세르게이 라브로프", "Сергей Лавров"),
    ("place", "Pyongyang", "평양", "Пхеньян"),
    ("place", "Moscow", "모스크바", "Москва"),
    ("place", "Ukraine", "우크라이나", "Украина"),
    ("place", "Russia", "러시아", "Россия"),
    ("place", "Seoul", "서울", "Сеул"),
    ("place", "Vladivostok", "블라디보스토크", "Владивосток"),
    ("place", "Mansudae Assembly Hall", "만수대의사당", "Дворец собраний Мансудэ"),
    ("place", "DPRK", "조선민주주의인민공화국", "КНДР"),
    ("place", "North Korea", "북한", "Северная Корея"),
    ("organization", "Korean Central News Agency", "조선중앙통신", "Центральное телеграфное агентство Кореи"),
    ("organization", "Workers' Party of Korea", "조선로동당", "Трудовая партия Кореи"),
    ("organization", "Central Committee of the Workers' Party of Korea", "조선로동당 중앙위원회", "Центральный комитет Трудовой партии Кореи"),
    ("organization", "Ministry of Culture", "문화성", "Министерство культуры"),
    ("organization", "Kremlin", "크렘린", "Кремль"),
    ("organization", "United Nations", "유엔", "ООН"),
    ("title", "Culture Minister", "문화상", "министр культуры"),
    ("title", "Russian Ambassador to North Korea", "주조선 러시아 대사", "посол России в КНДР"),
    ("title", "Foreign Minister", "외무상", "министр иностранных дел"),
    ("document", "Comprehensive Strategic Partnership Treaty", "포괄적인 전략적 동반자 관계에 관한 조약", "Договор о всеобъемлющем стратегическом партнёрстве"),
    ("document", "mutual defence pact", "상호방위조약", "договор о взаимной обороне"),
]


@pytest.fixture(scope="module")
def termbase(repo_root: Path) -> Termbase:
    return Termbase.load(repo_root / "glossaries")


@pytest.mark.parametrize("name", GLOSSARY_FILES)
def test_msgfmt_check_passes(repo_root: Path, name: str) -> None:
    if shutil.which("msgfmt") is None:
        pytest.skip("msgfmt (GNU gettext) is not installed: apt-get install gettext to run this check")
    result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(repo_root / "glossaries" / name)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("name", GLOSSARY_FILES)
def test_polib_round_trips_byte_for_byte(repo_root: Path, tmp_path: Path, name: str) -> None:
    source = repo_root / "glossaries" / name
    po = polib.pofile(str(source), wrapwidth=WRAP_WIDTH)
    po.save(str(tmp_path / name))
    assert (tmp_path / name).read_bytes() == source.read_bytes()


@pytest.mark.parametrize("category,msgid,ko,ru", CANONICAL)
def test_canonical_renderings(termbase: Termbase, category: str, msgid: str, ko: str, ru: str) -> None:
    concept = termbase.get(msgid, category)
    assert concept.renderings["ko"].text == ko
    assert concept.renderings["ru"].text == ru
    assert concept.note, "every concept carries a note with its source"


def test_content_size_notes_and_categories(termbase: Termbase) -> None:
    concepts = termbase.concepts()
    assert len(concepts) >= len(CANONICAL) + 60
    assert all("Source:" in c.note for c in concepts)
    assert {c.category for c in concepts} >= {"person", "place", "organization", "title", "document"}
    assert all(set(c.renderings) >= {"en", "ko", "ru"} for c in concepts)


def test_variants_gender_and_indeclinable_from_comments(termbase: Termbase) -> None:
    kim = termbase.get("Kim Jong-un")
    assert kim.renderings["en"].variants == ("Kim Jong Un", "Kim Jong-Un")
    assert kim.renderings["ru"].gender == "m"
    ju_ae = termbase.get("Kim Ju-ae")
    assert ju_ae.renderings["ru"].indeclinable and ju_ae.renderings["ko"].variants == ("주애",)
    assert termbase.get("Mansudae Assembly Hall").renderings["ko"].variants == ("만수대 의사당",)
    tumen = termbase.get("Tumen River").renderings["ru"]
    assert tumen.forms["gen.sg"] == "реки Туманной"


def test_get_errors(termbase: Termbase) -> None:
    with pytest.raises(ConceptNotFoundError):
        termbase.get("Atlantis")
    with pytest.raises(ConceptNotFoundError):
        termbase.get("Pyongyang", "person")
    assert termbase.get("kim jong-un").msgid == "Kim Jong-un"  # case-insensitive fallback


def test_structured_comment_errors_are_one_line() -> None:
    entry = polib.POEntry(msgid="X", msgstr="Икс", tcomment="gender: x")
    with pytest.raises(GlossaryError, match="gender must be"):
        rendering_from_entry(entry, where="ru.po 'X'")
    entry = polib.POEntry(msgid="X", msgstr="Икс", tcomment="form: abl = Иксом")
    with pytest.raises(GlossaryError, match="bad form key"):
        rendering_from_entry(entry)
    entry = polib.POEntry(msgid="X", msgstr="Икс", tcomment="a free note\nvariant: Иксы\nform: ins.pl = Иксами")
    r = rendering_from_entry(entry)
    assert (r.variants, r.forms, r.comment) == (("Иксы",), {"ins.pl": "Иксами"}, "a free note")


def test_obsolete_entries_are_retired_concepts(tmp_path: Path, repo_root: Path) -> None:
    for name in GLOSSARY_FILES:
        shutil.copy(repo_root / "glossaries" / name, tmp_path / name)
    pot = polib.pofile(str(tmp_path / POT_NAME))
    pot.find("Seoul", msgctxt="place").obsolete = True
    pot.save()
    ru = polib.pofile(str(tmp_path / "ru.po"))
    ru.find("Seoul", msgctxt="place").obsolete = True
    ru.save()
    tb = Termbase.load(tmp_path)
    assert "Seoul" not in [c.msgid for c in tb.concepts()]
    retired = tb.get("Seoul", "place", include_retired=True)
    assert retired.retired and retired.renderings["ru"].text == "Сеул"
    assert tb.version != Termbase.load(repo_root / "glossaries").version
