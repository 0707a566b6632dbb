"""The micro-batching queue on its own, driven by a real pipeline with the demo models: requests
that arrive together share ONE ``translate_sentences`` call, one client's bad input does not spoil
the batch it shares, the queue is bounded and requests have deadlines."""

from __future__ import annotations

import asyncio

import pytest

from service.api.batching import MicroBatcher, QueueFullError, RequestTimeoutError
from service.api.errors import http_status
from service.errors import GlossaError
from service.pipeline import Pipeline, TranslationRequest
from support.server import install_packages, settings_for


@pytest.fixture(scope="module")
def pipeline(demo_models_dir, tmp_path_factory) -> Pipeline:
    tmp = tmp_path_factory.mktemp("batching")
    packages = install_packages(sorted(demo_models_dir.glob("*.argosmodel")), tmp / "packages")
    return Pipeline(settings_for(packages, tmp / "no-glossary"))


class Recording:
    """The real pipeline, with a record of how many requests each engine call served (what the
    test checks)."""

    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline
        self.calls: list[int] = []

    def prepare(self, request):
        return self.pipeline.prepare(request)

    def translate_sentences(self, sentences):
        self.calls.append(len({id(s.owner) for s in sentences}))
        return self.pipeline.translate_sentences(sentences)

    def finish(self, prepared):
        return self.pipeline.finish(prepared)


SENTENCES = ["Kim Jong Un visited Moscow.", "The delegation arrived in Pyongyang.",
             "Sergei Lavrov met Choe Son Hui.", "The talks were held in the Kremlin.",
             "The minister returned to Seoul."]


def _req(text: str, target: str = "ru", source: str = "en") -> TranslationRequest:
    return TranslationRequest(text, target, source, glossary=False)


def test_requests_arriving_together_share_one_pipeline_call(pipeline) -> None:
    recording = Recording(pipeline)
    batcher = MicroBatcher(recording, window_s=0.05, max_queue=16, timeout_s=120)

    async def main():
        try:
            return await asyncio.gather(*(batcher.submit([_req(s)]) for s in SENTENCES))
        finally:
            await batcher.close()

    answers = asyncio.run(main())
    assert recording.calls == [len(SENTENCES)]
    expected = pipeline.translate_many([_req(s) for s in SENTENCES])
    assert [a[0].translation for a in answers] == [e.translation for e in expected]


def test_one_bad_request_does_not_spoil_the_shared_batch(pipeline) -> None:
    recording = Recording(pipeline)
    batcher = MicroBatcher(recording, window_s=0.05, max_queue=16, timeout_s=120)

    async def main():
        try:
            return await asyncio.gather(
                batcher.submit([_req(SENTENCES[0])]),
                batcher.submit([_req(SENTENCES[1], target="xx")]),
                batcher.submit([_req(SENTENCES[2], target="ko")]),
                return_exceptions=True)
        finally:
            await batcher.close()

    good1, bad, good2 = asyncio.run(main())
    assert isinstance(bad, GlossaError) and bad.code == "unsupported_language"
    assert good1[0].translation == pipeline.translate(SENTENCES[0], source="en", target="ru", glossary=False).translation
    assert good2[0].translation == pipeline.translate(SENTENCES[2], source="en", target="ko", glossary=False).translation
    # Refused while being prepared: the bad request never joined the batch the others shared.
    assert recording.calls == [2]


def test_queue_is_bounded_and_requests_have_deadlines(pipeline) -> None:
    batcher = MicroBatcher(Recording(pipeline), window_s=0.2, max_queue=2, timeout_s=120)

    async def main():
        try:
            return await asyncio.gather(*(batcher.submit([_req(s)]) for s in SENTENCES[:4]),
                                        return_exceptions=True)
        finally:
            await batcher.close()

    outcomes = asyncio.run(main())
    refused = [o for o in outcomes if isinstance(o, QueueFullError)]
    assert len(refused) == 2 and all(o.retry_after >= 1 and http_status(o) == 503 for o in refused)
    assert all(isinstance(o, list) for o in outcomes[:2])

    late = MicroBatcher(Recording(pipeline), window_s=0.2, max_queue=2, timeout_s=0.01)

    async def expire():
        try:
            await late.submit([_req(SENTENCES[0])])
        finally:
            await late.close()

    with pytest.raises(RequestTimeoutError):
        asyncio.run(expire())
