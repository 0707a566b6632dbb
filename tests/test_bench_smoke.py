"""Smoke test of the benchmark scripts (not a benchmark): argument parsing, and the random-weight
bench package built at a tiny size (seconds) with its MiniSBD splitter and decoding behaviour."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _load(name: str):
    return importlib.import_module(f"scripts.{name}")


@pytest.fixture(scope="module")
def small_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench-out")
    result = subprocess.run([sys.executable, "-m", "scripts.bench", "build-model", "--small",
                             "--out", str(out)], capture_output=True, text=True, timeout=120, cwd=REPO)
    assert result.returncode == 0, result.stderr
    return out


def test_every_subcommand_parses():
    bench = _load("bench")
    for argv in (["langid", "--help"], ["build-model", "--help"], ["library", "--help"],
                 ["service", "--help"], ["glossary", "--help"], ["all", "--help"]):
        with pytest.raises(SystemExit) as exc:
            bench.main(argv)
        assert exc.value.code == 0


def test_langid_table_from_a_small_set(tmp_path):
    data = tmp_path / "set.tsv"
    data.write_text("language\tlength\tsource\ttext\n"
                    "en\theadline\twire\tShoigu in Pyongyang\n"
                    "bg\theadline\twire\tПарламентът в Сеул отстрани Юн Сук Йол\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "scripts.bench", "langid", "--data", str(data),
                             "--only", "glossa"], capture_output=True, text=True, timeout=120, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert "headline: accuracy en/ko/ru" in result.stdout and "100.0%" in result.stdout
    assert "wire headlines: unsupported refused" in result.stdout


def test_bad_pair_is_one_line_error():
    result = subprocess.run([sys.executable, "-m", "scripts.bench", "build-model", "--pairs", "en-xx"],
                            capture_output=True, text=True, timeout=60, cwd=REPO)
    assert result.returncode == 2
    assert "bad pair 'en-xx'" in result.stderr
    assert "Traceback" not in result.stderr


def test_package_has_argos_layout(small_build):
    for pair in ("en_ru", "en_ko"):
        root = small_build / "packages" / f"translate-{pair}-bench"
        meta = json.loads((root / "metadata.json").read_text())
        assert (meta["from_code"], meta["to_code"]) == tuple(pair.split("_"))
        assert (root / "model" / "model.bin").stat().st_size > 0
        assert (root / "sentencepiece.model").exists()
        assert (root / "minisbd" / "en.onnx").exists()
        assert (small_build / f"translate-{pair}-bench.argosmodel").exists()


def test_minisbd_splitter_splits_offline(small_build):
    from minisbd import SBDetect

    detector = SBDetect(str(small_build / "packages" / "translate-en_ru-bench" / "minisbd" / "en.onnx"),
                        use_gpu=False)
    text = "Kim Jong-un arrived in Moscow. He met the minister on 3.5 terms! Talks went on"
    assert detector.sentences(text) == ["Kim Jong-un arrived in Moscow.",
                                        "He met the minister on 3.5 terms!", "Talks went on"]


def test_random_decoder_runs_to_the_bound(small_build):
    import ctranslate2
    import sentencepiece

    root = small_build / "packages" / "translate-en_ru-bench"
    sp = sentencepiece.SentencePieceProcessor(model_file=str(root / "sentencepiece.model"))
    assert sp.get_piece_size() == 1200  # padded to the shape's vocabulary
    translator = ctranslate2.Translator(str(root / "model"), compute_type="int8")
    tokens = sp.encode("The delegation arrived in Pyongyang.", out_type=str)
    result = translator.translate_batch([tokens], beam_size=2, max_decoding_length=17)
    assert len(result[0].hypotheses[0]) == 17  # no end token: the bound decides the work
    assert "<s>" not in result[0].hypotheses[0]
