"""The synthetic corpus behind the demo models (scripts/demo_corpus.py).

The demo models, the sample articles and the glossary's inflection tests all rely on this
generator, so its lexicon, grammar and held-out partition are checked here (no training).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scripts import demo_corpus
from service.glossary.korean import particle_for

REPO = Path(__file__).resolve().parent.parent


dc = demo_corpus
PH = re.compile(r"⟦\d⟧")

# The project's canonical renderings (the brief's table): English, variants, Korean, Russian nominative.
TABLE = {
    "kim-jong-un": ("Kim Jong-un", {"Kim Jong Un", "Kim Jong-Un"}, "김정은", "Ким Чен Ын"),
    "olga-lyubimova": ("Olga Lyubimova", set(), "올가 류비모바", "Ольга Любимова"),
    "alexander-matsegora": ("Alexander Matsegora", {"Alexandr Matsegora"}, "알렉산드르 마체고라", "Александр Мацегора"),
    "kim-ju-ae": ("Kim Ju-ae", {"Ju-ae", "Kim Ju Ae"}, "김주애", "Ким Чжу Э"),
    "sung-jong-gyu": ("Sung Jong-gyu", set(), "성정규", "Сон Чон Гю"),
    "vladimir-putin": ("Vladimir Putin", set(), "블라디미르 푸틴", "Владимир Путин"),
    "choe-son-hui": ("Choe Son-hui", set(), "최선희", "Чвэ Сон Хи"),
    "sergei-lavrov": ("Sergei Lavrov", set(), "세르게이 라브로프", "Сергей Лавров"),
    "pyongyang": ("Pyongyang", set(), "평양", "Пхеньян"),
    "moscow": ("Moscow", set(), "모스크바", "Москва"),
    "ukraine": ("Ukraine", set(), "우크라이나", "Украина"),
    "russia": ("Russia", set(), "러시아", "Россия"),
    "seoul": ("Seoul", set(), "서울", "Сеул"),
    "vladivostok": ("Vladivostok", set(), "블라디보스토크", "Владивосток"),
    "mansudae-assembly-hall": ("Mansudae Assembly Hall", set(), "만수대의사당", "Дворец собраний Мансудэ"),
    "dprk": ("DPRK", {"Democratic People's Republic of Korea"}, "조선민주주의인민공화국", "КНДР"),
    "north-korea": ("North Korea", set(), "북한", "Северная Корея"),
    "kcna": ("Korean Central News Agency", {"KCNA"}, "조선중앙통신", "Центральное телеграфное агентство Кореи"),
    "wpk": ("Workers' Party of Korea", {"Workers’ Party of Korea", "WPK"}, "조선로동당", "Трудовая партия Кореи"),
    "wpk-central-committee": ("Central Committee of the Workers' Party of Korea",
                              {"Central Committee of the Workers’ Party of Korea"}, "조선로동당 중앙위원회",
                              "Центральный комитет Трудовой партии Кореи"),
    "ministry-of-culture": ("Ministry of Culture", set(), "문화성", "Министерство культуры"),
    "kremlin": ("Kremlin", set(), "크렘린", "Кремль"),
    "united-nations": ("United Nations", set(), "유엔", "ООН"),
    "culture-minister": ("Culture Minister", {"Minister of Culture"}, "문화상", "министр культуры"),
    "russian-ambassador-to-north-korea": ("Russian Ambassador to North Korea", set(), "주조선 러시아 대사",
                                          "посол России в КНДР"),
    "foreign-minister": ("Foreign Minister", set(), "외무상", "министр иностранных дел"),
    "comprehensive-strategic-partnership-treaty": (
        "Comprehensive Strategic Partnership Treaty", set(), "포괄적인 전략적 동반자 관계에 관한 조약",
        "Договор о всеобъемлющем стратегическом партнёрстве"),
    "mutual-defence-pact": ("mutual defence pact", {"mutual defense pact"}, "상호방위조약", "договор о взаимной обороне"),
}

# Case forms the brief spells out (gen, dat, acc, ins, pre).
DECLENSIONS = {
    "kim-jong-un": ("Ким Чен Ына", "Ким Чен Ыну", "Ким Чен Ына", "Ким Чен Ыном", "Ким Чен Ыне"),
    "olga-lyubimova": ("Ольги Любимовой", "Ольге Любимовой", "Ольгу Любимову", "Ольгой Любимовой", "Ольге Любимовой"),
    "alexander-matsegora": ("Александра Мацегоры", "Александру Мацегоре", "Александра Мацегору",
                            "Александром Мацегорой", "Александре Мацегоре"),
    "mansudae-assembly-hall": ("Дворца собраний Мансудэ", "Дворцу собраний Мансудэ", "Дворец собраний Мансудэ",
                               "Дворцом собраний Мансудэ", "Дворце собраний Мансудэ"),
    "comprehensive-strategic-partnership-treaty": tuple(
        f"{head} о всеобъемлющем стратегическом партнёрстве"
        for head in ("Договора", "Договору", "Договор", "Договором", "Договоре")),
    "mutual-defence-pact": tuple(f"{head} о взаимной обороне"
                                 for head in ("договора", "договору", "договор", "договором", "договоре")),
}
INDECLINABLE = ("kim-ju-ae", "sung-jong-gyu", "choe-son-hui", "dprk", "united-nations")


@pytest.fixture(scope="module")
def sample():
    return list(dc.sentence_sets(3000, 11))


def test_lexicon_holds_the_canonical_renderings():
    for entity_id, (en, variants, ko, ru) in TABLE.items():
        e = dc.BY_ID[entity_id]
        assert (e.en, set(e.en_variants), e.ko, e.ru) == (en, variants, ko, ru), entity_id
        assert e.ru_forms["nom"] == e.ru
        assert set(e.ru_forms) == set(dc.CASES)
    assert dc.BY_ID["mansudae-assembly-hall"].ko_variants == ("만수대 의사당",)
    assert len({e.id for e in dc.LEXICON}) == len(dc.LEXICON)


def test_russian_case_forms_are_the_hand_written_ones():
    for entity_id, forms in DECLENSIONS.items():
        e = dc.BY_ID[entity_id]
        assert tuple(e.ru_forms[c] for c in ("gen", "dat", "acc", "ins", "pre")) == forms, entity_id
    for entity_id in INDECLINABLE:
        assert set(dc.BY_ID[entity_id].ru_forms.values()) == {dc.BY_ID[entity_id].ru}
    assert dc.BY_ID["olga-lyubimova"].gender == "f" and dc.BY_ID["kim-jong-un"].gender == "m"


def test_generation_is_deterministic_and_seeded():
    assert dc.generate("en", "ru", 200, 5) == dc.generate("en", "ru", 200, 5)
    assert dc.generate("en", "ru", 200, 5) != dc.generate("en", "ru", 200, 6)
    # One triple generator: the directions of one seed are views of the same sentences.
    en_ko, en_ru = dc.generate("en", "ko", 50, 3), dc.generate("en", "ru", 50, 3)
    assert [s for s, _ in en_ko] == [s for s, _ in en_ru]
    ko_en = dc.generate("ko", "en", 50, 3)
    assert [t for _, t in ko_en] == [s.canonical[0] for s in dc.sentence_sets(50, 3)]


def test_targets_use_canonical_spellings_sources_may_use_variants():
    pairs = dc.generate("en", "ko", 3000, 2)
    sources = " ".join(s for s, _ in pairs)
    assert "Kim Jong Un" in sources and "KCNA" in sources and "Kim Jong-un" in sources
    targets = " ".join(t for _, t in dc.generate("ko", "en", 3000, 2))
    for variant in ("Kim Jong Un", "Kim Jong-Un", "KCNA", "Alexandr Matsegora", "mutual defense pact"):
        assert variant not in targets
    assert "만수대 의사당" in " ".join(s for s, _ in dc.generate("ko", "en", 3000, 2))
    assert "만수대 의사당" not in " ".join(t for _, t in pairs)


def test_heldout_is_disjoint_from_training():
    training = list(dc.sentence_sets(30000, dc.TRAIN_SEED))
    for src, tgt in dc.DIRECTIONS:
        i = dc.LANGS.index(src)
        seen = {s.source[i] for s in training}
        held = dc.heldout(src, tgt, 300)
        assert len(held) == 300
        assert not seen & {s for s, _ in held}, f"{src}->{tgt} held-out source seen in training"
        assert not any(PH.search(s) for s, _ in held)
    assert dc.heldout("en", "ru", 50) == dc.heldout("en", "ru", 50)


def test_every_russian_case_appears_with_agreeing_verbs(sample):
    russian = "\n".join(s.canonical[2] for s in sample)
    for case in dc.CASES:
        # A form that belongs to this case only (e.g. "Ким Чен Ыну" is dative and nothing else).
        unique = [e.ru_forms[case] for e in dc.LEXICON
                  if list(e.ru_forms.values()).count(e.ru_forms[case]) == 1]
        assert any(form in russian for form in unique), case
    for phrase in ("с Ольгой Любимовой", "послание Ким Чен Ыну", "визит", "в Пхеньяне", "на Украине",
                   "во Владивостоке", "во Дворце собраний Мансудэ", "на Украину", "об Украине"):
        assert phrase.lower() in russian.lower(), phrase
    assert "Ольга Любимова посетила" in russian and "Ким Чен Ын посетил" in russian
    assert "Ольга Любимова посетил " not in russian and "Ким Чен Ын посетила" not in russian


def test_every_korean_particle_agrees_with_the_word_before_it(sample):
    korean = [s.canonical[1] for s in sample]
    seen: set[str] = set()
    names = sorted((e.ko for e in dc.LEXICON), key=len, reverse=True)
    particles = ("으로", "에서", "은", "는", "이", "가", "을", "를", "와", "과", "로", "의")
    for sentence in korean:
        for name in names:
            for match in re.finditer(re.escape(name) + "(" + "|".join(particles) + ")", sentence):
                particle = match.group(1)
                assert particle_for(name, particle) == particle, (name, particle, sentence)
                seen.add(particle)
    assert set(particles) <= seen


def test_placeholders_share_indices_across_languages(sample):
    with_ph = [s for s in sample if s.placeholders]
    assert 0.10 <= len(with_ph) / len(sample) <= 0.20
    assert any(s.placeholders == 2 for s in with_ph)
    for s in with_ph:
        marks = [sorted(PH.findall(text)) for text in s.canonical]
        assert marks[0] == marks[1] == marks[2] and marks[0][0] == "⟦0⟧"
    plain = [s for s in sample if not s.placeholders]
    assert not any(PH.search(text) for s in plain for text in s.canonical)


def test_bad_directions_and_sizes_are_refused():
    with pytest.raises(ValueError, match="unsupported direction"):
        dc.generate("ko", "ru", 10, 1)
    with pytest.raises(ValueError):
        dc.generate("en", "ko", -1, 1)
    with pytest.raises(ValueError, match="does not fit"):
        dc.compose("visited", "moscow", "russia", (2024, 6, 19))


def test_compose_gives_exact_sentences():
    en, ko, ru = dc.compose("visited", "kim-jong-un", "russia", (2024, 6, 19))
    assert en == "Kim Jong-un visited Russia on June 19, 2024."
    assert ko == "김정은은 2024년 6월 19일 러시아를 방문했다."
    assert ru == "Ким Чен Ын посетил Россию 19 июня 2024 года."


def test_sample_articles_are_generated_text(tmp_path):
    # The committed samples are exactly what the generator writes (so the demo models know them).
    written = dc.write_samples(tmp_path)
    for path in written:
        committed = REPO / "samples" / "articles" / path.relative_to(tmp_path)
        assert committed.read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), committed
    text = (REPO / "samples/articles/en/kim-visit.txt").read_text(encoding="utf-8")
    paragraphs = text.strip().split("\n\n")
    assert len(paragraphs) == 3 and 6 <= text.count(".") <= 9
