"""Fairness under load: how long a one-line request waits while large Markdown articles translate.

Issue 12 measured 0.018 s for a small request alone and 56 s while four 98 KB Markdown requests
ran. This benchmark reproduces that on loopback with two Glossa servers side by side, same model,
same machine, alternating:

- ``rounds``: the shipped queue (engine rounds of about ``GLOSSA_ROUND_SECONDS`` of work, at
  least ``GLOSSA_ROUND_CHARS`` characters, shared round-robin between waiting requests);
- ``one call``: the same server with ``GLOSSA_ROUND_CHARS`` so large that everything waiting goes
  to the engine in one call, as the queue did before (every large request in one batch).

Per server and repetition: the small request's latency alone (median of 5), then four large
Markdown articles sent at once and small requests sent one after another until the large ones
are done: the small requests' median and maximum latency, and the large requests' wall time.
Models: the demo models (default) or ``--packages DIR`` (e.g. the Argos-sized bench package built
by ``python -m scripts.bench build-model``). Numbers are timings only; never quality.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from scripts import bench_common as bc

REPO = Path(__file__).resolve().parent.parent

SMALL = "Kim Jong Un visited Moscow."


def _article(seed: int, size: int) -> str:
    """A Markdown article of about ``size`` characters from the demo corpus (headings, lists,
    emphasis, links: parsing costs something)."""
    from scripts import demo_corpus

    sentences = [s.source[0] for s in demo_corpus.sentence_sets(size // 40, seed, placeholder_rate=0.0)]
    blocks, i = [], 0
    while sum(len(b) for b in blocks) < size and i < len(sentences):
        chunk = sentences[i:i + 4]
        i += 4
        kind = (i // 4) % 4
        if kind == 0:
            blocks.append("## " + chunk[0].rstrip("."))
            blocks.extend(f"*{s}*" if n == 1 else s for n, s in enumerate(chunk[1:]))
        elif kind == 1:
            blocks.append("\n".join(f"- {s}" for s in chunk))
        else:
            blocks.append(" ".join(f"[{s}](https://example.org/{n})" if n == 2 else s for n, s in enumerate(chunk)))
    return "\n\n".join(blocks)[:size]


class GlossaServer:
    def __init__(self, name: str, env: dict[str, str]) -> None:
        self.name, self.port = name, bc.free_port()
        self.env = env
        self.proc: subprocess.Popen | None = None
        self.log = tempfile.TemporaryFile()

    def start(self) -> None:
        import httpx

        self.proc = subprocess.Popen([sys.executable, "-m", "service", "serve", "--host", "127.0.0.1",
                                      "--port", str(self.port), "--log-level", "warning"],
                                     env=self.env, stdout=self.log, stderr=subprocess.STDOUT, cwd=REPO)
        for _ in range(600):
            try:
                if httpx.get(f"{self.url}/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None:
                self.log.seek(0)
                raise RuntimeError(self.log.read().decode(errors="replace")[-2000:])
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not start")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()


async def _one(client: Any, url: str, body: dict[str, Any]) -> float:
    started = time.perf_counter()
    response = await client.post(f"{url}/v1/translate", json=body)
    response.raise_for_status()
    return time.perf_counter() - started


async def _measure(url: str, articles: list[str]) -> dict[str, Any]:
    import httpx

    small = {"text": SMALL, "source": "en", "target": "ru", "glossary": False}
    async with httpx.AsyncClient(timeout=3600) as client:
        alone = [await _one(client, url, small) for _ in range(5)]
        started = time.perf_counter()
        big = [asyncio.create_task(_one(client, url, {"text": a, "source": "en", "target": "ru",
                                                      "format": "markdown", "glossary": False}))
               for a in articles]
        await asyncio.sleep(0.2)  # let them arrive first
        during: list[float] = []
        while not all(t.done() for t in big) and len(during) < 10_000:
            during.append(await _one(client, url, small))
        await asyncio.gather(*big)
        big_wall = time.perf_counter() - started
    return {"alone": bc.median(alone), "during_median": bc.median(during) if during else float("nan"),
            "during_max": max(during) if during else float("nan"), "small_answered": len(during),
            "big_wall": big_wall}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--packages", type=Path, help="package directory (default: the demo models)")
    parser.add_argument("--big", type=int, default=4, help="large requests at once [4]")
    parser.add_argument("--size", type=int, default=98_000, help="characters per large request [98000]")
    parser.add_argument("--reps", type=int, default=2, help="repetitions per server [2]")
    parser.add_argument("--round-chars", type=int, help="GLOSSA_ROUND_CHARS of the rounds server [the default]")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")


def _demo_packages(home: Path) -> Path:
    from service.config import Settings
    from service.models.store import ModelStore

    packages = home / "packages"
    store = ModelStore(Settings(packages_dir=packages))
    for archive in sorted((REPO / "models" / "demo").glob("*.argosmodel")):
        store.install_file(archive)
    return packages


def run(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="glossa-fairness-") as tmp:
        home = Path(tmp)
        packages = args.packages or _demo_packages(home)
        env = {**bc.bench_env(packages, home / "home"), "GLOSSA_REQUEST_TIMEOUT": "3600",
               "GLOSSA_MAX_REQUEST_CHARS": str(max(100_000, args.size)),
               "GLOSSA_MAX_BODY_BYTES": str(max(2 * 1024 * 1024, 4 * args.size)),
               "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
        rounds_env = {**env, "GLOSSA_ROUND_CHARS": str(args.round_chars)} if args.round_chars else env
        servers = [GlossaServer("rounds", rounds_env),
                   GlossaServer("one call", {**env, "GLOSSA_ROUND_CHARS": str(10 ** 9), "GLOSSA_ROUND_SECONDS": "0"})]
        results: dict[str, list[dict[str, Any]]] = {s.name: [] for s in servers}
        try:
            for server in servers:
                server.start()
            for rep in range(args.reps):
                order = servers if rep % 2 == 0 else servers[::-1]
                for server in order:
                    articles = [_article(1000 * rep + i, args.size) for i in range(args.big)]
                    results[server.name].append(asyncio.run(_measure(server.url, articles)))
                    print(f"# {server.name} rep {rep + 1}: {results[server.name][-1]}", flush=True)
        finally:
            for server in servers:
                server.stop()
    rows = [("queue", "small alone (s)", "small during, median (s)", "small during, max (s)",
             "small answered during", f"{args.big} x {args.size:,}-char Markdown wall (s)")]
    for name, reps in results.items():
        def col(key: str, reps: list[dict[str, Any]] = reps) -> str:
            values = [r[key] for r in reps]
            return f"{bc.fmt(bc.median(values), 3)} ({bc.fmt(min(values), 3)}-{bc.fmt(max(values), 3)})"

        rows.append((name, col("alone"), col("during_median"), col("during_max"),
                     str(int(bc.median([r["small_answered"] for r in reps]))), col("big_wall")))
    bc.print_table(rows, markdown=args.markdown)
    print(f"\n{bc.machine()}; {'packages ' + str(args.packages) if args.packages else 'demo models'}; "
          f"{args.reps} repetitions, alternating")
    return 0


if __name__ == "__main__":  # python -m scripts.bench_fairness
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    sys.exit(run(parser.parse_args()))
