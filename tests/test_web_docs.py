"""The API docs (/docs, Swagger UI; /redoc) render in a real headless Chromium with every request
to anything but the loopback server blocked, as on an air-gapped machine: the UI's files come
from the installed package (fastapi-offline), not from a CDN.

Same browser as tests/test_web_page.py (Debian's Chromium driven by Playwright; skipped with the
reason where absent, a failure under GLOSSA_REQUIRE_BROWSER=1).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx
import pytest
from test_web_page import browser  # noqa: F401 - the shared Chromium fixture

from support.server import glossary_copy, running_server, settings_for

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@pytest.fixture(scope="module")
def base_url(demo_settings, tmp_path_factory):
    glossary = glossary_copy(tmp_path_factory.mktemp("web-docs") / "glossary")
    with running_server(settings_for(demo_settings.packages_dir, glossary)) as url:
        yield url


@pytest.fixture
def offline_page(browser):  # noqa: F811
    """A page whose requests to any host but loopback are aborted (and recorded)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    blocked: list[str] = []
    errors: list[str] = []

    def gate(route) -> None:
        url = route.request.url
        if url.startswith(("data:", "blob:")) or urlsplit(url).hostname in LOOPBACK:
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    context.route("**/*", gate)
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page, blocked, errors
    context.close()


def test_swagger_ui_renders_offline(offline_page, base_url, tmp_path) -> None:
    page, blocked, errors = offline_page
    page.goto(f"{base_url}/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "Glossa" in page.inner_text(".swagger-ui .info .title")
    # Every operation of the spec is listed, the translation route among them, and it opens.
    spec = httpx.get(f"{base_url}/openapi.json").json()
    operations = sum(len(methods) for methods in spec["paths"].values())
    page.wait_for_selector(".opblock")
    assert page.locator(".opblock").count() == operations
    translate = page.locator(".opblock-post", has_text="/v1/translate").first
    translate.locator(".opblock-summary").click()
    page.wait_for_selector(".opblock-post.is-open .opblock-body")
    page.screenshot(path=str(tmp_path / "docs.png"), full_page=False)
    assert not errors, errors
    assert not blocked, f"the docs page tried to reach other hosts: {blocked}"


def test_redoc_renders_offline(offline_page, base_url) -> None:
    page, blocked, errors = offline_page
    page.goto(f"{base_url}/redoc")
    page.wait_for_selector("h1:has-text('Glossa')")
    # The operations are listed in the side menu (ReDoc renders from the same spec).
    assert page.get_by_text("/v1/translate").count() > 0
    assert not errors, errors
    # ReDoc's bundle links its "API docs by Redocly" menu logo from its CDN; that image is the one
    # thing missing offline. Anything else fetched from elsewhere would be a page that breaks.
    others = [u for u in blocked if not u.startswith("https://cdn.redoc.ly/redoc/logo-mini.svg")]
    assert not others, f"the ReDoc page tried to reach other hosts: {others}"


def test_docs_assets_are_served_by_the_app(base_url) -> None:
    html = httpx.get(f"{base_url}/docs").text
    assert "cdn.jsdelivr.net" not in html and "unpkg.com" not in html
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        assert f"/docs-assets/{asset}" in html
        answer = httpx.get(f"{base_url}/docs-assets/{asset}")
        assert answer.status_code == 200 and len(answer.content) > 10_000
