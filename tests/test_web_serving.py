"""The web page's server side, without a browser: the page and its assets are served from the
package with nothing external, and GET /v1/glossary/check reports what `glossa glossary check` does."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from fnmatch import fnmatch
from pathlib import Path

import httpx
import polib
import pytest
import tomllib

from service.web import STATIC_DIR
from support.server import glossary_copy, running_server, settings_for

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def glossary_dir(tmp_path_factory) -> Path:
    return glossary_copy(tmp_path_factory.mktemp("web-serving") / "glossary")


@pytest.fixture(scope="module")
def base_url(demo_settings, glossary_dir):
    with running_server(settings_for(demo_settings.packages_dir, glossary_dir)) as url:
        yield url


def test_the_page_is_served_at_the_root_with_a_self_only_policy(base_url) -> None:
    answer = httpx.get(f"{base_url}/")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    policy = answer.headers["content-security-policy"]
    assert "default-src 'self'" in policy
    assert '<script type="module" src="static/js/app.js">' in answer.text
    assert not re.search(r"\b(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", answer.text, re.I), "the page names another host"
    assert httpx.get(f"{base_url}/docs").status_code == 200  # the page does not hide the API's own docs


def test_every_asset_the_page_loads_is_served_and_nothing_comes_from_elsewhere(base_url) -> None:
    index = httpx.get(f"{base_url}/").text
    wanted = set(re.findall(r'(?:src|href)="(static/[^"]+)"', index))
    # ES module imports: follow them from app.js, as the browser does.
    queue = [p for p in wanted if p.endswith(".js")]
    while queue:
        path = queue.pop()
        source = httpx.get(f"{base_url}/{path}").text
        for name in re.findall(r'from "\./([\w-]+\.js)"', source):
            full = f"static/js/{name}"
            if full not in wanted:
                wanted.add(full)
                queue.append(full)
    on_disk = {f"static/{p.relative_to(STATIC_DIR).as_posix()}" for p in STATIC_DIR.rglob("*") if p.is_file()}
    on_disk.remove("static/index.html")  # served at /
    assert wanted == on_disk, "every shipped file is used, and every used file is shipped"
    types = {".js": "javascript", ".css": "text/css"}
    for path in sorted(wanted):
        answer = httpx.get(f"{base_url}/{path}")
        assert answer.status_code == 200, path
        assert types[Path(path).suffix] in answer.headers["content-type"], path
        assert answer.headers["cache-control"] == "no-cache"
        assert not re.search(r"\b(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", answer.text, re.I), f"{path} names another host"
    assert httpx.get(f"{base_url}/static/nothing.js").status_code == 404


def test_the_static_files_are_package_data() -> None:
    patterns = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["service"]
    package_root = REPO / "service"
    for path in STATIC_DIR.rglob("*"):
        if path.is_file():
            relative = path.relative_to(package_root).as_posix()
            assert any(fnmatch(relative, pattern) for pattern in patterns), f"{relative} would not be installed"


def test_check_endpoint_reports_what_the_cli_reports(base_url, glossary_dir) -> None:
    report = httpx.get(f"{base_url}/v1/glossary/check").json()
    cli = subprocess.run([sys.executable, "-m", "service", "glossary", "--dir", str(glossary_dir), "check", "--json"],
                         capture_output=True, text=True, timeout=120)
    assert report["issues"] == json.loads(cli.stdout)
    assert report["errors"] == sum(1 for i in report["issues"] if i["severity"] == "error")
    assert report["warnings"] == len(report["issues"]) - report["errors"]
    assert "person" in report["categories"] and "place" in report["categories"]


def test_check_endpoint_names_the_concepts_of_a_broken_glossary(base_url, glossary_dir) -> None:
    # A terminologist's slip made in a PO editor: Moscow's Russian rendering given to Seoul too.
    path = glossary_dir / "ru.po"
    po = polib.pofile(str(path), wrapwidth=78)
    seoul = next(e for e in po if e.msgid == "Seoul")
    original = seoul.msgstr
    seoul.msgstr = next(e for e in po if e.msgid == "Moscow").msgstr
    po.save(str(path))
    try:
        report = httpx.get(f"{base_url}/v1/glossary/check").json()
    finally:
        seoul.msgstr = original
        po.save(str(path))
    assert report["errors"] >= 1
    # The page shows an issue next to the concept it names (by msgid, or in the message).
    assert any("Seoul" in i["msgid"] + i["message"] and "Moscow" in i["msgid"] + i["message"]
               for i in report["issues"] if i["severity"] == "error"), report["issues"]
    again = httpx.get(f"{base_url}/v1/glossary/check").json()
    assert again["errors"] == 0, again["issues"]
