"""The model store on real packages: install from file, replace, remove, routes, ensure, verify."""

from __future__ import annotations

import json
import os
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from service.config import Settings
from service.errors import InputError, ModelNotFoundError, PackageError
from service.models.probes import PROBES
from service.models.routes import DIRECTIONS
from service.models.store import DEMO_WARNING, ModelStore
from support.packages import build_archive_set, build_package, index_entry, serve_directory

UNREACHABLE = "http://127.0.0.1:9/index.json"  # the discard port: connection refused at once


@pytest.fixture(scope="session")
def archives(tmp_path_factory) -> dict[str, Path]:
    return build_archive_set(tmp_path_factory.mktemp("archives"))


@pytest.fixture
def store(tmp_path, archives) -> ModelStore:
    settings = replace(
        Settings(),
        packages_dir=tmp_path / "argos" / "packages",
        demo_models_dir=archives["en-ko-demo"].parent,
    )
    return ModelStore(settings, index_url=UNREACHABLE)


def snapshot(root: Path) -> list[str]:
    """Every path under root (the package directory and its parent, where staging happens)."""
    if not root.exists():
        return []
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.name != ".glossa-models.lock")


def test_install_file_lists_and_argostranslate_sees_it(store, archives):
    package = store.install_file(archives["en-ko"])
    assert (package.from_code, package.to_code, package.package_version) == ("en", "ko", "1.0")
    assert package.path == store.packages_dir / "translate-en_ko-1_0"
    assert (package.path / "model" / "model.bin").is_file()
    assert [p.pair for p in store.installed()] == ["en->ko"]
    assert store.get("en", "ko") == package

    import argostranslate.package

    seen = argostranslate.package.get_installed_packages([store.packages_dir])
    assert [(p.from_code, p.to_code) for p in seen] == [("en", "ko")]


def test_packages_unpacked_the_argospm_way_are_listed(store, archives):
    # argospm's install_from_path is a plain extractall into the package directory; doing the
    # same here avoids importing argostranslate.translate (torch, stanza) inside the test run.
    store.packages_dir.mkdir(parents=True)
    with zipfile.ZipFile(archives["ru-en"]) as zf:
        zf.extractall(store.packages_dir)
    assert [p.pair for p in store.installed()] == ["ru->en"]


def test_reinstall_newer_version_replaces_the_old_one(store, archives):
    store.install_file(archives["en-ko"])
    newer = store.install_file(archives["en-ko@1.1"])
    assert [p.package_version for p in store.installed()] == ["1.1"]
    assert sorted(os.listdir(store.packages_dir)) == [newer.path.name]
    # Same folder name again: replaced in place, still exactly one.
    again = store.install_file(archives["en-ko@1.1"])
    assert again.path == newer.path and len(store.installed()) == 1


def test_demo_and_official_coexist_and_official_is_preferred(store, archives):
    demo = store.install_file(archives["en-ko-demo"])
    assert demo.demo and store.get("en", "ko") == demo
    official = store.install_file(archives["en-ko"])
    assert len(store.installed()) == 2
    assert store.get("en", "ko") == official
    assert store.route("en", "ko") == [official]


def _bad_archive(tmp_path: Path, name: str, members: dict[str, bytes]) -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as zf:
        for member, data in members.items():
            zf.writestr(member, data)
    return path


def _members_of(archive: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(archive) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist() if not i.is_dir()}


