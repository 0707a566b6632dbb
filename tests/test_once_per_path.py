"""Each check is made once on each path (issue 11, item 4): per batch file the text is validated,
parsed and detected once, its route looked up once per run; per HTTP request each text is
validated and its languages checked once. The real functions run; the test only counts calls."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import httpx
import pytest

import service.batch.runner as runner
import service.pipeline as pipeline_module
from service.batch import BatchOptions, run_batch
from service.models.store import ModelStore
from service.pipeline import Pipeline
from support.server import running_server, settings_for

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def counted(monkeypatch) -> Counter:
    calls: Counter = Counter()

    def count(module, name: str) -> None:
        real = getattr(module, name)

        def wrapper(*args, **kwargs):
            calls[name] += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, wrapper)

    for name in ("validate_text", "parse_document", "detect", "check_language_code"):
        count(pipeline_module, name)
    count(runner, "detect")  # the batch's own detection (explicit sources only)
    count(ModelStore, "route")
    return calls


def test_a_batch_file_is_read_once(demo_settings, tmp_path: Path, counted: Counter) -> None:
    feed = tmp_path / "feed"
    shutil.copytree(REPO / "samples" / "batch", feed)
    files = sorted(p for p in feed.rglob("*") if p.is_file())
    assert len(files) == 4  # en, ko, ru articles and a Ukrainian one (refused)
    summary = run_batch(BatchOptions(in_dir=feed, out_dir=tmp_path / "out", targets=("ko", "ru")), demo_settings,
                        pipeline=Pipeline(demo_settings))
    assert summary.counts.get("failed") == 2 and summary.counts.get("translated") == 4
    assert counted["validate_text"] == counted["parse_document"] == counted["detect"] == len(files)
    # Four pairs need models (en->ko, en->ru, ko->ru, ru->ko; ko->ko and ru->ru are copies): each
    # looked up once for the manifest, and once for its sentence group in the one shared call.
    assert counted["route"] == 4 + 4, counted
    assert counted["check_language_code"] == 6  # each (file, target) task's target, once


def test_an_http_request_checks_each_text_once(demo_settings, tmp_path: Path, counted: Counter) -> None:
    settings = settings_for(demo_settings.packages_dir, tmp_path / "no-glossary")
    with running_server(settings) as url:
        body = {"texts": ["Kim Jong-un visited Moscow.", "Sergei Lavrov arrived in Pyongyang."], "target": "ru",
                "glossary": False}
        answer = httpx.post(f"{url}/v1/translate", json=body, timeout=120)
        assert answer.status_code == 200, answer.text
        assert counted["validate_text"] == 2 and counted["parse_document"] == 2
        assert counted["check_language_code"] == 2  # the target, once per text; the source is auto
        assert counted["detect"] == 2
        body["source"] = "en"
        counted.clear()
        assert httpx.post(f"{url}/v1/translate", json=body, timeout=120).status_code == 200
        # A given source is checked against the text: still one detection per text.
        assert counted["check_language_code"] == 4 and counted["detect"] == 2
        assert counted["validate_text"] == 2
