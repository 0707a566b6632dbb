"""Service path: Glossa's HTTP server vs a LibreTranslate server, on loopback, same bench package.

Both servers run as subprocesses on 127.0.0.1 with the bench package directory only:

- Glossa: ``python -m service serve`` (micro-batching queue), requests to ``POST /v1/translate``
  with ``glossary: false`` (LibreTranslate has no glossary to compare with) and source ``en``;
- LibreTranslate: ``bench-out/lt-venv/bin/libretranslate --load-only en,ru,ko`` from its own
  virtual environment (it pins its own argostranslate fork), model updates off; requests to
  ``POST /translate`` with source ``en``. Its translator uses argostranslate's decoding, so the
  benchmark bounds its ``max_decoding_length`` by the same rule as Glossa's engine: per sentence,
  in groups sharing a rounded bound (a ``sitecustomize`` on its path wraps
  ``ctranslate2.Translator``; nothing else changes).

For 1, 4, 16 (and 64: ``--clients 1,4,16,64``) concurrent clients, each sending single articles or batches of articles, the
servers take turns (order alternating per cell and repetition). Throughput counts sentences and
characters of completed requests over the cell's wall time: with ``--reps N`` the median of the
N repetitions and their min-max; latencies (p50, p95) are over every request of the cell's
repetitions. A server's peak RSS is measured per cell (its VmHWM, restarted before each cell).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from scripts import bench_common as bc

REPO = Path(__file__).resolve().parent.parent

LT_VENV = bc.BENCH_OUT / "lt-venv"
LT_VERSION = "1.9.6"
SITECUSTOMIZE = '''\
# Written by scripts/bench_service.py: the same decoding bound as Glossa's engine.
import ctranslate2 as _ct2

_Base = _ct2.Translator


class _Bounded:
    def __init__(self, *args, **kwargs):
        self._t = _Base(*args, **kwargs)

    def translate_batch(self, source, **kwargs):
        # Per sentence, grouped by the bound rounded up to 16 pieces (service.engine.bound_groups).
        groups = {}
        for i, s in enumerate(source):
            bound = min(512, 2 * len(s) + 10)
            groups.setdefault(-(-bound // 16) * 16, []).append(i)
        results = [None] * len(source)
        for bound, indices in groups.items():
            for i, r in zip(indices, self._t.translate_batch([source[i] for i in indices],
                                                            **{**kwargs, "max_decoding_length": bound})):
                results[i] = r
        return results

    def __getattr__(self, name):
        return getattr(self._t, name)


_ct2.Translator = _Bounded
'''


class Server:
    def __init__(self, name: str, argv: list[str], env: dict[str, str], port: int, path: str,
                 body: Any, ready_path: str) -> None:
        self.name, self.argv, self.env, self.port = name, argv, env, port
        self.path, self.body, self.ready_path = path, body, ready_path
        self.proc: subprocess.Popen | None = None
        self.log = tempfile.TemporaryFile()
        self.peak_rss = float("nan")

    def start(self, timeout: float = 180) -> None:
        import httpx

        self.proc = subprocess.Popen(self.argv, env=self.env, stdout=self.log, stderr=subprocess.STDOUT, cwd=REPO)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.log.seek(0)
                raise RuntimeError(f"{self.name} exited: {self.log.read().decode(errors='replace')[-2000:]}")
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}{self.ready_path}", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"{self.name} did not become ready in {timeout:.0f} s")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.peak_rss = bc.peak_rss_mb(self.proc.pid)
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.proc = None


def glossa_server(env: dict[str, str]) -> Server:
    port = bc.free_port()
    env = {**env, "GLOSSA_REQUEST_TIMEOUT": "900", "GLOSSA_QUEUE_SIZE": "256",
           "GLOSSA_MAX_REQUEST_CHARS": "1000000", "GLOSSA_MAX_BODY_BYTES": "16000000"}
    argv = [str(bc.PYTHON), "-m", "service", "serve", "--host", "127.0.0.1", "--port", str(port),
            "--log-level", "warning"]
    return Server("glossa", argv, env, port, "/v1/translate",
                  lambda texts: {"texts": texts, "source": "en", "target": "ru", "glossary": False}, "/health")


def libretranslate_server(env: dict[str, str], site_dir: Path) -> Server:
    port = bc.free_port()
    site_dir.mkdir(parents=True, exist_ok=True)
    (site_dir / "sitecustomize.py").write_text(SITECUSTOMIZE)
    env = {**env, "PYTHONPATH": str(site_dir)}
    argv = [str(LT_VENV / "bin" / "libretranslate"), "--host", "127.0.0.1", "--port", str(port),
            "--load-only", "en,ru,ko", "--disable-web-ui", "--disable-files-translation"]
    return Server("libretranslate", argv, env, port, "/translate",
                  lambda texts: {"q": texts if len(texts) > 1 else texts[0], "source": "en", "target": "ru",
                                 "format": "text"}, "/languages")


def wait_idle(server: Server, limit: float) -> float:
    """Seconds until the server's process stops using CPU (under 5% of a core over 2 s), at
    most ``limit``: a server keeps translating requests whose clients timed out."""
    assert server.proc is not None
    started = time.perf_counter()
    before = bc.process_cpu_seconds(server.proc.pid)
    while time.perf_counter() - started < limit:
        time.sleep(2)
        now = bc.process_cpu_seconds(server.proc.pid)
        if not now - before > 0.1:  # NaN (the process is gone) counts as idle
            break
        before = now
    return time.perf_counter() - started


def load(server: Server, batches: list[list[str]], clients: int, max_seconds: float,
         request_timeout: float = 600) -> dict[str, Any]:
    """``clients`` threads share the list of request payloads; returns latencies and totals.

    Bounded: no request starts after ``max_seconds``, and none is waited for past ``max_seconds +
    request_timeout`` (a server that queues 64 clients' work may take longer than that: those
    requests count as errors, not as throughput)."""
    import httpx

    url = f"http://127.0.0.1:{server.port}{server.path}"
    queue = list(enumerate(batches))
    lock = threading.Lock()
    latencies: list[float] = []
    done_texts: list[list[str]] = []
    errors: list[str] = []
    started = time.perf_counter()

    def client() -> None:
        with httpx.Client(timeout=900) as http:
            while True:
                with lock:
                    if not queue or time.perf_counter() - started > max_seconds:
                        return
                    _, texts = queue.pop(0)
                t0 = time.perf_counter()
                try:
                    response = http.post(url, json=server.body(texts),
                                         timeout=max(1.0, started + max_seconds + request_timeout - t0))
                except httpx.HTTPError as exc:
                    with lock:
                        errors.append(f"{type(exc).__name__} after {time.perf_counter() - t0:.0f} s")
                    continue
                elapsed = time.perf_counter() - t0
                with lock:
                    if response.status_code == 200:
                        latencies.append(elapsed)
                        done_texts.append(texts)
                    else:
                        errors.append(f"{response.status_code}: {response.text[:200]}")

    assert server.proc is not None
    cpu_before = bc.process_cpu_seconds(server.proc.pid)
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    # The server's own CPU time over the cell (its main process; LibreTranslate and Glossa with one
    # worker each run in one): sentences per CPU second is throughput a loaded machine cannot blur.
    cpu = bc.process_cpu_seconds(server.proc.pid) - cpu_before
    return {"wall": wall, "cpu": cpu, "latencies": latencies, "texts": done_texts, "errors": errors}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--clients", default="1,4,16", help="concurrent clients per cell")
    parser.add_argument("--batch", type=int, default=4, help="articles per request in batch mode")
    parser.add_argument("--requests", type=int, default=0,
                        help="requests per cell (default: 2 per client, at least 4)")
    parser.add_argument("--max-seconds", type=float, default=120, help="stop issuing requests after this")
    parser.add_argument("--request-timeout", type=float, default=600,
                        help="give up on requests still running this long after --max-seconds (counted as errors)")
    parser.add_argument("--modes", default="single,batch", help="single, batch or both")
    parser.add_argument("--reps", type=int, default=1, help="repetitions of each cell (servers alternating)")
    parser.add_argument("--drain-seconds", type=float, default=600,
                        help="after a cell, wait up to this long for the server to finish requests its "
                             "clients gave up on, so that the next cell does not inherit its backlog")
    parser.add_argument("--servers", default="glossa,libretranslate",
                        help="which servers to run (glossa alone: a quick memory or latency check)")
    parser.add_argument("--out", type=Path, default=bc.BENCH_OUT, help="where the bench model lives")
    parser.add_argument("--small-model", action="store_true", help="tiny random model (smoke runs)")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")


def install_libretranslate() -> bool:
    """LibreTranslate in its own venv (it pins its own argostranslate fork), installed once."""
    print(f"installing LibreTranslate {LT_VERSION} into {LT_VENV} (once; a few minutes)", flush=True)
    try:
        subprocess.run([sys.executable, "-m", "venv", str(LT_VENV)], check=True)
        subprocess.run([str(LT_VENV / "bin" / "pip"), "install", "-q", f"libretranslate=={LT_VERSION}"], check=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"error: could not install LibreTranslate into {LT_VENV}: {exc}; install it by hand:\n"
              f"  python3 -m venv {LT_VENV} && {LT_VENV}/bin/pip install libretranslate=={LT_VERSION}")
        return False
    return True


def run(args: argparse.Namespace) -> int:
    from scripts import bench_models
    from service import segment

    names = [n.strip() for n in args.servers.split(",") if n.strip()]
    if not names or any(n not in ("glossa", "libretranslate") for n in names):
        print(f"error: --servers takes glossa and/or libretranslate, got {args.servers!r}")
        return 2
    if "libretranslate" in names and not (LT_VENV / "bin" / "libretranslate").exists() \
            and not install_libretranslate():
        return 2
    shape = bench_models.Shape.small() if args.small_model else bench_models.Shape()
    bench_models.build(args.out, bench_models.DEFAULT_PAIRS, shape)
    clients_list = [int(c) for c in args.clients.split(",") if c.strip()]
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    # Articles of 2 paragraphs x 3 sentences: one request is a short news item.
    # Every request of a run gets articles no other request has: Glossa decodes a sentence once
    # per engine call however many requests hold it, so repeated articles would flatter it.
    reps = max(1, args.reps)
    per_cell = max((args.requests or max(4, 2 * c)) * (1 if m == "single" else args.batch)
                   for c in clients_list for m in modes)
    pool = bc.articles(max(64, reps * per_cell), paragraphs=2, sentences=3, seed=23)
    sentence_count = {a: sum(len(segment.split_sentences(p, "en")) for p in a.split("\n\n") if p.strip())
                      for a in pool}
    rows: list[tuple[str, ...]] = []
    with tempfile.TemporaryDirectory(prefix="glossa-bench-svc-") as tmp:
        env = bc.bench_env(args.out / "packages", Path(tmp) / "home")
        servers = [glossa_server(env) if name == "glossa" else libretranslate_server(env, Path(tmp) / "lt-site")
                   for name in names]
        print(f"service: articles of 6 sentences, en->ru, clients {clients_list}, modes {modes}, "
              f"batch {args.batch}; machine: {bc.machine()}")
        try:
            for server in servers:
                started = time.perf_counter()
                server.start()
                load(server, [[pool[0]]], 1, 600)  # warm-up: loads the model
                print(f"  {server.name}: ready and warm in {time.perf_counter() - started:.1f} s")
            cell = 0
            for mode in modes:
                per_request = 1 if mode == "single" else args.batch
                for clients in clients_list:
                    n_requests = args.requests or max(4, 2 * clients)
                    runs: dict[str, list[dict[str, Any]]] = {server.name: [] for server in servers}
                    for rep in range(reps):
                        # A repetition's articles are not the previous one's either (argostranslate
                        # keeps the paragraphs of its last call).
                        first = rep * n_requests * per_request
                        payloads = [[pool[(first + i * per_request + j) % len(pool)] for j in range(per_request)]
                                    for i in range(n_requests)]
                        order = servers if cell % 2 == 0 else servers[::-1]
                        cell += 1
                        for server in order:
                            assert server.proc is not None
                            bc.reset_peak_rss(server.proc.pid)
                            r = load(server, payloads, clients, args.max_seconds, args.request_timeout)
                            r["peak_rss"] = bc.peak_rss_mb(server.proc.pid)
                            runs[server.name].append(r)
                            print(f"  {mode} x{clients} {server.name}: {len(r['latencies'])} requests in "
                                  f"{r['wall']:.1f} s, peak RSS {bc.fmt(r['peak_rss'], 0)} MB"
                                  + (f", {len(r['errors'])} errors: {r['errors'][0]}" if r["errors"] else ""),
                                  flush=True)
                            if r["errors"]:
                                drained = wait_idle(server, args.drain_seconds)
                                print(f"    {server.name} finished abandoned requests in {drained:.0f} s", flush=True)
                    rows.extend(_rows(mode, clients, runs, sentence_count))
        finally:
            for server in servers:
                server.stop()
    header = ("mode", "clients", "server", "requests", "failed", "sentences/s", "min-max", "characters/s",
              "p50 s", "p95 s", "server CPU s", "sentences/CPU s", "peak RSS MB", "vs libretranslate")
    print()
    bc.print_table([header, *rows], markdown=args.markdown)
    print(f"\n{reps} repetition(s) per cell: medians, min-max of sentences/s; peak RSS is the "
          "highest of the cell's repetitions; over the whole run: "
          + ", ".join(f"{s.name} {bc.fmt(s.peak_rss, 0)} MB" for s in servers))
    return 0


def _rows(mode: str, clients: int, runs: dict[str, list[dict[str, Any]]],
          sentence_count: dict[str, int]) -> list[tuple[str, ...]]:
    throughput = {}
    rows = []
    for name, reps in runs.items():
        sentences = [sum(sentence_count[a] for texts in r["texts"] for a in texts) for r in reps]
        per_second = [n / r["wall"] if r["wall"] else float("nan") for n, r in zip(sentences, reps)]
        chars = [sum(len(a) for texts in r["texts"] for a in texts) / r["wall"] for r in reps if r["wall"]]
        per_cpu = [n / r["cpu"] for n, r in zip(sentences, reps) if r["cpu"]]
        latencies = [t for r in reps for t in r["latencies"]]
        throughput[name] = bc.median(per_second)
        rows.append([mode, str(clients), name, str(len(latencies)), str(sum(len(r["errors"]) for r in reps)),
                     bc.fmt(throughput[name], 2), f"{bc.fmt(min(per_second), 2)}-{bc.fmt(max(per_second), 2)}",
                     bc.fmt(bc.median(chars), 0), bc.fmt(bc.percentile(latencies, 50), 2),
                     bc.fmt(bc.percentile(latencies, 95), 2), bc.fmt(bc.median([r["cpu"] for r in reps]), 1),
                     bc.fmt(bc.median(per_cpu), 2), bc.fmt(max(r["peak_rss"] for r in reps), 0)])
    for row in rows:
        row.append(bc.ratio(throughput[row[2]], throughput.get("libretranslate", float("nan"))))
    return [tuple(r) for r in rows]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    sys.exit(run(parser.parse_args()))
