"""DeepL-compatible glossaries (issue 16 item 2), driven by the official ``deepl`` client library
unchanged (``server_url`` pointed at a real Glossa server on 127.0.0.1, real demo models):
v2 glossaries (create from a dict and from CSV, list, get, entries, delete, language pairs), v3
multilingual glossaries through ``deepl.DeepLClient`` (dictionaries created, merged, replaced,
deleted), translation with ``glossary=`` enforcing an entry the demo models never saw in the
Russian case its context needs (and in Korean with the particle its position needs), and
DeepL's error shapes for bad entries, pairs, ids and keys.

Expected forms come from Glossa's own machinery (``russian_forms``, ``korean.attach``), never typed in;
that the glossary made the difference is checked against the same sentence translated without it.
"""

from __future__ import annotations

import deepl
import httpx
import pytest
from deepl.api_data import MultilingualGlossaryDictionaryEntries as Dictionary
from deepl.util import convert_tsv_to_dict

from service.glossary import korean
from service.glossary.russian import russian_forms
from service.glossary.termbase import Rendering
from support.server import glossary_copy, install_packages, running_server, settings_for

ADMIN, DESK = "admin-key", "desk-key"
PAK = {"Pak Jong-chon": "Пак Чон Чхон"}  # a person the demo models never saw (see test_glossary_enforce)


