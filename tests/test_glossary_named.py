"""Named glossaries (issue 16 item 1) on a real server with the demo models and with the real CLI:
create, list, get, delete; concepts in them; write access per glossary; and translation with a
named glossary overriding the house glossary for the same term, the house glossary applying
otherwise, and switched off on request.

Expected renderings come from the glossaries the test writes, never from the models.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from corpus import demo_corpus

from support.server import (
    glossary_copy,
    install_packages,
    running_server,
    settings_for,
)

REPO = Path(__file__).resolve().parent.parent
ADMIN, DESK = "admin-key", "desk-key"


@pytest.fixture(scope="module")
def service(demo_models_dir, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("named")
    packages = install_packages(sorted(demo_models_dir.glob("*.argosmodel")), tmp / "packages")
    keys = tmp / "keys.txt"
    keys.write_text(f"{ADMIN}\n{DESK} glossaries=desk,desk-only   # the sports desk\n", encoding="utf-8")
    glossary = glossary_copy(tmp / "glossary")
    with running_server(settings_for(packages, glossary, api_keys_file=keys)) as url:
        yield url, glossary, packages


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def translate(url: str, text: str, **extra) -> dict:
    answer = httpx.post(f"{url}/v1/translate", json={"text": text, "source": "en", "target": "ru", **extra}, timeout=120)
    assert answer.status_code == 200, answer.text
    return answer.json()["results"][0]


def test_named_glossary_crud_and_keys(service) -> None:
    url, glossary, _ = service
    # A scoped key may not create a glossary outside its scope, nor touch the house glossary.
    denied = httpx.post(f"{url}/v1/glossaries", json={"name": "other"}, headers=auth(DESK))
    assert denied.status_code == 403, denied.text
    assert httpx.post(f"{url}/v1/glossary", json={"term": "Desk Term", "category": "term"},
                      headers=auth(DESK)).status_code == 403
    assert httpx.post(f"{url}/v1/glossaries", json={"name": "desk-only"}).status_code == 401
    created = httpx.post(f"{url}/v1/glossaries", json={"name": "desk-only", "description": "sports"}, headers=auth(DESK))
    assert created.status_code == 201, created.text
    assert created.json()["name"] == "desk-only" and created.json()["concepts"] == 0
    assert httpx.post(f"{url}/v1/glossaries", json={"name": "desk-only"}, headers=auth(DESK)).status_code == 409
    assert httpx.post(f"{url}/v1/glossaries", json={"name": "Bad Name"}, headers=auth(ADMIN)).status_code == 422
    names = [g["name"] for g in httpx.get(f"{url}/v1/glossaries").json()["glossaries"]]
    assert names[0] == "house" and "desk-only" in names
    added = httpx.post(f"{url}/v1/glossaries/desk-only/concepts", headers=auth(DESK),
                       json={"term": "Ri Il-hwan", "category": "person", "note": "Source: KCNA.",
                             "renderings": {"ru": {"text": "Ри Ир Хван", "gender": "m"}}})
    assert added.status_code == 201, added.text
    assert added.json()["term"] == "Ri Il-hwan"
    # The same operations as on the house glossary, the house glossary untouched.
    assert httpx.get(f"{url}/v1/glossaries/desk-only/concepts/Ri Il-hwan").json()["renderings"]["ru"]["text"] == "Ри Ир Хван"
    assert httpx.get(f"{url}/v1/glossary/Ri Il-hwan").status_code == 404
    listed = httpx.get(f"{url}/v1/glossaries/desk-only/concepts", params={"q": "kcna"}).json()  # notes are searched
    assert [c["term"] for c in listed["items"]] == ["Ri Il-hwan"]
    updated = httpx.put(f"{url}/v1/glossaries/desk-only/concepts/Ri Il-hwan", headers=auth(DESK),
                        json={"add_variants": {"ru": ["Ли Ир Хван"]}, "propose": ["ru"]})
    assert updated.status_code == 200, updated.text
    assert updated.json()["renderings"]["ru"]["variants"] == ["Ли Ир Хван"]
    assert updated.json()["renderings"]["ru"]["fuzzy"] is True
    approved = httpx.put(f"{url}/v1/glossaries/desk-only/concepts/Ri Il-hwan", headers=auth(DESK),
                         json={"approve": ["ru"], "remove_variants": {"ru": ["Ли Ир Хван"]}})
    assert approved.json()["renderings"]["ru"] == {**updated.json()["renderings"]["ru"], "fuzzy": False, "variants": []}
    check = httpx.get(f"{url}/v1/glossaries/desk-only/check").json()
    assert check["errors"] == 0, check
    exported = httpx.get(f"{url}/v1/glossaries/desk-only/export", params={"format": "tsv", "lang": "ru"})
    assert exported.text == "Ri Il-hwan\tРи Ир Хван\n"
    info = httpx.get(f"{url}/v1/glossaries/desk-only").json()
    assert info["concepts"] == 1 and info["description"] == "sports"
    assert httpx.get(f"{url}/v1/glossaries/nothing-here").status_code == 404
    assert httpx.get(f"{url}/v1/glossaries/nothing-here/concepts").status_code == 404
    # Deleting needs write access to it; then it is gone, files and all.
    assert httpx.delete(f"{url}/v1/glossaries/desk-only").status_code == 401
    assert httpx.delete(f"{url}/v1/glossaries/desk-only", headers=auth(DESK)).status_code == 204
    assert httpx.get(f"{url}/v1/glossaries/desk-only").status_code == 404
    assert not (glossary / "named" / "desk-only").exists()
    assert httpx.delete(f"{url}/v1/glossaries/house", headers=auth(ADMIN)).status_code == 400


def _sentence_with_two_terms(url: str) -> tuple[str, list[dict]]:
    corpus = demo_corpus()
    for text, _ in corpus.heldout("en", "ru", n=80):
        terms = translate(url, text)["terms"]
        if len({t["concept"] for t in terms}) >= 2:
            return text, terms
    pytest.fail("no held-out demo sentence holds two glossary terms")


def test_a_named_glossary_overrides_the_house_one_for_its_terms(service) -> None:
    url, _, _ = service
    text, house_terms = _sentence_with_two_terms(url)
    first, second = house_terms[0]["concept"], next(t["concept"] for t in house_terms if t["concept"] != house_terms[0]["concept"])
    created = httpx.post(f"{url}/v1/glossaries", json={"name": "desk"}, headers=auth(DESK))
    assert created.status_code == 201, created.text
    house_concept = httpx.get(f"{url}/v1/glossary/{first}").json()
    override = {"term": first, "category": house_concept["category"],
                "renderings": {"ru": {"text": "Тестоград", "indeclinable": True}}}
    assert httpx.post(f"{url}/v1/glossaries/desk/concepts", json=override, headers=auth(DESK)).status_code == 201

    both = translate(url, text, glossary="desk")
    by_concept = {t["concept"]: t for t in both["terms"]}
    assert by_concept[first]["rendering"] == "Тестоград"  # the request's glossary wins for its term
    house_second = next(t for t in house_terms if t["concept"] == second)
    assert by_concept[second]["rendering"] == house_second["rendering"]  # the house one applies otherwise
    if by_concept[first]["status"] == "applied":
        assert "Тестоград" in both["translation"]

    only = translate(url, text, glossary="desk", house_glossary=False)
    assert {t["concept"] for t in only["terms"]} == {first}
    assert {t["concept"] for t in translate(url, text, glossary=False)["terms"]} == set()
    # The house glossary itself did not change.
    assert {t["concept"]: t["rendering"] for t in translate(url, text)["terms"]} == \
        {t["concept"]: t["rendering"] for t in house_terms}
    # LibreTranslate's route takes the name as an extension field.
    lt = httpx.post(f"{url}/translate", json={"q": text, "source": "en", "target": "ru", "glossary": "desk"})
    assert lt.status_code == 200 and lt.json()["translatedText"] == both["translation"]
    missing = httpx.post(f"{url}/v1/translate", json={"text": text, "source": "en", "target": "ru", "glossary": "nope"})
    assert missing.status_code == 404, missing.text


def glossa(gdir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "service", "glossary", "--dir", str(gdir), *args],
                          capture_output=True, text=True, cwd=REPO, timeout=120)


def test_cli_named_glossaries(gdir: Path) -> None:
    assert glossa(gdir, "create-glossary", "event-2026", "--description", "one-off").returncode == 0
    assert glossa(gdir, "create-glossary", "event-2026").returncode == 1
    assert glossa(gdir, "--name", "Bad Name", "list").returncode == 2
    added = glossa(gdir, "--name", "event-2026", "add", "Ri Il-hwan", "-c", "person", "--ru", "Ри Ир Хван", "--json")
    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout)["term"] == "Ri Il-hwan"
    listed = json.loads(glossa(gdir, "--name", "event-2026", "list", "--json").stdout)
    assert [c["term"] for c in listed] == ["Ri Il-hwan"]
    assert "Ri Il-hwan" not in glossa(gdir, "list").stdout  # the house glossary is another folder
    rows = {r["name"]: r for r in json.loads(glossa(gdir, "glossaries", "--json").stdout)}
    assert rows["event-2026"]["concepts"] == 1 and rows["house"]["concepts"] > 50
    assert glossa(gdir, "--name", "event-2026", "check").returncode == 0
    assert glossa(gdir, "--name", "nope", "list").returncode == 1
    assert glossa(gdir, "delete-glossary", "event-2026", "--yes").returncode == 0
    assert not (gdir / "named" / "event-2026").exists()


def test_cli_translate_takes_a_glossary_name(service) -> None:
    url, glossary, packages = service
    text, house_terms = _sentence_with_two_terms(url)
    first = house_terms[0]
    category = httpx.get(f"{url}/v1/glossary/{first['concept']}").json()["category"]
    assert glossa(glossary, "create-glossary", "cli-desk").returncode == 0
    assert glossa(glossary, "--name", "cli-desk", "add", first["concept"], "-c", category,
                  "--ru", "Клигород", "--indeclinable").returncode == 0
    env = {**os.environ, "GLOSSA_GLOSSARY_DIR": str(glossary), "ARGOS_PACKAGES_DIR": str(packages)}
    run = subprocess.run([sys.executable, "-m", "service", "translate", "-t", "ru", "-s", "en", "--json",
                          "--glossary", "cli-desk", "-"], input=text, capture_output=True, text=True,
                         cwd=REPO, env=env, timeout=300)
    assert run.returncode == 0, run.stderr
    terms = {t["concept"]: t["rendering"] for t in json.loads(run.stdout)["terms"]}
    assert terms[first["concept"]] == "Клигород"
    assert len(terms) >= 2  # the house glossary still applies to the other term
    unknown = subprocess.run([sys.executable, "-m", "service", "translate", "-t", "ru", "-s", "en",
                              "--glossary", "nope", "-"], input=text, capture_output=True, text=True,
                             cwd=REPO, env=env, timeout=300)
    assert unknown.returncode == 1 and "no glossary named 'nope'" in unknown.stderr
