"""What the performance work relies on, checked for behaviour (speed itself is measured by
scripts/bench.py, never here): the faster detection tables are the same numbers, the Russian forms
cache gives the same forms without loading pymorphy3, and the engine's count of decoded pieces is
what CTranslate2 decoded (the library benchmark compares contenders by it)."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import ctranslate2
import numpy as np
import pytest

from service.config import Settings
from service.engine import ARGOS_LENGTH_PENALTY, Engine, bound_groups, decoding_bound
from service.models.package import read_package
from support.packages import build_package_dir

REPO = Path(__file__).resolve().parent.parent


def test_ngram_tables_equal_the_per_gram_definition():
    import langdetect

    from service import detect

    profile_dir = Path(langdetect.__file__).parent / "profiles"
    langs = ("ru", "uk", "bg", "mk")
    scorer = detect._NgramScorer(langs, profile_dir)
    profiles = [json.loads((profile_dir / lang).read_text(encoding="utf-8")) for lang in langs]
    expected = np.empty_like(scorer.matrix)
    for j, prof in enumerate(profiles):
        for gram, i in scorer.index.items():
            p = prof["freq"].get(gram, 0) / prof["n_words"][len(gram) - 1]
            expected[i, j] = math.log(p + detect._SMOOTHING)
    assert scorer.matrix.dtype == np.float32
    assert np.array_equal(scorer.matrix, expected)


_FORMS_SCRIPT = """
import json, sys
from service.glossary.russian import russian_forms
from service.glossary.termbase import Rendering
forms = {
    "person": russian_forms(Rendering(text="Ольга Любимова", gender="f"), "person"),
    "phrase": russian_forms(Rendering(text="Министерство культуры"), "organization"),
}
print(json.dumps({"forms": {k: sorted(map(list, v.items())) for k, v in forms.items()},
                  "pymorphy3_loaded": "pymorphy3" in sys.modules}, ensure_ascii=False))
"""


def _forms_run(cache_home: Path) -> dict:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home), "PYTHONPATH": str(REPO)}
    result = subprocess.run([sys.executable, "-c", _FORMS_SCRIPT], env=env, cwd=REPO, capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_russian_forms_come_from_the_cache_in_a_fresh_process(tmp_path):
    first = _forms_run(tmp_path)
    assert first["pymorphy3_loaded"]  # generated: nothing cached yet
    files = list((tmp_path / "glossa").glob("russian-forms-*.json"))
    assert len(files) == 1
    second = _forms_run(tmp_path)
    assert second["forms"] == first["forms"]
    assert not second["pymorphy3_loaded"]  # read from the file
    assert ["ins", "sg", "Ольгой Любимовой"] in [[*k, v] for k, v in second["forms"]["person"]]


def test_a_damaged_forms_cache_is_ignored(tmp_path):
    reference = _forms_run(tmp_path / "clean")
    [path] = (tmp_path / "clean" / "glossa").glob("russian-forms-*.json")
    damaged = tmp_path / "damaged" / "glossa" / path.name
    damaged.parent.mkdir(parents=True)
    damaged.write_text('{"truncated": [', encoding="utf-8")
    assert _forms_run(tmp_path / "damaged")["forms"] == reference["forms"]
    json.loads(damaged.read_text(encoding="utf-8"))  # rewritten whole


def test_pieces_decoded_is_what_ctranslate2_decoded(tmp_path):
    package = read_package(build_package_dir(tmp_path, "en", "ko", seed=4))
    engine = Engine(Settings(intra_threads=1))
    sentences = ["Hello world.", "The minister met the delegation in Pyongyang on day 2 of the visit.",
                 "factory number 42", "Hello world."]  # a duplicate is decoded once
    engine.translate(package, sentences)
    distinct = engine.tokenize(package, list(dict.fromkeys(sentences)))
    translator = ctranslate2.Translator(str(package.model_dir), compute_type="int8", intra_threads=1)
    expected = 0
    for bound, indices in bound_groups([decoding_bound(len(t)) for t in distinct]).items():
        for result in translator.translate_batch([distinct[i] for i in indices], beam_size=4,
                                                 length_penalty=ARGOS_LENGTH_PENALTY, replace_unknowns=True,
                                                 max_decoding_length=bound):
            expected += len(result.hypotheses[0])
    assert expected > 0
    assert engine.stats()["pieces_decoded"] == expected
    engine.translate(package, sentences)  # all cached: no decoding
    assert engine.stats()["pieces_decoded"] == expected


@pytest.mark.parametrize("name", ["coldstart", "memory"])
def test_new_bench_subcommands_parse(name):
    result = subprocess.run([sys.executable, "-m", "scripts.bench", name, "--help"],
                            capture_output=True, text=True, timeout=60, check=False, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert "--markdown" in result.stdout


def test_the_library_bench_runs_its_workers_from_a_fresh_install(tmp_path):
    # Its workers are separate processes: they must find the scripts package and this interpreter
    # without the developer's PYTHONPATH (they once ran `.venv/bin/python scripts/...py`).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run([sys.executable, "-m", "scripts.bench", "library", "--small-model", "--articles", "1",
                             "--reps", "1", "--contenders", "glossa,ctranslate2", "--out", str(tmp_path)],
                            capture_output=True, text=True, timeout=300, check=False, cwd=REPO, env=env)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    rows = {line.split()[0]: line.split() for line in result.stdout.splitlines() if line.startswith(("glossa ", "ctranslate2 "))}
    assert set(rows) == {"glossa", "ctranslate2"}
    # Both decoded the same pieces: the same model work.
    assert rows["glossa"][6] == rows["ctranslate2"][6] and int(rows["glossa"][6].replace(",", "")) > 0
