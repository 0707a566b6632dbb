"""The engine on real CTranslate2 models: tiny random-weight packages from the factory (mechanics)
and the committed demo models (what they translate)."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
import threading
import zipfile
from dataclasses import replace
from pathlib import Path

import ctranslate2
import pytest

from service.config import Settings
from service.engine import ARGOS_LENGTH_PENALTY, Engine, Hypothesis, decoding_bound
from service.errors import PackageError
from service.models.package import InstalledPackage, read_package
from support.packages import _CORPUS, build_package_dir

# Sentences of very different lengths, so CTranslate2's sort-and-split has work to do.
SENTENCES = [
    "Hello world.",
    "Kim Jong Un inspected factory number 7 and spoke with workers.",
    "평양에서 3번째 회의가 열렸다.",
    "Министр встретился с делегацией в Москве 5 мая.",
    "The minister met the delegation in Pyongyang on day 2 of the visit. "
    "Kim Jong Un inspected factory number 1 and spoke with workers.",
    "Привет, мир.",
    "안녕하세요.",
    "The minister met the delegation.",
    "factory number 42",
    "Ким Чен Ын посетил завод.",
]

# max_batch_tokens this small makes CTranslate2 split the call into several padded batches.
SMALL_BATCHES = 64


def settings(**overrides) -> Settings:
    return replace(Settings(), intra_threads=1, **overrides)


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> InstalledPackage:
    # Seed 4 happens to give outputs that differ between sentences; no assertion relies on it.
    return read_package(build_package_dir(tmp_path_factory.mktemp("pkg"), "en", "ko", seed=4))


@pytest.fixture(scope="module")
def prefixed_package(tmp_path_factory) -> InstalledPackage:
    """A package whose metadata asks for a target-language token forced first (as multilingual
    Argos models do); the token must be in the vocabulary, so a placeholder piece stands in."""
    pkg_dir = build_package_dir(tmp_path_factory.mktemp("prefixed"), "en", "ru", seed=4)
    meta = json.loads((pkg_dir / "metadata.json").read_text(encoding="utf-8"))
    meta["target_prefix"] = "⟦3⟧"
    (pkg_dir / "metadata.json").write_text(json.dumps(meta), encoding="utf-8")
    return read_package(pkg_dir)


@pytest.fixture
def engine() -> Engine:
    return Engine(settings(max_batch_tokens=SMALL_BATCHES))


def raw_translator(package: InstalledPackage) -> ctranslate2.Translator:
    return ctranslate2.Translator(str(package.model_dir), compute_type="int8", intra_threads=1)


# ---------------------------------------------------------------- tokenization


def test_tokenize_detokenize_round_trip(engine, package):
    texts = [_CORPUS[0], _CORPUS[30], _CORPUS[40], "Hello world."]
    tokens = engine.tokenize(package, texts)
    assert all(len(t) > 1 and all(isinstance(p, str) for p in t) for t in tokens)
    assert engine.detokenize(package, tokens) == texts
    assert engine.tokenize(package, [""]) == [[]]


def test_detokenize_keeps_underscores_and_copied_unknown_pieces(engine, package):
    # "▁ZQ" is not in the vocabulary: replace_unknowns can copy such a piece from the source.
    assert engine.detokenize(package, [["▁Hello", "▁ZQ", "_x"]]) == ["Hello ZQ_x"]


# ---------------------------------------------------------------- batching, order, cache


def test_one_batched_call_equals_sentence_by_sentence(package):
    batched = Engine(settings(max_batch_tokens=SMALL_BATCHES, cache_size=0))
    alone = Engine(settings(cache_size=0))
    sources = batched.tokenize(package, SENTENCES)
    together = batched.translate_tokens(package, sources, return_scores=True)
    assert batched.stats()["model_calls"] == 1
    for src, hyps in zip(sources, together):
        [single] = alone.translate_tokens(package, [src], return_scores=True)
        assert hyps[0].tokens == single[0].tokens
        assert hyps[0].score == pytest.approx(single[0].score, rel=1e-4, abs=1e-4)
    assert batched.translate(package, SENTENCES) == [alone.translate(package, [s])[0] for s in SENTENCES]


def test_order_is_the_input_order(engine, package):
    # A distinct forced prefix per sentence shows where each result came from, whatever the
    # sorting inside CTranslate2 did.
    sources = engine.tokenize(package, SENTENCES)
    prefixes = engine.tokenize(package, [f"number {i}" for i in range(len(SENTENCES))])
    results = engine.translate_tokens(package, sources, target_prefix=prefixes)
    for i, (prefix, hyps) in enumerate(zip(prefixes, results)):
        assert hyps[0].tokens[: len(prefix)] == prefix
        assert hyps[0].text.startswith(f"number {i}")


def test_translate_matches_raw_ctranslate2_with_argos_options(engine, package):
    translator = raw_translator(package)
    expected = []
    for tokens in engine.tokenize(package, SENTENCES):
        [result] = translator.translate_batch(
            [tokens], beam_size=4, length_penalty=0.2, replace_unknowns=True,
            max_decoding_length=decoding_bound(len(tokens)),
        )
        expected.append(engine.detokenize(package, [result.hypotheses[0]])[0])
    assert engine.translate(package, SENTENCES) == expected
    assert ARGOS_LENGTH_PENALTY == 0.2 and Settings().beam_size == 4


def test_cache_hits_skip_the_model(engine, package):
    first = engine.translate(package, SENTENCES)
    after_first = engine.stats()
    assert after_first["model_calls"] == 1
    assert after_first["cache_misses"] == len(SENTENCES)
    assert after_first["sentences_translated"] == len(SENTENCES)

    again = engine.translate(package, list(reversed(SENTENCES)))
    stats = engine.stats()
    assert again == list(reversed(first))
    assert stats["model_calls"] == 1
    assert stats["cache_hits"] == len(SENTENCES)

    # A mix: cached sentences come from the cache, only the new one reaches the model.
    engine.translate(package, [SENTENCES[0], "A new sentence.", SENTENCES[1]])
    stats = engine.stats()
    assert stats["model_calls"] == 2
    assert stats["sentences_translated"] == len(SENTENCES) + 1


def test_cache_is_bounded_lru(package):
    engine = Engine(settings(cache_size=2))
    engine.translate(package, ["Hello world."])
    engine.translate(package, ["Привет, мир."])
    engine.translate(package, ["Hello world."])  # refreshes it
    engine.translate(package, ["안녕하세요."])  # evicts "Привет, мир."
    assert engine.stats()["cache_entries"] == 2
    calls = engine.stats()["model_calls"]
    engine.translate(package, ["Hello world."])
    assert engine.stats()["model_calls"] == calls
    engine.translate(package, ["Привет, мир."])
    assert engine.stats()["model_calls"] == calls + 1


def test_cache_keys_include_decoding_options(engine, package):
    sources = engine.tokenize(package, SENTENCES[:3])
    engine.translate_tokens(package, sources)
    engine.translate_tokens(package, sources, beam_size=1)
    engine.translate_tokens(package, sources, max_decoding_length=3)
    assert engine.stats()["model_calls"] == 3
    engine.translate_tokens(package, sources, beam_size=1)
    assert engine.stats()["model_calls"] == 3


def test_cached_results_cannot_be_mutated_by_callers(engine, package):
    sources = engine.tokenize(package, ["Hello world."])
    [hyps] = engine.translate_tokens(package, sources)
    hyps[0].tokens.append("garbage")
    [again] = engine.translate_tokens(package, sources)
    assert "garbage" not in again[0].tokens


def test_duplicates_in_one_call_are_translated_once(engine, package):
    out = engine.translate(package, ["Hello world.", "Привет, мир.", "Hello world.", "Hello world."])
    assert out[0] == out[2] == out[3]
    stats = engine.stats()
    assert stats["sentences_translated"] == 2
    assert stats["model_calls"] == 1


def test_empty_sentences_never_reach_the_model(engine, package):
    assert engine.translate(package, ["", "   ", "\n"]) == ["", "", ""]
    assert engine.translate(package, []) == []
    stats = engine.stats()
    assert stats["model_calls"] == 0
    assert stats["loaded_models"] == []
    # Text that SentencePiece encodes to no pieces at all (zero-width space, BOM) is empty too.
    assert engine.translate(package, ["\u200b", "\ufeff"]) == ["", ""]
    assert engine.stats()["model_calls"] == 0
    out = engine.translate(package, ["", "Hello world.", "\u200b"])
    assert out[0] == out[2] == "" and engine.stats()["sentences_translated"] == 1


# ---------------------------------------------------------------- decoding options


def test_forced_prefix_starts_the_output(engine, package):
    sources = engine.tokenize(package, SENTENCES[:4])
    prefix = engine.tokenize(package, ["Kim Jong Un"])[0]
    results = engine.translate_tokens(package, sources, target_prefix=[prefix, [], prefix, prefix])
    for i in (0, 2, 3):
        assert results[i][0].tokens[: len(prefix)] == prefix
        assert results[i][0].text.startswith("Kim Jong Un")
    unforced = engine.translate_tokens(package, [sources[1]])
    assert results[1][0].tokens == unforced[0][0].tokens


def test_several_hypotheses_with_scores(engine, package):
    sources = engine.tokenize(package, SENTENCES[:3])
    results = engine.translate_tokens(package, sources, num_hypotheses=3, return_scores=True)
    for hyps in results:
        assert len(hyps) == 3
        assert all(isinstance(h, Hypothesis) and isinstance(h.score, float) for h in hyps)
        assert [h.score for h in hyps] == sorted((h.score for h in hyps), reverse=True)
        assert len({tuple(h.tokens) for h in hyps}) == 3
    plain = engine.translate_tokens(package, sources, num_hypotheses=3)
    assert all(h.score is None for hyps in plain for h in hyps)


def test_decoding_length_is_bounded(engine, package):
    sources = engine.tokenize(package, SENTENCES)
    for hyps in engine.translate_tokens(package, sources, max_decoding_length=3, beam_size=1):
        assert len(hyps[0].tokens) <= 3
    for src, hyps in zip(sources, engine.translate_tokens(package, sources, beam_size=1)):
        assert len(hyps[0].tokens) <= decoding_bound(len(src))


def test_bad_arguments_are_value_errors(engine, package):
    with pytest.raises(ValueError, match="target_prefix"):
        engine.translate_tokens(package, [["▁a"]], target_prefix=[])
    with pytest.raises(ValueError, match="targets"):
        engine.score_tokens(package, [["▁a"]], [])


# ---------------------------------------------------------------- metadata target_prefix


def test_metadata_target_prefix_is_forced_and_stripped(engine, prefixed_package):
    pkg = prefixed_package
    assert pkg.target_prefix == "⟦3⟧"
    sources = engine.tokenize(pkg, SENTENCES)
    translator = raw_translator(pkg)
    for src, text in zip(sources, engine.translate(pkg, SENTENCES)):
        [raw] = translator.translate_batch(
            [src], target_prefix=[["⟦3⟧"]], beam_size=4, length_penalty=0.2,
            replace_unknowns=True, max_decoding_length=decoding_bound(len(src), 1),
        )
        assert raw.hypotheses[0][0] == "⟦3⟧"
        assert text == engine.detokenize(pkg, [raw.hypotheses[0][1:]])[0]
    user_prefix = engine.tokenize(pkg, ["Hello"])[0]
    [hyps] = engine.translate_tokens(pkg, sources[:1], target_prefix=[user_prefix])
    assert hyps[0].tokens[: len(user_prefix)] == user_prefix


def test_metadata_target_prefix_is_not_scored(engine, prefixed_package):
    pkg = prefixed_package
    sources = engine.tokenize(pkg, SENTENCES[:3])
    targets = engine.tokenize(pkg, ["Hello world.", "안녕하세요.", "Привет, мир."])
    raw = raw_translator(pkg).score_batch(sources, [["⟦3⟧", *t] for t in targets], offset=1)
    expected = [sum(r.log_probs) / len(r.log_probs) for r in raw]
    assert engine.score_tokens(pkg, sources, targets) == pytest.approx(expected, rel=1e-4)


# ---------------------------------------------------------------- scoring


def test_score_is_mean_log_prob_of_score_batch(engine, package):
    sources = engine.tokenize(package, SENTENCES)
    targets = engine.tokenize(package, list(reversed(SENTENCES)))
    raw = raw_translator(package).score_batch(sources, targets)
    expected = [sum(r.log_probs) / len(r.log_probs) for r in raw]
    assert engine.score_tokens(package, sources, targets) == pytest.approx(expected, rel=1e-4)
    assert engine.score(package, SENTENCES, list(reversed(SENTENCES))) == pytest.approx(expected, rel=1e-4)
    assert engine.score_tokens(package, [], []) == []


def test_own_greedy_output_scores_better_than_a_shuffled_one(engine, package):
    sources = engine.tokenize(package, SENTENCES)
    greedy = [h[0].tokens for h in engine.translate_tokens(package, sources, beam_size=1)]
    rng = random.Random(0)
    pairs = []
    for src, out in zip(sources, greedy):
        if len(set(out)) < 3:
            continue  # too few distinct pieces to shuffle into something different
        shuffled = out[:]
        while shuffled == out:
            rng.shuffle(shuffled)
        pairs.append((src, out, shuffled))
    assert len(pairs) >= 3, "the random model gave too uniform outputs for this test"
    good = engine.score_tokens(package, [p[0] for p in pairs], [p[1] for p in pairs])
    bad = engine.score_tokens(package, [p[0] for p in pairs], [p[2] for p in pairs])
    assert all(g > b for g, b in zip(good, bad)), (good, bad)


# ---------------------------------------------------------------- sharing and loading


def test_concurrent_calls_share_one_model_and_agree(package):
    reference = Engine(settings(cache_size=0)).translate(package, SENTENCES)
    engine = Engine(settings(max_batch_tokens=SMALL_BATCHES, cache_size=4))
    start = threading.Barrier(8)
    results: dict[int, list[str]] = {}
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        order = list(range(len(SENTENCES)))
        random.Random(worker).shuffle(order)
        try:
            start.wait()  # all threads race for the first load
            for _ in range(3):
                out = engine.translate(package, [SENTENCES[i] for i in order])
                results[worker] = [out[order.index(i)] for i in range(len(SENTENCES))]
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert all(out == reference for out in results.values()) and len(results) == 8
    assert len(engine.stats()["loaded_models"]) == 1


def test_a_released_package_loads_again_on_its_next_use(package):
    engine = Engine(settings(cache_size=0))
    first = engine.translate(package, SENTENCES)
    assert engine.is_loaded(package)
    engine.release(package)
    assert not engine.is_loaded(package) and engine.stats()["loaded_models"] == []
    assert engine.translate(package, SENTENCES) == first
    assert engine.stats()["loaded_models"] == [package.key]


def test_a_broken_model_is_a_package_error(tmp_path, package):
    broken = tmp_path / "broken"
    shutil.copytree(package.path, broken)
    (broken / "model" / "model.bin").write_bytes(b"not a model")
    engine = Engine(settings())
    with pytest.raises(PackageError, match="cannot load the en->ko model") as info:
        engine.translate(read_package(broken), ["Hello world."])
    assert "\n" not in str(info.value)


def test_importing_the_engine_loads_nothing_heavy():
    code = (
        "import sys, service, service.engine, service.segment\n"
        "heavy = [m for m in ('ctranslate2', 'sentencepiece', 'torch', 'stanza', 'sentencex') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parent.parent)


# ---------------------------------------------------------------- demo models


def _demo_package(demo_dir: Path, pair: str, dest: Path) -> InstalledPackage:
    archives = sorted(demo_dir.glob(f"*{pair}*.argosmodel"))
    assert archives, f"no demo model for {pair} in {demo_dir}"
    with zipfile.ZipFile(archives[0]) as zf:
        zf.extractall(dest)
        top = zf.namelist()[0].split("/")[0]
    return read_package(dest / top)


def _held_out(src: str, tgt: str, n: int) -> list[tuple[str, str]]:
    # The generator reserves a hash partition that training never sees (scripts/demo_corpus.py).
    from scripts import demo_corpus

    return demo_corpus.heldout(src, tgt, n)


@pytest.mark.parametrize("src,tgt", [("en", "ko"), ("ko", "en"), ("en", "ru"), ("ru", "en")])
def test_demo_models_translate_held_out_sentences(demo_models_dir, tmp_path, src, tgt):
    package = _demo_package(demo_models_dir, f"{src}_{tgt}", tmp_path)
    assert package.demo and (package.from_code, package.to_code) == (src, tgt)
    pairs = _held_out(src, tgt, 12)
    engine = Engine(settings())
    outputs = engine.translate(package, [source for source, _ in pairs])
    assert engine.stats()["model_calls"] == 1
    wrong = [(s, ref, out) for (s, ref), out in zip(pairs, outputs) if out != ref]
    # The demo models translate nearly perfectly on their closed vocabulary: at most one slip.
    assert len(wrong) <= 1, wrong


def test_sentences_are_grouped_by_decoding_bound(package):
    # CTranslate2 takes one max_decoding_length per call; a short sentence must not be allowed to
    # run to a long neighbour's bound, so sentences of very different lengths take separate calls,
    # and sentences of similar length share one.
    engine = Engine(settings(cache_size=0))
    short = engine.tokenize(package, ["Kim met Putin."])[0]
    long = engine.tokenize(package, [" ".join(SENTENCES)])[0]
    assert decoding_bound(len(long)) - decoding_bound(len(short)) > 16
    engine.translate_tokens(package, [short, long, short[:-1]])
    stats = engine.stats()
    assert stats["model_calls"] == 1
    assert stats["translate_batch_calls"] == 2
