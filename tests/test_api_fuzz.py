"""Property-based fuzzing of the OpenAPI schema (schemathesis) against a real loopback server:
whatever the generated request, the answer is never a 5xx.

Bounded (a few examples per operation) so that it runs in seconds; models are genuine tiny Argos
packages with random weights, the glossary a private copy (the fuzzer holds a valid key, so the
write endpoints are exercised too).
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error

from support.packages import build_package_dir
from support.server import glossary_copy, running_server, settings_for

KEY = "fuzz-key"


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("api-fuzz")
    (tmp / "packages").mkdir()
    for seed, (a, b) in enumerate([("en", "ko"), ("ko", "en"), ("en", "ru"), ("ru", "en")]):
        build_package_dir(tmp / "packages", a, b, seed=seed)
    glossary = glossary_copy(tmp / "glossary")
    limits = settings_for(tmp / "packages", glossary, api_keys=(KEY,), max_request_chars=2000, max_batch_texts=8,
                          max_body_bytes=64 * 1024, request_timeout=30)
    with running_server(limits) as url:
        yield url


def _operations(url: str):
    loaded = schemathesis.openapi.from_url(f"{url}/openapi.json")
    return [result.ok() for result in loaded.get_all_operations()]


def test_no_server_errors(fuzz_server) -> None:
    # Driven by hand rather than through schemathesis's pytest plugin, which does not support
    # this pytest version; the strategies and the check are schemathesis's own.
    operations = _operations(fuzz_server)
    assert len(operations) >= 15
    seen: dict[str, set[int]] = {}
    for operation in operations:

        @settings(max_examples=12, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy(), language=st.sampled_from([None, "en", "ko", "ru"]))
        def run(case, language: str | None) -> None:
            # Random strings are almost never a language code, so half of the cases get a real
            # one: otherwise translation itself would never be reached.
            if language and isinstance(case.body, dict) and "target" in case.body:
                case.body["target"] = language
                case.body["source"] = "ru" if language == "en" else "en"
                if "force_source" in case.body:  # random text contradicts any given source
                    case.body["force_source"] = True
                if isinstance(case.body.get("glossary"), str):  # a random name is never a glossary's
                    case.body["glossary"] = True
            response = case.call(base_url=fuzz_server, headers={"Authorization": f"Bearer {KEY}"}, timeout=60)
            seen.setdefault(operation.label, set()).add(response.status_code)  # noqa: B023 - run() is called at once
            assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.text}"
            case.validate_response(response, checks=[not_a_server_error])

        run()
    assert set(seen) == {op.label for op in operations}
    # The fuzzer got through to the engine, not only to the validators.
    assert 200 in seen["POST /v1/translate"] and 200 in seen["POST /translate"], seen