@pytest.mark.parametrize(
    "case, message",
    [
        ("not_zip", "not a zip archive"),
        ("truncated", "corrupt|not a zip"),
        ("bit_flip", "corrupt"),
        ("no_metadata", "metadata.json missing"),
        ("bad_metadata", "not valid JSON"),
        ("two_tops", "exactly one top folder"),
        ("no_model", "model/model.bin missing"),
        ("traversal", "unsafe member path"),
        ("garbage_model", "CTranslate2 cannot load"),
        ("wrong_type", "not a translation model"),
    ],
)
def test_bad_archives_are_refused_and_nothing_is_written(store, archives, tmp_path, case, message):
    store.install_file(archives["ko-en"])  # something already installed must stay untouched
    good = archives["en-ko"]
    members = _members_of(good)
    top = "translate-en_ko-1_0"
    if case == "not_zip":
        bad = tmp_path / "notes.argosmodel"
        bad.write_text("just text, not a zip\n")
    elif case == "truncated":
        bad = tmp_path / "cut.argosmodel"
        bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    elif case == "bit_flip":
        data = bytearray(good.read_bytes())
        # Flip bytes inside model.bin's compressed data (zip local header comes first).
        offset = data.find(b"model.bin") + 200
        data[offset : offset + 16] = bytes(b ^ 0xFF for b in data[offset : offset + 16])
        bad = tmp_path / "flipped.argosmodel"
        bad.write_bytes(bytes(data))
    elif case == "no_metadata":
        bad = _bad_archive(tmp_path, "x.argosmodel", {k: v for k, v in members.items() if not k.endswith("metadata.json")})
    elif case == "bad_metadata":
        bad = _bad_archive(tmp_path, "x.argosmodel", {**members, f"{top}/metadata.json": b"{not json"})
    elif case == "two_tops":
        bad = _bad_archive(tmp_path, "x.argosmodel", {**members, "other/readme.txt": b"hi"})
    elif case == "no_model":
        bad = _bad_archive(tmp_path, "x.argosmodel", {k: v for k, v in members.items() if "model.bin" not in k})
    elif case == "traversal":
        bad = _bad_archive(tmp_path, "x.argosmodel", {**members, f"{top}/../../evil.txt": b"x"})
    elif case == "garbage_model":
        bad = _bad_archive(tmp_path, "x.argosmodel", {**members, f"{top}/model/model.bin": b"\0" * 4096})
    else:  # wrong_type
        meta = json.loads(members[f"{top}/metadata.json"]) | {"type": "sbd"}
        bad = _bad_archive(tmp_path, "x.argosmodel", {**members, f"{top}/metadata.json": json.dumps(meta).encode()})
    area = store.packages_dir.parent
    before = snapshot(area)
    with pytest.raises(PackageError, match=message):
        store.install_file(bad)
    assert snapshot(area) == before
    assert [p.pair for p in store.installed()] == ["ko->en"]


def test_failed_reinstall_keeps_the_old_package(store, archives, tmp_path):
    old = store.install_file(archives["en-ko"])
    members = _members_of(archives["en-ko"])
    broken = _bad_archive(
        tmp_path, "broken.argosmodel", {**members, "translate-en_ko-1_0/model/model.bin": b"broken"}
    )
    with pytest.raises(PackageError):
        store.install_file(broken)
    assert store.installed() == [old]
    assert (old.path / "model" / "model.bin").read_bytes() == _members_of(archives["en-ko"])[
        "translate-en_ko-1_0/model/model.bin"
    ]


def test_remove(store, archives):
    store.install_file(archives["en-ru"])
    store.install_file(archives["en-ru-demo"])
    removed = store.remove("en", "ru")
    assert sorted(p.demo for p in removed) == [False, True]
    assert store.installed() == [] and os.listdir(store.packages_dir) == []
    with pytest.raises(ModelNotFoundError, match="no installed en->ru package"):
        store.remove("en", "ru")


def test_routes_direct_and_pivot(store, archives):
    for key in ("ko-en", "en-ru"):
        store.install_file(archives[key])
    ko_en, en_ru = store.get("ko", "en"), store.get("en", "ru")
    assert store.route("ko", "en") == [ko_en]
    assert store.route("ko", "ru") == [ko_en, en_ru]
    with pytest.raises(InputError):
        store.route("ko", "ko")


def test_missing_pairs_are_named_with_the_command_that_installs_them(store, archives):
    with pytest.raises(ModelNotFoundError) as direct:
        store.route("en", "ko")
    assert "missing en->ko" in str(direct.value)
    assert "`glossa models install en ko`" in str(direct.value)

    store.install_file(archives["en-ru"])
    with pytest.raises(ModelNotFoundError) as pivot:
        store.route("ko", "ru")
    text = str(pivot.value)
    assert "ko->ru (directly or through en)" in text and "missing ko->en;" in text
    assert "`glossa models install ko en`" in text and "en ru`" not in text


def test_ensure_falls_back_to_demo_packages_when_the_index_is_unreachable(store):
    events: list[str] = []
    report = store.ensure(on_event=events.append, index_timeout=2)
    assert sorted(origin for _p, origin in report.installed) == ["demo"] * 4
    assert sorted(report.demo_pairs) == ["en->ko", "en->ru", "ko->en", "ru->en"]
    assert DEMO_WARNING in report.warnings
    assert any(UNREACHABLE in w and "ARGOS_PACKAGE_INDEX" in w for w in report.warnings)
    assert any("index unreachable" in e for e in events)
    for source, target in DIRECTIONS:
        assert all(p.demo for p in store.route(source, target))
    # A second run has nothing left to install but still says the demo models are in use.
    again = store.ensure(index_timeout=2)
    assert again.installed == [] and DEMO_WARNING in again.warnings


