"""Issue 12 through the CLI and batch as a user runs them (real subprocesses, demo models, real
files): text that is not Unicode text is refused with one line, one bad JSON line never fails the
others, long unpunctuated text is translated whole or the loss is named, and the errors a new user
met say what is true."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from service.config import Settings
from service.pipeline import Pipeline
from support.server import REPO, install_packages


@pytest.fixture(scope="module")
def env(demo_models_dir, tmp_path_factory) -> dict[str, str]:
    packages = install_packages(sorted(demo_models_dir.glob("*.argosmodel")),
                                tmp_path_factory.mktemp("reliability-cli") / "packages")
    return {**os.environ, "ARGOS_PACKAGES_DIR": str(packages), "GLOSSA_THREADS": "1"}


def glossa(*args: str, env: dict[str, str], stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "service", *args], input=stdin, capture_output=True,
                          timeout=300, env=env, cwd=REPO)


def one_line_error(proc: subprocess.CompletedProcess, *fragments: str) -> str:
    err = proc.stderr.decode()
    assert proc.returncode == 2, (proc.returncode, err)
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("glossa: error:"), err
    assert "Traceback" not in err and "internal error" not in err, err
    for fragment in fragments:
        assert fragment in lines[0], err
    return lines[0]


# -- item 2 ---------------------------------------------------------------------------------------

def test_non_characters_are_refused_by_translate(env) -> None:
    one_line_error(glossa("translate", "-t", "ru", "-", env=env, stdin="Kim \uffff visited.".encode()),
                   "non-character", "U+FFFF")


def test_a_lone_surrogate_on_one_jsonl_line_fails_that_line_only(env, tmp_path) -> None:
    lines = [json.dumps({"id": "a", "text": "Kim Jong Un visited Moscow.", "source": "en"}),
             '{"id": "bad", "text": "Kim \\ud800 visited Moscow.", "source": "en"}',
             json.dumps({"id": "c", "text": "The delegation arrived in Pyongyang.", "source": "en"})]
    requests = tmp_path / "requests.jsonl"
    requests.write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = glossa("translate", "-t", "ru", "--jsonl", str(requests), "--no-glossary", env=env)
    assert proc.returncode == 1, proc.stderr.decode()  # some lines failed
    records = {r["id"]: r for r in map(json.loads, proc.stdout.decode().splitlines())}
    assert records["bad"]["error"]["code"] == "invalid_input"
    assert "lone surrogate" in records["bad"]["error"]["message"]
    assert records["a"]["translation"] and records["c"]["translation"]


def test_batch_fails_the_file_with_a_non_character_and_translates_the_others(env, tmp_path) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "good.txt").write_text("Kim Jong Un visited Moscow.\n", encoding="utf-8")
    (inbox / "bad.txt").write_text("Kim Jong Un visited \ufdd0 Moscow.\n", encoding="utf-8")
    proc = glossa("batch", str(inbox), "-o", str(tmp_path / "out"), "-t", "ru", "-s", "en", env=env)
    assert proc.returncode == 1, proc.stderr.decode()
    assert (tmp_path / "out" / "ru" / "good.txt").read_text(encoding="utf-8").strip()
    assert not (tmp_path / "out" / "ru" / "bad.txt").exists()
    manifest = [json.loads(line) for line in (tmp_path / "out" / "manifest.jsonl").read_text().splitlines()]
    failed = [r for r in manifest if r.get("status") == "failed"]
    assert len(failed) == 1 and "non-character" in json.dumps(failed[0])


# -- item 4: nothing truncated silently ------------------------------------------------------------

def _clauses(demo_corpus, pipeline: Pipeline, limit: int, count: int) -> list[str]:
    """Demo sentences, without their final period, each between limit/2 and limit pieces with
    the comma the splitter cuts after: so that two never fit one part and each part is one
    sentence the demo model knows."""
    package = pipeline.store.route("en", "ru")[0]
    out: list[str] = []
    for source, _ in demo_corpus.generate("en", "ru", 4000, 5, placeholder_rate=0.0):
        clause = source.rstrip(".") + ","
        if "," in clause[:-1]:
            continue
        pieces = len(pipeline.engine.tokenize(package, [clause])[0])
        if limit // 2 < pieces <= limit:
            out.append(clause)
        if len(out) == count:
            break
    return out


def test_50000_characters_of_clauses_without_a_period_are_all_translated(env, tmp_path, demo_corpus) -> None:
    # Before the fix this text was cut into 1,000-character "sentences" the model gave up on:
    # 50,000 characters came back as about 2,000, with no warning.
    limit = 24
    pipeline = Pipeline(Settings(packages_dir=Path(env["ARGOS_PACKAGES_DIR"]), intra_threads=1))
    clauses = _clauses(demo_corpus, pipeline, limit, 60)
    assert len(clauses) == 60
    text = ""
    order = []
    while len(text) < 50_000:
        clause = clauses[len(order) % len(clauses)]
        order.append(clause)
        text += clause + " "
    article = tmp_path / "long.txt"
    article.write_text(text.rstrip(" ,") + "\n", encoding="utf-8")
    proc = glossa("translate", "-s", "en", "-t", "ru", "--json", "--no-glossary", str(article),
                  env={**env, "GLOSSA_MAX_SENTENCE_PIECES": str(limit)})
    assert proc.returncode == 0, proc.stderr.decode()
    result = json.loads(proc.stdout)
    alone = {c: pipeline.translate(c, source="en", target="ru", glossary=False).translation for c in clauses}
    # Every clause's own translation is in the output, in order.
    position = 0
    for clause in order[:-1]:  # (the last one lost its comma)
        found = result["translation"].find(alone[clause], position)
        assert found >= 0, f"the translation of {clause!r} is missing after offset {position}"
        position = found + len(alone[clause])
    assert len(result["sentences"]) >= len(order)
    assert any("GLOSSA_MAX_SENTENCE_PIECES" in w and "parts" in w for w in result["warnings"])


def test_99000_characters_without_punctuation_are_translated_in_parts_or_named(env, tmp_path) -> None:
    # No punctuation at all: cut at word boundaries. The demo model cannot translate such word
    # salad, so its short outputs must be named in warnings, never silently shorter.
    words = "Kim Jong Un visited Moscow and the minister met the delegation in Pyongyang".split()
    text = " ".join(words[i % len(words)] + ("" if i % 7 else str(i)) for i in range(16_000))[:99_000].strip()
    article = tmp_path / "words.txt"
    article.write_text(text, encoding="utf-8")
    proc = glossa("translate", "-s", "en", "-t", "ru", "--json", "--no-glossary", str(article), env=env)
    assert proc.returncode == 0, proc.stderr.decode()
    result = json.loads(proc.stdout)
    flagged = {int(m.group(1)) for w in result["warnings"]
               for m in [re.search(r"text at offset (\d+) .*looks incomplete", w)] if m}
    covered = 0
    for span in result["sentences"]:
        source_len = span["source_end"] - span["source_start"]
        target_len = span["target_end"] - span["target_start"]
        assert target_len > 0
        if target_len * 4 < source_len:
            assert span["source_start"] in flagged, f"a short translation at {span['source_start']} was not named"
        covered += source_len
    assert covered >= len(text) - len(result["sentences"])  # every character is in some part


# -- item 10 ------------------------------------------------------------------------------------

def test_size_limit_error_reports_the_real_size_and_a_flag_that_exists(env, tmp_path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"Kim Jong Un visited Moscow. " * 45_715)  # 1,280,020 bytes
    line = one_line_error(glossa("translate", "-t", "ru", str(big), env={**env, "GLOSSA_MAX_CHARS": "1000"}),
                          "1,280,020 bytes", "1,000 characters")
    flags = re.findall(r"--[a-z][a-z-]+", line)
    assert flags == ["--max-chars"]
    help_text = glossa("translate", "--help", env=env).stdout.decode()
    assert all(flag in help_text for flag in flags)
    small = tmp_path / "small.txt"
    small.write_text("Kim Jong Un visited Moscow.", encoding="utf-8")
    one_line_error(glossa("translate", "-s", "en", "-t", "ru", "--max-chars", "10", str(small), env=env),
                   "27 characters", "10")
    assert glossa("translate", "-s", "en", "-t", "ru", "--max-chars", "100", str(small), env=env).returncode == 0


def test_output_under_a_file_is_a_one_line_error(env, tmp_path) -> None:
    (tmp_path / "report").write_text("not a folder", encoding="utf-8")
    small = tmp_path / "small.txt"
    small.write_text("Kim Jong Un visited Moscow.", encoding="utf-8")
    for output in ("report/out.txt", "report/deeper/out.txt"):
        one_line_error(glossa("translate", "-t", "ru", "-o", str(tmp_path / output), str(small), env=env),
                       "is a file, not a folder")
    assert (tmp_path / "report").read_text(encoding="utf-8") == "not a folder"


def test_detected_source_equal_to_target_is_an_error_as_the_readme_says(env) -> None:
    one_line_error(glossa("translate", "-t", "en", "-", env=env, stdin=b"Kim Jong Un visited Moscow."),
                   "already in English", "nothing to translate")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "a target equal to the source, given or detected" in readme


def _readme_commands() -> list[list[str]]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", readme, re.DOTALL):
        for line in block.splitlines():
            for part in line.split("#")[0].split(";"):
                part = part.split("|")[-1].strip()
                if part.startswith("glossa "):
                    commands.append(shlex.split(part))
    return commands


def test_readme_examples_use_files_that_ship() -> None:
    commands = _readme_commands()
    assert len(commands) > 10
    for argv in commands:
        for previous, arg in zip(argv, argv[1:]):
            if previous in ("-o", "--output") or arg.startswith(("-", "/tmp/", "./")):
                continue  # outputs, and a user's own downloaded package file
            if "/" in arg or re.search(r"\.(txt|md|html|jsonl)$", arg):
                matches = list(REPO.glob(arg)) if "*" in arg else [REPO / arg]
                assert matches and all(m.exists() for m in matches), \
                    f"README: `{' '.join(argv)}`: {arg} does not ship"


def test_readme_jsonl_example_runs(env) -> None:
    proc = glossa("translate", "-t", "ru", "--jsonl", "samples/requests.jsonl", env=env)
    assert proc.returncode == 0, proc.stderr.decode()
    records = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert len(records) == len((REPO / "samples" / "requests.jsonl").read_text().splitlines())
    assert all(r.get("translation") for r in records)


def test_a_long_sentence_with_markup_is_cut_with_every_tag_kept_in_place(env) -> None:
    # The cut parts of a sentence whose placeholders were renumbered for the model (each sentence
    # from ⟦0⟧) must map back to the unit's markup and offsets: every tag once, spans in order.
    words = "Kim Jong Un visited Moscow and the minister met the delegation in Pyongyang".split()
    body = " ".join(f"<b>{w}</b>" if i % 5 == 0 else w for i, w in enumerate(words * 12))
    # The first sentence's twelve tags make the long one's placeholders ⟦12⟧... in the unit.
    first = " ".join(f"<i>{w}</i>" for w in words[:12])
    html = f"<p>{first}. {body}</p>"
    pipeline = Pipeline(Settings(packages_dir=Path(env["ARGOS_PACKAGES_DIR"]), intra_threads=1,
                                 max_sentence_pieces=24))
    result = pipeline.translate(html, source="en", target="ru", format="html", glossary=False)
    assert any("GLOSSA_MAX_SENTENCE_PIECES" in w and "parts" in w for w in result.warnings)
    assert result.translation.count("<b>") == body.count("<b>")
    assert result.translation.count("</b>") == body.count("</b>")
    assert result.translation.count("<i>") == 12 and result.translation.count("</i>") == 12
    assert result.translation.count("<p>") == 1 and result.translation.count("</p>") == 1
    ends = [0]
    for span in result.sentences:
        assert 0 <= span.source_start < span.source_end <= len(html)
        assert span.source_start >= ends[-1]
        ends.append(span.source_end)
