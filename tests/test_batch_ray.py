"""`glossa batch --ray` on a real two-node Ray cluster on loopback (issue 17).

One cluster for the module (scripts/ray_cluster.py): a head and a worker node, each its own
`ray start` process group with one CPU and 100 MB of object store, every port on 127.0.0.1,
dashboard and usage statistics off, token authentication on. Each node runs one actor (one
Pipeline with the demo models). The outputs are compared byte for byte with a local run of the
same files. The worker node is SIGKILLed in the last test, so that test stays last.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

pytest.importorskip("ray")

from scripts import demo_corpus  # noqa: E402
from scripts.ray_cluster import LoopbackCluster  # noqa: E402
from service.batch import read_manifest  # noqa: E402

REPO = Path(__file__).resolve().parent.parent

ARTICLES = 102
SUBSET = 36  # the kill and edit tests use the first SUBSET articles (enough chunks to kill mid-run)


def _article_feed(root: Path, count: int) -> Path:
    """``count`` short articles in en/ko/ru (rotating), each of distinct demo-corpus sentences."""
    triples = demo_corpus.triples(count * 3, seed=17, placeholder_rate=0.0)
    langs = ("en", "ko", "ru")
    for index in range(count):
        lang = langs[index % 3]
        sentences = [t[langs.index(lang)] for t in triples[index * 3:(index + 1) * 3]]
        path = root / lang / f"article-{index:03d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(" ".join(sentences) + "\n", encoding="utf-8")
    return root


def _outputs(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.parent != out and ".glossa-batch" not in p.parts and not p.name.startswith(".")}


def _manifest_keys(out: Path) -> list[tuple[str, str]]:
    lines = (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    return [(json.loads(line)["input"], json.loads(line)["target"]) for line in lines]


@pytest.fixture(scope="module")
def cluster(demo_settings):
    env = {"ARGOS_PACKAGES_DIR": str(demo_settings.packages_dir)}
    with LoopbackCluster(workers=1, cpus_per_node=1, env=dict(os.environ, **env)) as running:
        yield running


@pytest.fixture(scope="module")
def articles(tmp_path_factory, demo_settings):
    """The feed and its local run (the reference every cluster run must match byte for byte)."""
    root = tmp_path_factory.mktemp("ray-feed")
    feed = _article_feed(root / "feed", ARTICLES)
    subset = root / "subset"
    for path in sorted(feed.rglob("*.txt"))[:SUBSET]:
        target = subset / path.relative_to(feed)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    reference = root / "reference"
    proc = subprocess.run(_cmd(feed, reference, "--chunk-files", "32"), capture_output=True, text=True,
                          env=_local_env(demo_settings), timeout=600)
    assert proc.returncode == 0, proc.stderr
    expected = _outputs(reference)
    assert len(expected) == 2 * ARTICLES
    return feed, subset, reference, expected


def _local_env(settings) -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(REPO), ARGOS_PACKAGES_DIR=str(settings.packages_dir))


def _cmd(feed: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "service", "batch", str(feed), "-o", str(out), "-t", "ko,ru", "--jobs", "2", *extra]


def _ray_cmd(cluster, feed: Path, out: Path, *extra: str) -> list[str]:
    return _cmd(feed, out, "--ray", cluster.address, "--chunk-files", "2", *extra)


def _subset_expected(expected: dict[str, bytes], subset: Path) -> dict[str, bytes]:
    rels = {p.relative_to(subset).as_posix() for p in subset.rglob("*.txt")}
    return {k: v for k, v in expected.items() if k.split("/", 1)[1] in rels}


def _start_and_wait(cmd: list[str], env: dict[str, str], lines: int, until: str | None = None) -> subprocess.Popen:
    """Start a run and return once it has logged ``lines`` translated files (and, with ``until``,
    a line containing that text)."""
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, env=env)
    seen = 0
    waiting = until is not None
    assert proc.stderr is not None
    for line in proc.stderr:
        if line.startswith("glossa batch: translated"):
            seen += 1
        if waiting and until in line:
            waiting = False
        if seen >= lines and not waiting:
            return proc
    proc.wait()
    raise AssertionError(f"the run ended (exit {proc.returncode}) before {lines} files were translated")


def test_an_unreachable_cluster_is_one_line_and_exit_code_2(tmp_path: Path) -> None:
    """Ray itself would retry for minutes and then quietly start a local instance of its own."""
    import socket

    feed = tmp_path / "feed"
    (feed / "en").mkdir(parents=True)
    (feed / "en" / "a.txt").write_text("Olga Lyubimova left for Moscow.\n", encoding="utf-8")
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = dict(os.environ, PYTHONPATH=str(REPO), RAY_USAGE_STATS_ENABLED="0")
    proc = subprocess.run(_cmd(feed, tmp_path / "out", "--ray", f"127.0.0.1:{port}"), capture_output=True,
                          text=True, env=env, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert f"cannot reach the Ray cluster at 127.0.0.1:{port}" in proc.stderr
    assert "Traceback" not in proc.stderr and "Started a local Ray instance" not in proc.stderr


def test_a_cluster_run_is_byte_identical_to_a_local_run(cluster, articles, demo_settings, tmp_path: Path) -> None:
    feed, _subset, reference, expected = articles
    out = tmp_path / "out"
    env = cluster.driver_env(_local_env(demo_settings))
    proc = subprocess.run(_ray_cmd(cluster, feed, out, "--json"), capture_output=True, text=True, env=env,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert "on 2 node(s)" in proc.stderr  # both nodes translated
    local, ray = read_manifest(reference / "manifest.jsonl")[0], read_manifest(out / "manifest.jsonl")[0]
    statuses = [r["status"] for r in local.values()]
    assert json.loads(proc.stdout)["counts"] == {s: statuses.count(s) for s in set(statuses)}
    assert _outputs(out) == expected
    keys = _manifest_keys(out)
    assert len(keys) == len(set(keys)) == 2 * ARTICLES
    for key, record in ray.items():  # same records but for the run id and timings
        assert {k: v for k, v in record.items() if k not in ("run", "seconds")} == \
               {k: v for k, v in local[key].items() if k not in ("run", "seconds")}

    # A rerun on the cluster has nothing to do, and does not even start an actor.
    again = subprocess.run(_ray_cmd(cluster, feed, out, "--json"), capture_output=True, text=True, env=env,
                           timeout=300)
    assert again.returncode == 0 and json.loads(again.stdout)["counts"] == {"up to date": 2 * ARTICLES}
    assert "Ray:" not in again.stderr


def test_a_killed_driver_is_resumed(cluster, articles, demo_settings, tmp_path: Path) -> None:
    _feed, subset, _reference, expected = articles
    expected = _subset_expected(expected, subset)
    out = tmp_path / "out"
    env = cluster.driver_env(_local_env(demo_settings))
    proc = _start_and_wait(_ray_cmd(cluster, subset, out), env, lines=6)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    assert proc.stderr is not None
    proc.stderr.close()
    partial = _outputs(out)
    assert 6 <= len(partial) < len(expected)
    for rel, data in partial.items():
        assert data == expected[rel], f"{rel} is incomplete after the kill"
    records = read_manifest(out / "manifest.jsonl")[0]

    resumed = subprocess.run(_ray_cmd(cluster, subset, out, "--json"), capture_output=True, text=True, env=env,
                             timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    counts = json.loads(resumed.stdout)["counts"]
    assert counts["up to date"] >= len(records) - 1
    assert sum(counts.values()) == len(expected)
    assert _outputs(out) == expected
    keys = _manifest_keys(out)
    assert len(keys) == len(set(keys)) == len(expected)


def test_a_glossary_edit_during_the_run_does_not_mix_versions(cluster, articles, demo_settings,
                                                              tmp_path: Path) -> None:
    from service.glossary.store import GlossaryStore

    _feed, subset, reference, expected = articles
    expected = _subset_expected(expected, subset)
    glossary = tmp_path / "glossaries"
    shutil.copytree(REPO / "glossaries", glossary)
    store = GlossaryStore(glossary)
    version = store.termbase().version
    # The concept the most Korean outputs of the subset depend on.
    local = read_manifest(reference / "manifest.jsonl")[0]
    uses: dict[str, int] = {}
    for (rel, target), record in local.items():
        if target == "ko" and (subset / rel).exists():
            for term in record["terms"]:
                uses[term["concept"]] = uses.get(term["concept"], 0) + 1
    name = max(uses, key=lambda k: uses[k])
    concept = next(c for c in store.termbase().concepts() if c.msgid == name)

    out = tmp_path / "out"
    env = cluster.driver_env(_local_env(demo_settings))
    proc = _start_and_wait(_ray_cmd(cluster, subset, out, "--glossary", str(glossary)), env, lines=1)
    store.update(concept.msgid, concept.category,
                 renderings={"ko": replace(concept.rendering("ko"), text="편집된렌더링")})
    assert store.termbase().version != version
    done_at_edit = len(read_manifest(out / "manifest.jsonl")[0])
    assert proc.stderr is not None
    rest = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait(timeout=600) == 0, rest
    assert done_at_edit < len(expected)  # the edit landed mid-run
    records = read_manifest(out / "manifest.jsonl")[0]
    assert {r["glossary_version"] for r in records.values() if r["status"] == "translated"} == {version}
    assert _outputs(out) == expected  # every output made with the glossary as it was at the start

    # The next run sees the edit: only Korean outputs that contain the concept are redone.
    again = subprocess.run(_ray_cmd(cluster, subset, out, "--glossary", str(glossary), "--json"),
                           capture_output=True, text=True, env=env, timeout=600)
    assert again.returncode == 0, again.stderr
    after = read_manifest(out / "manifest.jsonl")[0]
    redone = {key for key, r in after.items() if r["run"] != records[key]["run"]
              and r["reason"].startswith("glossary changed")}
    assert redone and all(target == "ko" for _rel, target in redone)
    assert all("편집된렌더링" in (out / after[key]["output"]).read_text(encoding="utf-8") for key in redone)


def test_a_worker_node_killed_mid_run_loses_and_duplicates_nothing(cluster, articles, demo_settings,
                                                                   tmp_path: Path) -> None:
    """Last in the module: the worker node does not come back. The whole feed, so that plenty is
    left to translate once both actors (one per node) have loaded their models."""
    feed, _subset, _reference, expected = articles
    cluster.wait_idle()  # one actor per node: the killed driver's actors must be gone first
    out = tmp_path / "out"
    env = cluster.driver_env(_local_env(demo_settings))
    proc = _start_and_wait(_ray_cmd(cluster, feed, out), env, lines=2, until="(2 of 2)")
    worker = cluster.nodes[1]
    worker.kill(signal.SIGKILL, wait=10)  # its raylet, object store and the actor on it, at once
    assert not worker.alive()
    assert proc.stderr is not None
    rest = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait(timeout=600) == 0, rest
    notes = [line for line in rest.splitlines() if "note:" in line]
    assert any("a Ray worker was lost" in n and "sent to another" in n for n in notes), notes
    assert _outputs(out) == expected  # nothing lost
    keys = _manifest_keys(out)
    assert len(keys) == len(set(keys)) == len(expected)  # nothing duplicated
    records = read_manifest(out / "manifest.jsonl")[0]
    assert all(r["status"] in ("translated", "unchanged") for r in records.values())
