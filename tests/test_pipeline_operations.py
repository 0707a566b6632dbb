"""The pipeline's public operations that the faces use instead of its store and engine: read once
and reuse, translate each with per-item failure isolation, route lookup, verify."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from service.errors import GlossaError, InputError, ModelNotFoundError, UnsupportedLanguageError
from service.pipeline import Pipeline
from service.results import TranslationRequest, TranslationResult


def _req(text: str, target: str = "ru", source: str = "en", **kw) -> TranslationRequest:
    return TranslationRequest(text, target, source, glossary=False, **kw)


def test_translate_each_isolates_bad_items_and_keeps_order(demo_pipeline: Pipeline) -> None:
    good = ["Kim Jong-un visited Moscow.", "Sergei Lavrov arrived in Pyongyang."]
    outcomes = demo_pipeline.translate_each([
        _req(good[0]),
        _req("Kim Jong-un visited Moscow.", target="xx"),
        _req("   ", name="texts[2]"),
        _req("Kim Jong-un visited Moscow.", target="en"),
        _req(good[1], target="ko"),
    ])
    assert isinstance(outcomes[1], UnsupportedLanguageError)
    assert isinstance(outcomes[2], InputError) and str(outcomes[2]) == "texts[2] contains only whitespace"
    assert isinstance(outcomes[3], InputError) and "source and target are both en" in str(outcomes[3])
    alone = [demo_pipeline.translate(good[0], source="en", target="ru", glossary=False),
             demo_pipeline.translate(good[1], source="en", target="ko", glossary=False)]
    assert [o.translation for o in (outcomes[0], outcomes[4])] == [a.translation for a in alone]
    # translate_many keeps raising the first error, before translating anything.
    with pytest.raises(UnsupportedLanguageError):
        demo_pipeline.translate_many([_req(good[0]), _req(good[0], target="xx")])


def test_a_broken_model_fails_only_the_texts_that_need_it(demo_settings, tmp_path: Path) -> None:
    """A real broken package (its model file truncated after install): en->ru texts still come back."""
    import shutil

    packages = tmp_path / "packages"
    shutil.copytree(demo_settings.packages_dir, packages)
    [ko_en] = [p for p in packages.iterdir() if "ko_en" in p.name]
    model = ko_en / "model" / "model.bin"
    model.write_bytes(model.read_bytes()[:1000])
    pipeline = Pipeline(replace(demo_settings, packages_dir=packages))
    outcomes = pipeline.translate_each([_req("Kim Jong-un visited Moscow."),
                                        _req("김정은은 모스크바를 방문했다.", target="en", source="ko")])
    assert isinstance(outcomes[0], TranslationResult) and outcomes[0].translation == "Ким Чен Ын посетил Москву."
    assert isinstance(outcomes[1], Exception) and not isinstance(outcomes[1], TranslationResult)


def test_a_reading_is_reused_not_redone(demo_pipeline: Pipeline) -> None:
    text = "Kim Jong-un visited Moscow."
    article = demo_pipeline.read(text, name="kim.txt")
    assert article.source == "en" and article.detected and article.detected["language"] == "en"
    # An article read with an explicit source keeps it: the request's "auto" is not re-detected.
    forced = demo_pipeline.read(text, source="ko", force_source=True)
    [result] = demo_pipeline.translate_many([_req(text, target="ru", source="auto", article=forced)])
    assert result.source == "ko" and result.detected is None
    with pytest.raises(InputError, match="kim.txt is empty"):
        demo_pipeline.read("", name="kim.txt")


def test_route_lookup_names_what_to_install(demo_pipeline: Pipeline, tmp_path: Path) -> None:
    assert [p.pair for p in demo_pipeline.route("ko", "ru")] == ["ko->en", "en->ru"]
    empty = Pipeline(replace(demo_pipeline.settings, packages_dir=tmp_path / "none"))
    with pytest.raises(ModelNotFoundError, match="glossa models install"):
        empty.route("en", "ko")
    assert empty.packages() == ([], [])


def test_verify_checks_the_output_not_only_that_it_runs(demo_pipeline: Pipeline) -> None:
    results = demo_pipeline.verify()
    assert sorted(r.packages[0].pair for r in results) == ["en->ko", "en->ru", "ko->en", "ru->en"]
    assert all(r.ok and r.problem is None for r in results), [(r.output, r.problem) for r in results]
    [pivot] = demo_pipeline.verify("ru", "ko")
    assert pivot.ok and pivot.output == "세르게이 라브로프는 평양에 도착했다."


def test_probe_check_rules() -> None:
    from service.models.package import InstalledPackage
    from service.models.probes import PROBES, check_probe

    def pkg(src: str, tgt: str, demo: bool) -> InstalledPackage:
        return InstalledPackage(Path("/x"), src, tgt, "1.0", "test", demo=demo)

    assert check_probe([pkg("en", "ru", True)], PROBES["ru"]) is None
    assert check_probe([pkg("en", "ru", True)], "Ким Чен Ын прибыл в Пхеньян.") == f"expected {PROBES['ru']!r}"
    assert check_probe([pkg("en", "ru", False)], "Министр прибыл в Пхеньян.") is None  # any Russian
    assert "Russian script" in (check_probe([pkg("en", "ru", False)], "The minister arrived.") or "")
    assert check_probe([pkg("en", "ko", False)], PROBES["en"]) == "the output is the input, untranslated"
    assert check_probe([pkg("en", "ko", False)], "  ") == "empty output"


def test_glossa_errors_stay_in_one_module() -> None:
    import inspect

    import service.errors as errors

    defined = {name for name, obj in vars(errors).items()
               if inspect.isclass(obj) and issubclass(obj, GlossaError)}
    assert defined == set(errors.__all__)
    for name in defined:  # the tree in the docstring names every class
        assert name in (errors.__doc__ or "")
    assert not any(hasattr(getattr(errors, n), "http_status") for n in defined)  # HTTP is the API's
