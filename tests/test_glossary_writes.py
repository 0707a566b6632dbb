"""No glossary write can break reads (issue 12, items 1, 3, 8 and part of 9), on a real loopback
server and the real CLI:

* every write is re-read before anything lands: a field the files cannot hold is a 422 / exit 2
  and the files stay byte for byte as they were;
* the reader is tolerant: an entry that an older version (or a hand edit) left unreadable is
  skipped with a warning and reported by `check`, translation and listing keep working, and the
  entry can be removed with DELETE or `glossa glossary remove`;
* imports parse the uploaded bytes, never a server path named in the body;
* writes keep the files' mode; a 20,000-row import lands; an import over the limit is refused;
* a write killed (SIGKILL) between its file renames is never seen half-done, and is completed.

Models are tiny random-weight Argos packages (tests/package_factory.py): what is tested here is
that requests succeed or are refused, never translation quality.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import httpx
import pytest

from service.glossary.termbase import Termbase
from support.packages import build_package_dir
from support.server import glossary_copy, running_server, settings_for

REPO = Path(__file__).resolve().parent.parent
KEY = "writer-key"
AUTH = {"Authorization": f"Bearer {KEY}"}


@pytest.fixture(scope="module")
def packages(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("writes-packages")
    for seed, (a, b) in enumerate([("en", "ru"), ("ru", "en")]):
        build_package_dir(directory, a, b, seed=seed)
    return directory


@pytest.fixture
def served(packages, tmp_path):
    glossary = glossary_copy(tmp_path / "glossary")
    with running_server(settings_for(packages, glossary, api_keys=(KEY,))) as url:
        yield url, glossary


def digest(directory: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(directory.glob("*.po*")):
        h.update(path.name.encode() + path.read_bytes())
    return h.hexdigest()


def glossa(gdir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "service", "glossary", "--dir", str(gdir), *args],
                          capture_output=True, text=True, cwd=REPO, timeout=120)


def translate_ok(url: str) -> dict:
    answer = httpx.post(f"{url}/v1/translate", json={"text": "Kim Jong-un visited Moscow.", "source": "en",
                                                     "target": "ru"}, timeout=120)
    assert answer.status_code == 200, answer.text
    return answer.json()["results"][0]


# -- refused before anything lands --------------------------------------------------------------

BAD_CONCEPTS = [
    # The repro: a carriage return in a note.
    ({"term": "Foo Bar", "category": "term", "note": "a\rb"}, "U+000D"),
    ({"term": "Foo Bar", "category": "term", "note": "a\x0bb"}, "U+000B"),
    ({"term": "Foo Bar", "category": "term", "note": "a\u2028b"}, "U+2028"),
    # Lines that would become directives inside a translator comment or a variant.
    ({"term": "Foo Bar", "category": "term", "renderings": {"ru": {"text": "Фу Бар", "comment": "ok\ngender: x"}}},
     "gender"),
    ({"term": "Foo Bar", "category": "term", "renderings": {"ru": {"text": "Фу Бар", "comment": "form: oops"}}},
     "form"),
    ({"term": "Foo Bar", "category": "term", "renderings": {"ru": {"text": "Фу Бар", "variants": ["x\ndecline: maybe"]}}},
     "U+000A"),
    ({"term": "Foo Bar", "category": "term", "renderings": {"ru": {"text": "Фу\rБар"}}}, "U+000D"),
    # Bad form keys were a 500.
    ({"term": "Foo Bar", "category": "term", "renderings": {"ru": {"text": "Фу Бар", "forms": {"bogus": "x"}}}},
     "bad form key"),
    ({"term": "Foo Bar", "category": "term", "renderings": {"ru": {"text": "Фу Бар", "forms": {"gen.du": "x"}}}},
     "bad form key"),
    # Stopword-only terms would match in every sentence.
    ({"term": "of the", "category": "term"}, "function words"),
    ({"term": "The", "category": "term", "renderings": {"ru": {"text": "Фу"}}}, "function words"),
    ({"term": "Foo Bar", "category": "term", "renderings": {"ru": {"text": "и"}}}, "function words"),
]


@pytest.mark.parametrize(("body", "said"), BAD_CONCEPTS)
def test_http_add_refuses_what_the_files_cannot_hold(served, body: dict, said: str) -> None:
    url, glossary = served
    before = digest(glossary)
    answer = httpx.post(f"{url}/v1/glossary", json=body, headers=AUTH)
    assert answer.status_code == 422, answer.text
    assert said in answer.json()["error"]["message"]
    assert digest(glossary) == before  # nothing written
    assert httpx.get(f"{url}/v1/glossary").status_code == 200
    translate_ok(url)


def test_http_update_and_import_refuse_too(served) -> None:
    url, glossary = served
    before = digest(glossary)
    bad_update = httpx.put(f"{url}/v1/glossary/Seoul", headers=AUTH,
                           json={"renderings": {"ru": {"text": "Сеул", "comment": "decline: maybe"}}})
    assert bad_update.status_code == 422, bad_update.text
    bad_note = httpx.put(f"{url}/v1/glossary/Seoul", headers=AUTH, json={"note": "x\ry"})
    assert bad_note.status_code == 422
    bad_forms = httpx.put(f"{url}/v1/glossary/Seoul", headers=AUTH,
                          json={"renderings": {"ru": {"text": "Сеул", "forms": {"nope": "x"}}}})
    assert bad_forms.status_code == 422
    # A TBX term with a line break inside.
    tbx = ('<?xml version="1.0"?><martif type="TBX-Basic"><text><body><termEntry>'
           '<descrip type="subjectField">term</descrip>'
           '<langSet xml:lang="en"><tig><term>Foo\nBar</term></tig></langSet>'
           '<langSet xml:lang="ru"><tig><term>Фу Бар</term></tig></langSet>'
           '</termEntry></body></text></martif>')
    imported = httpx.post(f"{url}/v1/glossary/import?format=tbx", content=tbx.encode(), headers=AUTH)
    assert imported.status_code == 422, imported.text
    # One good row and one bad one: all or nothing.
    table = "Good Term,Хороший термин\nBad Term,плохой\u2028термин\n"
    imported = httpx.post(f"{url}/v1/glossary/import?format=csv&lang=ru", content=table.encode(), headers=AUTH)
    assert imported.status_code == 422, imported.text
    assert digest(glossary) == before
    translate_ok(url)


def test_cli_writes_refuse_with_exit_2_and_write_nothing(gdir: Path, tmp_path: Path) -> None:
    before = digest(gdir)
    for args in (["add", "Foo Bar", "-c", "term", "--note", "a\rb"],
                 ["add", "Foo Bar", "-c", "term", "--ru", "Фу Бар", "--variant", "ru:x\ngender: x"],
                 ["add", "The", "-c", "term"],
                 ["update", "Seoul", "--variant", "ru:x\rform: oops"]):
        result = glossa(gdir, *args)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert "glossa: error:" in result.stderr and "Traceback" not in result.stderr
    tbx = tmp_path / "bad.tbx"
    tbx.write_text('<martif><text><body><termEntry><langSet xml:lang="en"><tig><term>Foo\rBar</term></tig>'
                   '</langSet></termEntry></body></text></martif>', encoding="utf-8", newline="")
    assert glossa(gdir, "import", str(tbx)).returncode == 2
    assert digest(gdir) == before


# -- the reader is tolerant ----------------------------------------------------------------------

def _break_files(glossary: Path) -> None:
    """What older versions wrote: a raw carriage return in a note (the POT entry unparseable) and a
    bad structured comment in ru.po."""
    pot = glossary / "glossary.pot"
    pot.write_bytes(pot.read_bytes() + b'\n#. a\rb\nmsgctxt "term"\nmsgid "Foo Bar"\nmsgstr ""\n')
    ru = glossary / "ru.po"
    text = ru.read_text(encoding="utf-8")
    marker = 'msgctxt "place"\nmsgid "Seoul"\n'
    assert marker in text
    ru.write_text(text.replace(marker, "# gender: x\n" + marker), encoding="utf-8")


def test_a_bad_entry_is_skipped_reported_and_removable_over_http(served) -> None:
    url, glossary = served
    _break_files(glossary)
    listed = httpx.get(f"{url}/v1/glossary", params={"limit": 500})
    assert listed.status_code == 200 and listed.json()["total"] > 50
    assert httpx.get(f"{url}/v1/glossary/Kim Jong-un").status_code == 200
    result = translate_ok(url)
    assert any("unreadable" in w for w in result["warnings"])
    report = httpx.get(f"{url}/v1/glossary/check").json()
    codes = {(i["code"], i["file"], i["msgid"]) for i in report["issues"]}
    assert ("unreadable_entry", "glossary.pot", "Foo Bar") in codes
    assert any(code == "bad_comment" and file == "ru.po" for code, file, _ in codes)
    assert str(glossary) not in json.dumps(report)  # messages name files relative to the folder
    # Other writes still work and keep the unreadable entry for a person to repair...
    added = httpx.post(f"{url}/v1/glossary", headers=AUTH, json={"term": "Ri Il-hwan", "category": "person"})
    assert added.status_code == 201, added.text
    assert b"a\nb" in (glossary / "glossary.pot").read_bytes() or b"a\rb" in (glossary / "glossary.pot").read_bytes()
    # ...until it is removed.
    removed = httpx.delete(f"{url}/v1/glossary/Foo Bar", headers=AUTH)
    assert removed.status_code == 200, removed.text
    fixed = httpx.put(f"{url}/v1/glossary/Seoul", headers=AUTH, json={"renderings": {"ru": {"text": "Сеул"}}})
    assert fixed.status_code == 200, fixed.text
    report = httpx.get(f"{url}/v1/glossary/check").json()
    assert report["errors"] == 0, report
    assert not any("unreadable" in w for w in translate_ok(url)["warnings"])


def test_a_bad_entry_is_removable_with_the_cli(gdir: Path) -> None:
    _break_files(gdir)
    assert glossa(gdir, "list").returncode == 0
    checked = glossa(gdir, "check")
    assert checked.returncode == 1 and "unreadable_entry" in checked.stdout and str(gdir) not in checked.stdout
    removed = glossa(gdir, "remove", "Foo Bar")
    assert removed.returncode == 0, removed.stderr
    assert glossa(gdir, "update", "Seoul", "--ru", "Сеул").returncode == 0
    final = glossa(gdir, "check")
    assert final.returncode == 0, final.stdout


# -- imports read uploaded bytes only -------------------------------------------------------------

def test_import_never_opens_a_path_named_in_the_body(served, tmp_path: Path) -> None:
    url, glossary = served
    secret = tmp_path / "secret.po"
    secret.write_text('msgid ""\nmsgstr ""\n"Language: ru\\n"\n\nmsgid "Secret Term"\nmsgstr "Секрет"\n', encoding="utf-8")
    before = digest(glossary)
    for body in (str(secret), str(glossary / "ru.po"), "/etc/passwd"):
        answer = httpx.post(f"{url}/v1/glossary/import?format=po&dry_run=true", content=body.encode(), headers=AUTH)
        assert answer.status_code in (400, 422), answer.text
        assert "Secret" not in answer.text and body not in answer.text
    assert digest(glossary) == before


# -- modes, size, limits --------------------------------------------------------------------------

def test_writes_keep_the_file_mode(served) -> None:
    url, glossary = served
    os.chmod(glossary / "ru.po", 0o640)
    os.chmod(glossary / "ko.po", 0o664)
    added = httpx.post(f"{url}/v1/glossary", headers=AUTH,
                       json={"term": "Ri Il-hwan", "category": "person", "renderings": {"ru": {"text": "Ри Ир Хван"}}})
    assert added.status_code == 201, added.text
    assert stat.S_IMODE((glossary / "ru.po").stat().st_mode) == 0o640
    assert stat.S_IMODE((glossary / "ko.po").stat().st_mode) == 0o664
    assert stat.S_IMODE((glossary / "glossary.pot").stat().st_mode) == 0o644
    # A new glossary's files: 0644 less the umask, never 0600.
    created = httpx.post(f"{url}/v1/glossaries", headers=AUTH, json={"name": "modes"})
    assert created.status_code == 201, created.text
    added = httpx.post(f"{url}/v1/glossaries/modes/concepts", headers=AUTH,
                       json={"term": "Ri Il-hwan", "category": "person", "renderings": {"ru": {"text": "Ри Ир Хван"}}})
    assert added.status_code == 201, added.text
    umask = os.umask(0)
    os.umask(umask)
    for path in (glossary / "named" / "modes").glob("*.po*"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o644 & ~umask, path.name


@pytest.mark.slow
def test_a_20000_row_import_lands_and_the_limit_is_said(served, monkeypatch) -> None:
    url, glossary = served
    rows = "".join(f"Imported Term {i},импортированный термин {i}\n" for i in range(20_000))
    answer = httpx.post(f"{url}/v1/glossary/import?format=csv&lang=ru", content=rows.encode(), headers=AUTH,
                        timeout=600)
    assert answer.status_code == 200, answer.text[:500]
    assert len(answer.json()["added"]) == 20_000
    termbase = Termbase.load(glossary)
    assert termbase.get("Imported Term 19999", "term").renderings["ru"].text == "импортированный термин 19999"
    # The limit on concepts per import is named in the refusal (the body limit gives a 413).
    import service.glossary.store as store

    monkeypatch.setattr(store, "MAX_IMPORT_CONCEPTS", 10)
    rows = "".join(f"Other Term {i},другой термин {i}\n" for i in range(11))
    refused = httpx.post(f"{url}/v1/glossary/import?format=csv&lang=ru", content=rows.encode(), headers=AUTH,
                         timeout=600)
    assert refused.status_code == 422 and "the limit is 10" in refused.json()["error"]["message"]


# -- kill -9 between the renames of a multi-file write ----------------------------------------------

_KILLED_WRITER = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    import service.glossary.journal as journal
    from service.glossary.store import GlossaryStore
    from service.glossary.termbase import Concept, Rendering

    real = journal.atomic_write_text
    calls = []
    def write_then_die(path, text):
        real(path, text)
        calls.append(path.name)
        if len(calls) == 2:  # the journal, then the first file: killed before the others
            os.kill(os.getpid(), signal.SIGKILL)
    journal.atomic_write_text = write_then_die
    GlossaryStore(Path(sys.argv[1])).add(Concept("Ri Il-hwan", "person", "Source: KCNA.",
        {"ko": Rendering("리일환"), "ru": Rendering("Ри Ир Хван", gender="m")}))
""")


