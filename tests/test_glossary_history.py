"""A text's translation depends only on the text, the model and the glossary: never on what was
translated before it, nor on what shares its batch (a cluster batch run gives the same bytes as a
local one, a service answers a request the same whatever came before).

The enforcer keeps one kind of knowledge across calls (and processes, on disk), which concepts
a model writes unaided, and that is a probe's answer about the concept alone
(service/glossary/probe.py). Here real demo
models translate texts whose new terms need repair (stand-ins, placeholders), alone in a fresh
pipeline, after other texts, and inside one batch with them, in several orders: identical
translations and term reports. Nothing is mocked.
"""

from __future__ import annotations

from dataclasses import asdict, replace

import pytest

from service.glossary.store import GlossaryStore
from service.glossary.termbase import Concept, Rendering
from service.pipeline import Pipeline, TranslationRequest

NEW = [
    Concept("Pak Jong-chon", "person", renderings={
        "ko": Rendering("박정천"), "ru": Rendering("Пак Чон Чхон", gender="m")}),
    Concept("Hyon Song-wol", "person", renderings={
        "ko": Rendering("현송월"), "ru": Rendering("Хён Сон Воль", gender="f", indeclinable=True)}),
    Concept("Samara", "place", renderings={"ko": Rendering("사마라"), "ru": Rendering("Самара")}),
]

# (text, source, target). The first is the one whose stand-in a batch-mate used to choose: with
# what a call learnt kept for the whole call, "Vladimir Putin visited Pyongyang." beside it made
# Putin the stand-in (dative shown: "Пак Чон Чхону"), alone another one (genitive shown).
TEXTS = [
    ("Kim Jong-un sent a message to Pak Jong-chon.", "en", "ru"),
    ("Vladimir Putin visited Pyongyang.", "en", "ru"),
    ("Kim Jong-un met with Pak Jong-chon in Pyongyang. Hyon Song-wol returned to Samara.", "en", "ru"),
    ("The Culture Minister left for Samara.", "en", "ru"),
    ("Pak Jong-chon visited Pyongyang. Hyon Song-wol met with Kim Jong-un.", "en", "ko"),
    ("김정은은 평양에서 박정천과 만났다.", "ko", "ru"),
    ("현송월은 평양을 방문했다.", "ko", "en"),
    # second mentions: enforced as concepts of their own, which probes must not confuse with
    # the glossary's (they are asked about the glossary without any call's mentions)
    ("Olga Lyubimova visited Pyongyang. Lyubimova met with Pak Jong-chon.", "en", "ru"),
    ("Kim Jong-un met with Pak Jong-chon in Pyongyang. Kim visited Samara.", "en", "ko"),
]


@pytest.fixture
def settings(demo_settings, gdir):
    GlossaryStore(gdir).import_concepts(NEW)
    return replace(demo_settings, glossary_dir=gdir, cache_size=0)  # every call decodes


def _request(text: str, source: str, target: str) -> TranslationRequest:
    return TranslationRequest(text, target, source, "text", True)


def _shown(result) -> tuple[str, list[dict], list[str]]:
    return result.translation, [asdict(t) for t in result.terms], list(result.warnings)


def test_a_text_translates_the_same_alone_after_others_and_in_a_batch(settings) -> None:
    alone = {}
    for text, source, target in TEXTS:  # each in a pipeline of its own: nothing known before
        alone[text] = _shown(Pipeline(settings).translate_many([_request(text, source, target)])[0])

    after = Pipeline(settings)  # one after the other, in reverse order
    for text, source, target in reversed(TEXTS):
        assert _shown(after.translate_many([_request(text, source, target)])[0]) == alone[text], text

    for order in (TEXTS, TEXTS[::-1], TEXTS[1::2] + TEXTS[::2]):  # one batch, in fresh pipelines
        results = Pipeline(settings).translate_many([_request(*item) for item in order])
        for (text, _, _), result in zip(order, results):
            assert _shown(result) == alone[text], text

    # The texts did need repair (else this would prove nothing about the enforcer's memory).
    strategies = {t["strategy"] for shown in alone.values() for t in shown[1]}
    assert {"standin"} <= strategies
    assert alone[TEXTS[0][0]][0] == "Ким Чен Ын направил послание Пак Чон Чхону."


def test_probes_are_batched_and_asked_once(settings) -> None:
    """What a model knows is probed in a few batched engine calls the first time its concepts
    are met, and never again: a second identical call makes exactly the engine calls of the
    translation itself."""
    from service.glossary.probe import Probes

    pipeline = Pipeline(settings)
    enforcer = pipeline.glossary_enforcer()
    enforcer.probes = Probes(pipeline.engine, on_disk=False)  # nothing known from earlier tests
    requests = [_request(*item) for item in TEXTS if item[1:] == ("en", "ru")]
    before = dict(pipeline.engine.stats())
    cold = [_shown(r) for r in pipeline.translate_many(requests)]
    middle = dict(pipeline.engine.stats())
    probed = enforcer.probes.probed
    assert probed >= 3 * 3  # the terms (three shapes each) and some of their stand-ins' candidates
    first = [_shown(r) for r in pipeline.translate_many(requests)]
    after = dict(pipeline.engine.stats())
    second = [_shown(r) for r in pipeline.translate_many(requests)]
    last = dict(pipeline.engine.stats())
    assert cold == first == second
    assert enforcer.probes.probed == probed
    calls = [n["translate_batch_calls"] - o["translate_batch_calls"] for o, n in
             ((before, middle), (middle, after), (after, last))]
    assert calls[1] == calls[2] and calls[0] > calls[1]
    # Batched: per hop one engine call for the terms, then one per chunk of stand-in candidates.
    assert 1 <= enforcer.probes.calls <= 1 + 48 // 8


def test_a_fresh_process_reuses_what_was_probed(settings, tmp_path) -> None:
    """Probes are kept on disk (like the Russian forms): a second `glossa translate` of a new
    term in a fresh process finds every answer there and writes nothing new."""
    import os
    import subprocess
    import sys

    from service.glossary import probe

    cache = tmp_path / "cache"
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "ARGOS_PACKAGES_DIR": str(settings.packages_dir),
           "GLOSSA_GLOSSARY_DIR": str(settings.glossary_dir)}
    command = [sys.executable, "-m", "service", "translate", "-s", "en", "-t", "ru"]
    text = "Kim Jong-un sent a message to Pak Jong-chon.\n"
    first = subprocess.run(command, input=text, capture_output=True, text=True, env=env, timeout=180)
    assert first.returncode == 0, first.stderr
    files = list((cache / "glossa").glob("probes-*.json"))
    assert [f.name for f in files] == [probe.cache_path().name]
    written = files[0].read_bytes()
    assert b"Pak Jong-chon" in written
    stamp = (files[0].stat().st_ino, files[0].stat().st_mtime_ns)  # an atomic replace changes both
    second = subprocess.run(command, input=text, capture_output=True, text=True, env=env, timeout=180)
    assert second.returncode == 0, second.stderr
    assert second.stdout == first.stdout
    assert (files[0].stat().st_ino, files[0].stat().st_mtime_ns) == stamp  # nothing probed, nothing written
    assert files[0].read_bytes() == written
