"""Shared pieces of the side-by-side benchmarks: the article corpus, contender worker processes,
alternating repetitions, statistics and tables.

Every contender runs in its own worker process (so its peak RSS is its own, and argostranslate's
imports do not weigh on Glossa), loads once, then answers ``run`` commands on stdin with
one JSON line of measurements. The parent alternates repetitions across contenders, rotating the
order each round, so that a slow minute on the shared machine hits everyone alike.
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scripts import demo_corpus

REPO = Path(__file__).resolve().parent.parent
# The interpreter running the benchmark (the repository's .venv when run as the docs show): its
# workers and servers use the same environment.
PYTHON = Path(sys.executable)
BENCH_OUT = REPO / "bench-out"


# --- corpus -------------------------------------------------------------------------------------


def articles(n_articles: int, *, paragraphs: int = 4, sentences: int = 3, lang: str = "en",
             seed: int = 11) -> list[str]:
    """Multi-paragraph news-style articles built from the demo corpus generator (deterministic)."""
    index = demo_corpus.LANGS.index(lang)
    stream = demo_corpus.sentence_sets(n_articles * paragraphs * sentences, seed, placeholder_rate=0.0)
    texts = [s.source[index] for s in stream]
    out = []
    for a in range(n_articles):
        block = texts[a * paragraphs * sentences:(a + 1) * paragraphs * sentences]
        out.append("\n\n".join(" ".join(block[p * sentences:(p + 1) * sentences]) for p in range(paragraphs)) + "\n")
    return out


def bench_env(packages_dir: Path, home: Path) -> dict[str, str]:
    """Environment for every contender: the bench packages only, no cache, a private HOME."""
    home.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.update({
        "ARGOS_PACKAGES_DIR": str(packages_dir),
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        # Repetitions must translate, not look up the previous repetition's results.
        "GLOSSA_CACHE_SIZE": "0",
        "PYTHONUNBUFFERED": "1",
    })
    env.pop("ARGOS_PACKAGE_INDEX", None)
    return env


def peak_rss_mb(pid: int | str = "self") -> float:
    """Peak resident set size (VmHWM) of a live process, in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def free_port() -> int:
    """A loopback port free right now, for a server the benchmark starts."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def process_cpu_seconds(pid: int | str = "self") -> float:
    """CPU seconds (user+sys) a live process has used so far, from /proc/PID/stat. Unlike wall
    time, it hardly grows with other load on the machine."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# --- worker processes ---------------------------------------------------------------------------


@dataclass
class Worker:
    """A contender in its own process: ``run()`` -> one measurement dict."""

    name: str
    argv: list[str]
    env: dict[str, str]
    proc: subprocess.Popen | None = None
    load_seconds: float = 0.0
    runs: list[dict[str, Any]] = field(default_factory=list)
    peak_rss: float = float("nan")

    def start(self) -> None:
        self.proc = subprocess.Popen(self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                     env=self.env, cwd=REPO)
        self.load_seconds = self._reply()["load_seconds"]

    def command(self, name: str) -> dict[str, Any]:
        assert self.proc is not None and self.proc.stdin is not None
        self.proc.stdin.write(name + "\n")
        self.proc.stdin.flush()
        return self._reply()

    def run(self) -> dict[str, Any]:
        result = self.command("run")
        self.runs.append(result)
        return result

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.peak_rss = self.command("quit").get("peak_rss_mb", float("nan"))
            self.proc.wait(timeout=30)
        self.proc = None

    def _reply(self) -> dict[str, Any]:
        assert self.proc is not None and self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"{self.name}: worker exited (code {self.proc.wait()})")
        reply = json.loads(line)
        if "error" in reply:
            raise RuntimeError(f"{self.name}: {reply['error']}")
        return reply


def serve_worker(load, run) -> None:
    """The worker side: ``load()`` once, then ``run()`` -> dict for each ``run`` line on stdin."""
    started = time.perf_counter()
    # Anything a library prints must not corrupt the JSON channel.
    channel = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    try:
        state = load()
    except Exception as exc:  # noqa: BLE001 - reported to the parent as one line
        channel.write(json.dumps({"error": f"load failed: {type(exc).__name__}: {exc}"}) + "\n")
        return
    channel.write(json.dumps({"load_seconds": time.perf_counter() - started}) + "\n")
    for line in sys.stdin:
        command = line.strip()
        if command == "quit":
            channel.write(json.dumps({"peak_rss_mb": peak_rss_mb()}) + "\n")
            return
        try:
            channel.write(json.dumps(run(state, command)) + "\n")
        except Exception as exc:  # noqa: BLE001
            channel.write(json.dumps({"error": f"{command} failed: {type(exc).__name__}: {exc}"}) + "\n")


def alternate(workers: list[Worker], reps: int, *, log=print) -> None:
    """Each round runs every worker once; the order rotates every round."""
    for rep in range(reps):
        shift = rep % len(workers)
        for worker in workers[shift:] + workers[:shift]:
            result = worker.run()
            log(f"  round {rep + 1}/{reps} {worker.name}: {result['seconds']:.2f} s")


# --- statistics and tables ----------------------------------------------------------------------


def reset_peak_rss(pid: int | str) -> bool:
    """Start a new VmHWM for a process of ours (writing 5 to its clear_refs, Linux >= 4.0), so that
    the next ``peak_rss_mb`` is the peak since now; False where the kernel does not allow it."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def fmt(value: float, digits: int = 1) -> str:
    if value != value:  # NaN
        return "n/a"
    return f"{value:,.{digits}f}"


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b and a == a and b == b else "n/a"


def print_table(lines: list[tuple[str, ...]], *, markdown: bool) -> None:
    if markdown:
        print("| " + " | ".join(lines[0]) + " |")
        print("|" + "|".join("---" for _ in lines[0]) + "|")
        for line in lines[1:]:
            print("| " + " | ".join(line) + " |")
        return
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    for line in lines:
        print("  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip())


def machine() -> str:
    import platform

    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    system = f"{platform.system()} {platform.release()}"
    return f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, {system}"