@pytest.fixture(scope="module")
def service(demo_models_dir, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("api-deepl-glossaries")
    packages = install_packages(sorted(demo_models_dir.glob("*.argosmodel")), tmp / "packages")
    keys = tmp / "keys.txt"
    keys.write_text(f"{ADMIN}\n{DESK} glossaries=desk   # may change only the glossary 'desk'\n", encoding="utf-8")
    glossary = glossary_copy(tmp / "glossary")
    with running_server(settings_for(packages, glossary, api_keys_file=keys)) as url:
        yield url, glossary


@pytest.fixture
def translator(service):
    client = deepl.Translator(ADMIN, server_url=service[0], send_platform_info=False)
    yield client
    client.close()


@pytest.fixture
def client(service):
    client = deepl.DeepLClient(ADMIN, server_url=service[0], send_platform_info=False)
    yield client
    client.close()


def form(text: str, case: str, category: str = "person") -> str:
    """The Russian case form Glossa generates for a rendering (what enforcement must write)."""
    return russian_forms(Rendering(text), category)[(case, "sg")]


def folders(glossary) -> set[str]:
    named = glossary / "named"
    return {p.name for p in named.iterdir() if not p.name.startswith(".")} if named.is_dir() else set()


def test_v2_glossary_lifecycle(service, translator) -> None:
    url, glossary = service
    pairs = {(p.source_lang.upper(), p.target_lang.upper()) for p in translator.get_glossary_languages()}
    assert pairs == {("EN", "KO"), ("EN", "RU"), ("KO", "EN"), ("RU", "EN")}
    entries = {**PAK, "Samara": "Самара"}
    info = translator.create_glossary("Desk names", source_lang="EN", target_lang="RU", entries=entries)
    assert (info.name, info.source_lang, info.target_lang, info.entry_count, info.ready) == \
        ("Desk names", "EN", "RU", 2, True)
    assert info.creation_time.tzinfo is not None
    got = translator.get_glossary(info.glossary_id)
    assert (got.glossary_id, got.name, got.entry_count, got.creation_time) == \
        (info.glossary_id, info.name, 2, info.creation_time)
    assert info.glossary_id in {g.glossary_id for g in translator.list_glossaries()}
    assert translator.get_glossary_entries(info) == entries
    raw = httpx.get(f"{url}/v2/glossaries/{info.glossary_id}/entries")
    assert raw.headers["content-type"].startswith("text/tab-separated-values")

    # It is a named Glossa glossary: /v1 shows its concepts, keyed by the English term.
    assert info.glossary_id in folders(glossary)
    concepts = httpx.get(f"{url}/v1/glossaries/{info.glossary_id}/concepts").json()["items"]
    by_term = {c["term"]: c for c in concepts}
    assert {t: c["renderings"]["ru"]["text"] for t, c in by_term.items()} == entries
    assert by_term["Pak Jong-chon"]["category"] == "person"  # a Korean name's shape: declines as one

    # From DeepL's CSV, the other direction: the English column names the concept.
    # Two Russian terms for one English one: one concept, the second a recognised variant.
    csv = translator.create_glossary_from_csv("From CSV", "RU", "EN",
                                              "Самара,Samara\nПхеньян,Pyongyang,ru,en\n\"Пхёньян\",Pyongyang\n")
    assert (csv.source_lang, csv.target_lang, csv.entry_count) == ("RU", "EN", 3)
    assert translator.get_glossary_entries(csv) == {"Самара": "Samara", "Пхеньян": "Pyongyang", "Пхёньян": "Pyongyang"}
    pyongyang = httpx.get(f"{url}/v1/glossaries/{csv.glossary_id}/concepts/Pyongyang").json()
    assert pyongyang["renderings"]["ru"]["text"] == "Пхеньян" and pyongyang["renderings"]["ru"]["variants"] == ["Пхёньян"]

    for made in (info, csv):
        translator.delete_glossary(made)
        with pytest.raises(deepl.GlossaryNotFoundException):
            translator.get_glossary(made.glossary_id)
        assert made.glossary_id not in folders(glossary)
    with pytest.raises(deepl.GlossaryNotFoundException):
        translator.delete_glossary(info.glossary_id)


def test_translate_enforces_an_unseen_entry_in_the_case_its_context_needs(translator) -> None:
    info = translator.create_glossary("Unseen", "EN", "RU", {**PAK, "Samara": "Самара"})
    try:
        cases = [("Sergei Lavrov received Pak Jong-chon in China.", "acc", PAK["Pak Jong-chon"], "person"),
                 ("Kim Jong-un spoke about Pak Jong-chon.", "pre", PAK["Pak Jong-chon"], "person"),
                 ("The Culture Minister left for Samara.", "acc", "Самара", "term")]
        for sentence, case, rendering, category in cases:
            wanted = form(rendering, case, category)
            assert wanted != rendering  # a case other than the nominative
            result = translator.translate_text(sentence, source_lang="EN", target_lang="RU", glossary=info)
            assert wanted in result.text, (sentence, result.text)
            plain = translator.translate_text(sentence, source_lang="EN", target_lang="RU")
            assert wanted not in plain.text  # the demo model alone does not know it
        # The id as a string works too, and the house glossary still applies to its own terms.
        raw = httpx.post(f"{translator.server_url}/v2/translate", json={
            "text": ["Kim Jong-un spoke about Pak Jong-chon."], "source_lang": "EN", "target_lang": "RU",
            "glossary_id": info.glossary_id}).json()["translations"][0]
        terms = {t["concept"]: t for t in raw["glossa"]["terms"]}
        assert terms["Pak Jong-chon"]["status"] == "applied"
        assert terms["Pak Jong-chon"]["rendering"] == form(PAK["Pak Jong-chon"], "pre")
        assert "Kim Jong-un" in terms  # from the house glossary
        only = httpx.post(f"{translator.server_url}/v2/translate", json={
            "text": ["Kim Jong-un spoke about Pak Jong-chon."], "source_lang": "EN", "target_lang": "RU",
            "glossary_id": info.glossary_id, "glossa_house_glossary": False}).json()["translations"][0]
        assert {t["concept"] for t in only["glossa"]["terms"]} == {"Pak Jong-chon"}
    finally:
        translator.delete_glossary(info)


def test_korean_entries_take_the_particle_their_position_needs(translator) -> None:
    # 리일수 ends in a vowel: the model's 은/과 after a consonant-final name must become 는/와.
    info = translator.create_glossary("Korean", "EN", "KO", {"Ri Il-hwan": "리일수"})
    try:
        for sentence, particle in (("Ri Il-hwan visited Pyongyang.", "은"),
                                   ("Kim Jong-un met with Ri Il-hwan in Pyongyang.", "과")):
            wanted = korean.attach("리일수", particle)
            assert wanted != "리일수" + particle
            result = translator.translate_text(sentence, source_lang="EN", target_lang="KO", glossary=info)
            assert wanted in result.text, (sentence, result.text)
            assert "리일수" not in translator.translate_text(sentence, source_lang="EN", target_lang="KO").text
    finally:
        translator.delete_glossary(info)


def test_glossary_id_may_name_a_named_glossary_made_with_v1(service, translator) -> None:
    url, _ = service
    admin = {"Authorization": f"Bearer {ADMIN}"}
    assert httpx.post(f"{url}/v1/glossaries", json={"name": "desk"}, headers=admin).status_code == 201
    try:
        added = httpx.post(f"{url}/v1/glossaries/desk/concepts", headers=admin, json={
            "term": "Pak Jong-chon", "category": "person", "renderings": {"ru": {"text": PAK["Pak Jong-chon"]}}})
        assert added.status_code == 201, added.text
        result = translator.translate_text("Kim Jong-un spoke about Pak Jong-chon.", source_lang="EN",
                                           target_lang="RU", glossary="desk")
        assert form(PAK["Pak Jong-chon"], "pre") in result.text
        # It is not a DeepL glossary (no language pairs of its own): the glossary endpoints do not list it.
        assert "desk" not in {g.glossary_id for g in translator.list_glossaries()}
        with pytest.raises(deepl.GlossaryNotFoundException):
            translator.get_glossary("desk")
    finally:
        assert httpx.delete(f"{url}/v1/glossaries/desk", headers=admin).status_code == 204


def test_v3_multilingual_glossaries_and_the_pivot(service, client) -> None:
    url, _ = service
    glossary = client.create_multilingual_glossary("Desk v3", [
        Dictionary("EN", "RU", PAK), Dictionary("EN", "KO", {"Pak Jong-chon": "박정천"})])
    try:
        assert {(d.source_lang, d.target_lang, d.entry_count) for d in glossary.dictionaries} == \
            {("EN", "RU", 1), ("EN", "KO", 1)}
        assert glossary.glossary_id in {g.glossary_id for g in client.list_multilingual_glossaries()}
        assert client.get_multilingual_glossary(glossary.glossary_id).name == "Desk v3"
        # v2 sees only glossaries of one pair.
        assert glossary.glossary_id not in {g.glossary_id for g in client.list_glossaries()}
        with pytest.raises(deepl.DeepLException, match="v3"):
            client.get_glossary(glossary.glossary_id)
        got = client.get_multilingual_glossary_entries(glossary, "EN", "KO").dictionaries[0]
        assert convert_tsv_to_dict(got.entries) == {"Pak Jong-chon": "박정천"}

        # EN→KO: the entry comes out with the particle its position needs, which the model alone never writes.
        sentence = "Pak Jong-chon visited Pyongyang."
        korean = client.translate_text(sentence, source_lang="EN", target_lang="KO", glossary=glossary)
        assert "박정천" in korean.text and "박정천" not in client.translate_text(sentence, target_lang="KO").text
        raw = httpx.post(f"{url}/v2/translate", json={"text": [sentence], "source_lang": "EN", "target_lang": "KO",
                                                      "glossary_id": glossary.glossary_id}).json()["translations"][0]
        pak = next(t for t in raw["glossa"]["terms"] if t["concept"] == "Pak Jong-chon")
        assert pak["status"] == "applied" and pak["rendering"].startswith("박정천")
        # KO→RU: no dictionary of that pair, but both languages: the pivot through English.
        result = client.translate_text("김정은은 평양에서 박정천과 만났다.", source_lang="KO", target_lang="RU",
                                       glossary=glossary.glossary_id)
        assert form(PAK["Pak Jong-chon"], "ins") in result.text, result.text
        with pytest.raises(deepl.DeepLException, match="no RU→EN dictionary"):
            client.translate_text("Пак Чон Чхон посетил Пхеньян.", source_lang="RU", target_lang="EN-GB",
                                  glossary=glossary.glossary_id)

        merged = client.update_multilingual_glossary_dictionary(glossary, Dictionary("EN", "RU", {"Samara": "Самара"}))
        assert {(d.source_lang, d.target_lang): d.entry_count for d in merged.dictionaries}[("EN", "RU")] == 2
        renamed = client.update_multilingual_glossary_name(glossary, "Desk v3 renamed")
        assert renamed.name == "Desk v3 renamed" and renamed.creation_time == glossary.creation_time
        replaced = client.replace_multilingual_glossary_dictionary(glossary, Dictionary("EN", "RU", {"Samara": "Самара"}))
        assert (replaced.source_lang, replaced.target_lang, replaced.entry_count) == ("EN", "RU", 1)
        got = client.get_multilingual_glossary_entries(glossary, "EN", "RU").dictionaries[0]
        assert convert_tsv_to_dict(got.entries) == {"Samara": "Самара"}
        added = client.update_multilingual_glossary_dictionary(glossary, Dictionary("RU", "EN", {"Москва": "Moscow"}))
        assert ("RU", "EN") in {(d.source_lang, d.target_lang) for d in added.dictionaries}

        client.delete_multilingual_glossary_dictionary(glossary, source_lang="EN", target_lang="KO")
        left = client.get_multilingual_glossary(glossary.glossary_id)
        assert {(d.source_lang, d.target_lang) for d in left.dictionaries} == {("EN", "RU"), ("RU", "EN")}
        with pytest.raises(deepl.DeepLException):
            client.get_multilingual_glossary_entries(glossary, "EN", "KO")
        with pytest.raises(deepl.GlossaryNotFoundException):
            client.delete_multilingual_glossary_dictionary(glossary, source_lang="EN", target_lang="KO")

        # The dictionaries of one glossary share its concepts: RU→EN's entry is EN→RU's too.
        before = convert_tsv_to_dict(client.get_multilingual_glossary_entries(glossary, "EN", "RU").dictionaries[0].entries)
        assert before == {"Samara": "Самара", "Moscow": "Москва"}
        # A change that cannot be written in full is not written at all (the second entry is refused).
        with pytest.raises(deepl.DeepLException, match="function words"):
            client.update_multilingual_glossary_dictionary(
                glossary, Dictionary("EN", "RU", {"Vladivostok": "Владивосток", "of the": "Самара"}))
        got = client.get_multilingual_glossary_entries(glossary, "EN", "RU").dictionaries[0]
        assert convert_tsv_to_dict(got.entries) == before
        # KO↔RU dictionaries have no English term to key a concept by: refused, with the way that works.
        with pytest.raises(deepl.DeepLException, match="EN→KO and EN→RU"):
            client.update_multilingual_glossary_dictionary(glossary, Dictionary("KO", "RU", {"박정천": "Пак Чон Чхон"}))
    finally:
        client.delete_multilingual_glossary(glossary)
    with pytest.raises(deepl.GlossaryNotFoundException):
        client.get_multilingual_glossary(glossary.glossary_id)


BAD_ENTRIES = [
    ("no tab", {"entries": "Pak Jong-chon Пак Чон Чхон"}, "1 field;"),
    ("three columns", {"entries": "a\tb\tc"}, "3 fields"),
    ("duplicate source", {"entries": "Samara\tСамара\nSamara\tСамарa"}, "duplicates"),
    ("empty", {"entries": "\n\n"}, "none"),
    ("control character", {"entries": "Sam\x07ara\tСамара"}, "control character"),
    ("padded", {"entries": " Samara\tСамара"}, "whitespace"),
    ("empty target", {"entries": "Samara\t"}, "empty target"),
    ("stopwords only", {"entries": "the\tСамара"}, "function words"),
    ("format", {"entries_format": "xlsx"}, "entries_format"),
    ("csv languages", {"entries_format": "csv", "entries": "Samara,Самара,en,ko"}, "EN→KO"),
    ("no name", {"name": ""}, "name"),
    ("same languages", {"target_lang": "EN"}, "both EN"),
    ("unsupported language", {"target_lang": "DE"}, "target_lang"),
    ("ko-ru", {"source_lang": "KO", "entries": "박정천\tПак Чон Чхон"}, "English term"),
]


@pytest.mark.parametrize("case, change, message", BAD_ENTRIES, ids=[c[0] for c in BAD_ENTRIES])
def test_bad_entries_are_refused_in_deepl_shape_and_write_nothing(service, case, change, message) -> None:
    url, glossary = service
    before = folders(glossary)
    body = {"name": "bad", "source_lang": "EN", "target_lang": "RU", "entries": "Samara\tСамара",
            "entries_format": "tsv", **change}
    answer = httpx.post(f"{url}/v2/glossaries", json=body, headers={"Authorization": f"DeepL-Auth-Key {ADMIN}"})
    assert answer.status_code == 400, answer.text
    assert message in answer.json()["message"], answer.json()
    assert folders(glossary) == before


ODD_REQUESTS = [
    ("POST", "/v2/glossaries", {"name": ["x"], "source_lang": "EN", "target_lang": "RU", "entries": "Alpha\tАльфа"}),
    ("POST", "/v2/glossaries", {"name": "x", "source_lang": 1, "target_lang": None, "entries": "Alpha\tАльфа"}),
    ("POST", "/v2/glossaries", {"name": "x", "source_lang": "EN", "target_lang": "RU", "entries": ["Alpha", "Альфа"]}),
    ("POST", "/v2/glossaries", {"name": "x", "source_lang": "EN", "target_lang": "RU", "entries": "Alpha,\"Альфа",
                                "entries_format": "csv"}),
    ("POST", "/v3/glossaries", {"name": "x", "dictionaries": "EN-RU"}),
    ("POST", "/v3/glossaries", {"name": "x", "dictionaries": ["EN-RU"]}),
    ("POST", "/v3/glossaries", {"name": "x", "dictionaries": []}),
    ("POST", "/v3/glossaries", {"name": "x", "dictionaries": [
        {"source_lang": "EN", "target_lang": "RU", "entries": "Alpha\tАльфа"},
        {"source_lang": "EN", "target_lang": "RU", "entries": "Beta\tБета"}]}),
    ("PATCH", "/v3/glossaries/nope", {"name": "y"}),
    ("PUT", "/v3/glossaries/nope/dictionaries", {"source_lang": "EN", "target_lang": "RU", "entries": "Alpha\tАльфа"}),
    ("GET", "/v3/glossaries/nope/entries", None),
    ("DELETE", "/v3/glossaries/nope/dictionaries", None),
]


@pytest.mark.parametrize("method, path, body", ODD_REQUESTS)
def test_odd_requests_are_4xx_in_deepl_shape(service, method, path, body) -> None:
    url, glossary = service
    before = folders(glossary)
    answer = httpx.request(method, f"{url}{path}", json=body, headers={"Authorization": f"DeepL-Auth-Key {ADMIN}"})
    assert answer.status_code in (400, 404), answer.text
    assert "message" in answer.json()
    assert folders(glossary) == before


def test_translation_errors_with_glossaries(service, translator) -> None:
    url, _ = service
    info = translator.create_glossary("Pair", "EN", "RU", PAK)
    try:
        with pytest.raises(deepl.DeepLException, match="no EN→KO dictionary"):
            translator.translate_text("Pak Jong-chon visited Pyongyang.", source_lang="EN", target_lang="KO",
                                      glossary=info.glossary_id)
        answer = httpx.post(f"{url}/v2/translate", json={"text": ["Pak Jong-chon visited Pyongyang."],
                                                         "target_lang": "RU", "glossary_id": info.glossary_id})
        assert answer.status_code == 400 and "source_lang" in answer.json()["message"]
        two = httpx.post(f"{url}/v2/translate", json={"text": ["x"], "source_lang": "EN", "target_lang": "RU",
                                                      "glossary_ids": [info.glossary_id, info.glossary_id]})
        assert two.status_code == 400 and "one per request" in two.json()["message"]
    finally:
        translator.delete_glossary(info)
    with pytest.raises(deepl.DeepLException) as missing:
        translator.translate_text("Pak Jong-chon visited Pyongyang.", source_lang="EN", target_lang="RU",
                                  glossary=info.glossary_id)
    assert missing.value.http_status_code == 404
    for path in ("/v2/glossaries/nope", "/v2/glossaries/Not%20An%20Id/entries", "/v3/glossaries/nope"):
        answer = httpx.get(f"{url}{path}")
        assert answer.status_code == 404 and "message" in answer.json(), path


def test_keys(service) -> None:
    url, glossary = service
    before = folders(glossary)
    nobody = deepl.Translator("not-a-key", server_url=url, send_platform_info=False)
    desk = deepl.Translator(DESK, server_url=url, send_platform_info=False)
    admin = deepl.Translator(ADMIN, server_url=url, send_platform_info=False)
    try:
        with pytest.raises(deepl.AuthorizationException):
            nobody.create_glossary("x", "EN", "RU", PAK)
        # A key limited to named glossaries cannot create one: a new id is in no key's list.
        with pytest.raises(deepl.AuthorizationException):
            desk.create_glossary("x", "EN", "RU", PAK)
        assert httpx.post(f"{url}/v2/glossaries", json={"name": "x", "source_lang": "EN", "target_lang": "RU",
                                                        "entries": "a\tb"}).status_code == 403
        assert folders(glossary) == before
        info = admin.create_glossary("x", "EN", "RU", PAK)
        with pytest.raises(deepl.AuthorizationException):
            desk.delete_glossary(info)
        assert desk.get_glossary(info.glossary_id).name == "x"  # reads need no write access
        admin.delete_glossary(info)
    finally:
        for c in (nobody, desk, admin):
            c.close()