def test_a_write_killed_between_renames_is_never_seen_half_done(gdir: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run([sys.executable, "-c", _KILLED_WRITER, str(gdir)], env=env, timeout=120)
    assert proc.returncode == -signal.SIGKILL
    assert (gdir / ".glossary.journal").exists()
    # The files on disk are half old, half new...
    assert "Ri Il-hwan" in (gdir / "en.po").read_text(encoding="utf-8")
    assert "Ri Il-hwan" not in (gdir / "ru.po").read_text(encoding="utf-8")
    # ...but every reader sees the whole write, in another process too.
    concept = Termbase.load(gdir).get("Ri Il-hwan")
    assert concept.renderings["ru"].text == "Ри Ир Хван" and concept.renderings["ko"].text == "리일환"
    shown = glossa(gdir, "show", "Ri Il-hwan", "--json")
    assert shown.returncode == 0 and json.loads(shown.stdout)["renderings"]["ru"]["text"] == "Ри Ир Хван"
    # `check` completes it; then the files themselves say it and the journal is gone.
    checked = glossa(gdir, "check")
    assert checked.returncode == 0, checked.stdout
    assert not (gdir / ".glossary.journal").exists()
    assert "Ri Il-hwan" in (gdir / "ru.po").read_text(encoding="utf-8")


_WRITER_LOOP = textwrap.dedent("""
    import sys
    from pathlib import Path
    from service.glossary.store import GlossaryStore
    from service.glossary.termbase import Concept, Rendering

    store = GlossaryStore(Path(sys.argv[1]))
    for i in range(int(sys.argv[2])):
        store.add(Concept(f"Delta Term {i}", "term", "Source: test.",
                          {"ko": Rendering(f"델타 용어 {i}"), "ru": Rendering(f"термин дельта {i}")}))
""")


def test_readers_never_see_half_a_write_while_a_writer_runs(gdir: Path) -> None:
    """Each add changes four files; a reader loading the folder meanwhile (no lock) must see every
    concept whole: in the POT and with both of its renderings."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    writer = subprocess.Popen([sys.executable, "-c", _WRITER_LOOP, str(gdir), "40"], env=env)
    reads = 0
    try:
        while writer.poll() is None or reads == 0:
            termbase = Termbase.load(gdir)
            reads += 1
            for concept in termbase.concepts():
                if concept.msgid.startswith("Delta Term "):
                    assert set(concept.renderings) >= {"ko", "ru"}, (concept.msgid, reads)
    finally:
        writer.wait(timeout=300)
    assert writer.returncode == 0
    assert reads > 1
    assert len([c for c in Termbase.load(gdir).concepts() if c.msgid.startswith("Delta Term ")]) == 40


def test_cli_translation_and_batch_survive_a_bad_entry(packages, gdir: Path, tmp_path: Path) -> None:
    _break_files(gdir)
    env = {**os.environ, "GLOSSA_GLOSSARY_DIR": str(gdir), "ARGOS_PACKAGES_DIR": str(packages)}
    run = subprocess.run([sys.executable, "-m", "service", "translate", "-t", "ru", "-s", "en", "--json", "-"],
                         input="Kim Jong-un visited Moscow.", capture_output=True, text=True, cwd=REPO, env=env,
                         timeout=300)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert any("unreadable" in w for w in result["warnings"]) and result["terms"]
    feed = tmp_path / "feed"
    feed.mkdir()
    (feed / "a.txt").write_text("Kim Jong-un visited Moscow.\n", encoding="utf-8")
    batch = subprocess.run([sys.executable, "-m", "service", "batch", str(feed), "-o", str(tmp_path / "out"),
                            "-t", "ru", "-s", "en"], capture_output=True, text=True, cwd=REPO, env=env, timeout=300)
    assert batch.returncode == 0, batch.stdout + batch.stderr
    assert (tmp_path / "out" / "ru" / "a.txt").read_text(encoding="utf-8").strip()
