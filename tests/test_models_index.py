"""The real download path against an Argos-format index served on loopback by the test."""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from service.config import Settings
from service.errors import IndexUnavailableError, ModelNotFoundError, PackageError
from service.models import index as argos_index
from service.models.argos import index_url
from service.models.store import ModelStore
from support.packages import build_archive_set, index_entry, serve_directory


@pytest.fixture(scope="session")
def archives(tmp_path_factory) -> dict[str, Path]:
    return build_archive_set(tmp_path_factory.mktemp("archives"))


@pytest.fixture
def served(tmp_path, archives) -> Path:
    """A directory holding the official-looking archives, ready to be served."""
    root = tmp_path / "served"
    root.mkdir()
    for key in ("en-ko", "ko-en", "en-ru", "ru-en"):
        shutil.copyfile(archives[key], root / archives[key].name)
    return root


def write_index(root: Path, url: str, names: list[str], extra: dict[str, dict] | None = None) -> str:
    """Write index.json listing the named archives (``extra[name]`` adds fields); return its URL."""
    extra = extra or {}
    records = [index_entry(root / n, url, **extra.get(n, {})) for n in names]
    (root / "index.json").write_text(json.dumps(records, indent=1))
    return url + "index.json"


def make_store(tmp_path: Path, url: str) -> ModelStore:
    return ModelStore(replace(Settings(), packages_dir=tmp_path / "argos" / "packages"), index_url=url)


def listing(store: ModelStore) -> list[str]:
    root = store.packages_dir.parent
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.name != ".glossa-models.lock")


def test_download_and_install_with_progress(tmp_path, served):
    log: list[str] = []
    with serve_directory(served, log=log) as url:
        names = sorted(p.name for p in served.glob("*.argosmodel"))
        store = make_store(tmp_path, write_index(served, url, names))
        calls: list[tuple[str, int, int | None]] = []
        package = store.install_from_index("en", "ko", progress=lambda *a: calls.append(a))
    size = (served / "translate-en_ko-1_0.argosmodel").stat().st_size
    assert (package.from_code, package.to_code, package.demo) == ("en", "ko", False)
    assert [p.pair for p in store.installed()] == ["en->ko"]
    assert log == ["index.json", "translate-en_ko-1_0.argosmodel"]
    assert calls[0] == ("translate-en_ko.argosmodel", 0, size)
    assert calls[-1] == ("translate-en_ko.argosmodel", size, size)
    assert [c[1] for c in calls] == sorted(c[1] for c in calls)
    # The package directory holds the package and nothing else (no temp files left behind).
    assert listing(store) == sorted(
        ["packages", "packages/translate-en_ko-1_0"]
        + [f"packages/translate-en_ko-1_0/{p.relative_to(package.path)}" for p in package.path.rglob("*")]
    )


def test_the_index_is_shared_with_argostranslate(tmp_path, served):
    import argostranslate.package

    with serve_directory(served) as url:
        entries = argos_index.fetch_index(write_index(served, url, ["translate-ko_en-1_0.argosmodel"]))
    assert [(e.pair, e.version, e.filename) for e in entries] == [
        ("ko->en", "1.0", "translate-ko_en.argosmodel")
    ]
    available = argostranslate.package.get_available_packages()
    assert [(p.from_code, p.to_code) for p in available] == [("ko", "en")]


def test_the_newest_version_is_chosen(tmp_path, served, archives):
    newer = archives["en-ko@1.1"]
    shutil.copyfile(newer, served / newer.name)
    with serve_directory(served) as url:
        store = make_store(
            tmp_path, write_index(served, url, ["translate-en_ko-1_0.argosmodel", newer.name])
        )
        package = store.install_from_index("en", "ko")
    assert package.package_version == "1.1"


def test_unreachable_index(tmp_path):
    store = make_store(tmp_path, "http://127.0.0.1:9/index.json")
    before = listing(store)
    with pytest.raises(IndexUnavailableError) as err:
        store.install_from_index("en", "ko", timeout=2)
    text = str(err.value)
    assert "http://127.0.0.1:9/index.json" in text
    assert "ARGOS_PACKAGE_INDEX" in text and "glossa models install FILE.argosmodel" in text
    assert listing(store) == before