def test_ensure_prefers_the_index_and_uses_demo_only_for_what_it_lacks(store, archives, tmp_path):
    served = tmp_path / "served"
    served.mkdir()
    for key in ("en-ko", "ko-en", "en-ru"):  # the index has no ru->en
        (served / archives[key].name).write_bytes(archives[key].read_bytes())
    with serve_directory(served) as url:
        entries = [index_entry(served / archives[k].name, url) for k in ("en-ko", "ko-en", "en-ru")]
        (served / "index.json").write_text(json.dumps(entries))
        store.index_url = url + "index.json"
        report = store.ensure(index_timeout=5)
    origins = {p.pair: origin for p, origin in report.installed}
    assert origins == {"en->ko": "index", "ko->en": "index", "en->ru": "index", "ru->en": "demo"}
    assert report.demo_pairs == ["ru->en"]
    assert any("no ru->en package" in w for w in report.warnings)
    assert [p.demo for p in store.route("ko", "ru")] == [False, False]


def test_ensure_replaces_demo_packages_once_the_index_is_reachable(store, archives, tmp_path):
    store.ensure(index_timeout=2)  # offline: demo packages
    served = tmp_path / "served"
    served.mkdir()
    keys = ("en-ko", "ko-en", "en-ru", "ru-en")
    for key in keys:
        (served / archives[key].name).write_bytes(archives[key].read_bytes())
    with serve_directory(served) as url:
        (served / "index.json").write_text(json.dumps([index_entry(served / archives[k].name, url) for k in keys]))
        store.index_url = url + "index.json"
        report = store.ensure(index_timeout=5)
    assert sorted(origin for _p, origin in report.installed) == ["index"] * 4
    assert report.demo_pairs == [] and report.warnings == []
    for source, target in DIRECTIONS:
        assert not any(p.demo for p in store.route(source, target))


def test_ensure_without_demo_packages_names_what_is_missing(store, tmp_path):
    store.settings = replace(store.settings, demo_models_dir=tmp_path / "no-demo")
    with pytest.raises(ModelNotFoundError, match="no demo package"):
        store.ensure(index_timeout=2)
    assert store.installed() == []


def test_verify_translates_the_probe_through_the_route(store, demo_models_dir):
    from service.engine import Engine
    from service.pipeline import Pipeline

    for name in ("translate-ko_en-demo.argosmodel", "translate-en_ru-demo.argosmodel"):
        store.install_file(demo_models_dir / name)
    engine = Engine(store.settings)
    [result] = Pipeline(store.settings, store=store, engine=engine).verify("ko", "ru")
    ko_en, en_ru = store.route("ko", "ru")
    assert result.packages == [ko_en, en_ru]
    assert result.probe == PROBES["ko"]
    # The same two hops done by hand give the same text.
    assert result.output == engine.translate(en_ru, engine.translate(ko_en, [PROBES["ko"]]))[0]
    assert result.ok


def test_a_broken_package_directory_is_skipped_with_a_reason(store, archives):
    store.install_file(archives["en-ko"])
    (store.packages_dir / "half-copied").mkdir()
    packages, problems = store.scan()
    assert [p.pair for p in packages] == ["en->ko"]
    assert len(problems) == 1 and "half-copied" in problems[0] and "no metadata.json" in problems[0]


def test_install_file_from_a_missing_path(store, tmp_path):
    with pytest.raises(PackageError, match="no such file"):
        store.install_file(tmp_path / "absent.argosmodel")


def test_factory_packages_are_distinct_per_seed(tmp_path):
    a = build_package(tmp_path / "a", "en", "ko", seed=1)
    b = build_package(tmp_path / "b", "en", "ko", seed=2)
    model_a = _members_of(a)["translate-en_ko-1_0/model/model.bin"]
    model_b = _members_of(b)["translate-en_ko-1_0/model/model.bin"]
    assert model_a != model_b


def test_a_package_overwritten_in_place_is_read_again(store, archives):
    first = store.install_file(archives["en-ko"])
    assert store.get("en", "ko").package_version == "1.0"
    # argospm unzips over an existing folder of the same name; the listing must notice.
    meta_path = first.path / "metadata.json"
    meta = json.loads(meta_path.read_text()) | {"package_version": "1.0.1"}
    meta_path.write_text(json.dumps(meta))
    # Force an mtime unlike the one the store saw (a coarse clock could repeat it).
    os.utime(meta_path, ns=(1, 1))
    assert store.get("en", "ko").package_version == "1.0.1"