def test_index_url_missing_on_the_server(tmp_path, served):
    with serve_directory(served) as url:
        with pytest.raises(IndexUnavailableError, match="HTTP 404"):
            argos_index.fetch_index(url + "nowhere/index.json", timeout=5)


def test_index_that_is_not_json(tmp_path, served):
    (served / "index.json").write_text("<html>captive portal</html>")
    with serve_directory(served) as url:
        with pytest.raises(IndexUnavailableError, match="not an Argos package index"):
            argos_index.fetch_index(url, timeout=5)


def test_pair_not_in_the_index(tmp_path, served):
    with serve_directory(served) as url:
        store = make_store(tmp_path, write_index(served, url, ["translate-en_ko-1_0.argosmodel"]))
        with pytest.raises(ModelNotFoundError) as err:
            store.install_from_index("ko", "ru")
    text = str(err.value)
    assert "has no ko->ru package" in text
    assert "`glossa models install ko en`" in text and "`glossa models install en ru`" in text


def test_package_link_404(tmp_path, served):
    with serve_directory(served) as url:
        index = write_index(served, url, ["translate-en_ko-1_0.argosmodel"])
        (served / "translate-en_ko-1_0.argosmodel").unlink()
        store = make_store(tmp_path, index)
        before = listing(store)
        with pytest.raises(argos_index.DownloadError, match="HTTP 404"):
            store.install_from_index("en", "ko")
    assert listing(store) == before


def test_second_link_is_tried_when_the_first_fails(tmp_path, served):
    with serve_directory(served) as url:
        name = "translate-ru_en-1_0.argosmodel"
        links = {"links": [url + "gone.argosmodel", url + name]}
        store = make_store(tmp_path, write_index(served, url, [name], {name: links}))
        package = store.install_from_index("ru", "en")
    assert package.pair == "ru->en"


def test_truncated_download(tmp_path, served):
    name = "translate-en_ru-1_0.argosmodel"
    with serve_directory(served, truncated={name}) as url:
        store = make_store(tmp_path, write_index(served, url, [name]))
        before = listing(store)
        with pytest.raises(argos_index.DownloadError, match="cut off after"):
            store.install_from_index("en", "ru")
    assert listing(store) == before


def test_corrupt_download_is_refused(tmp_path, served):
    name = "translate-en_ru-1_0.argosmodel"
    with serve_directory(served) as url:
        index = write_index(served, url, [name])
        (served / name).write_bytes(b"PK\x03\x04" + b"\x00" * 5000)  # zip magic, nothing else
        store = make_store(tmp_path, index)
        before = listing(store)
        with pytest.raises(PackageError):
            store.install_from_index("en", "ru")
    assert listing(store) == before


def test_checksum_and_size_from_the_index_are_enforced(tmp_path, served):
    name = "translate-ko_en-1_0.argosmodel"
    data = (served / name).read_bytes()
    with serve_directory(served) as url:
        store = make_store(tmp_path, write_index(served, url, [name], {name: {"sha256": "0" * 64}}))
        before = listing(store)
        with pytest.raises(PackageError, match="sha256"):
            store.install_from_index("ko", "en")
        assert listing(store) == before

        write_index(served, url, [name], {name: {"size": len(data) + 1}})
        with pytest.raises(PackageError, match="the index says"):
            store.install_from_index("ko", "en")
        assert listing(store) == before

        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        write_index(served, url, [name], {name: {"sha256": digest, "size": len(data)}})
        assert store.install_from_index("ko", "en").pair == "ko->en"


def test_index_url_follows_argostranslate_conventions(monkeypatch):
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", "http://mirror.example/argos/")
    assert index_url() == "http://mirror.example/argos/index.json"
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", "http://mirror.example/argos")
    assert index_url() == "http://mirror.example/argos/index.json"
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", "http://mirror.example/custom.json")
    assert index_url() == "http://mirror.example/custom.json"
    monkeypatch.delenv("ARGOS_PACKAGE_INDEX")
    assert index_url().startswith("https://raw.githubusercontent.com/argosopentech/argospm-index/")


def test_a_mirror_on_a_shared_disk_works_through_file_urls(tmp_path, served):
    name = "translate-en_ru-1_0.argosmodel"
    base = served.as_uri() + "/"
    store = make_store(tmp_path, write_index(served, base, [name]))
    assert store.index_url == base + "index.json"
    assert store.install_from_index("en", "ru").pair == "en->ru"
