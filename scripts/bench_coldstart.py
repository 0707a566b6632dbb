"""Cold start: from command to first translation, each repetition a fresh process.

- ``translate``: ``glossa translate -t TARGET`` of one sentence on stdin, until it exits;
- ``serve``: ``glossa serve`` on a free loopback port, until ``GET /ready`` answers 200 (``/ready``
  loads every installed model and translates a probe, so this is "ready to translate"), then
  one ``/v1/translate`` (first translation) and the server is stopped.

Run with the demo models (what a first run without network uses) and with the Argos-sized bench
package (load time of a real-sized model). The OS page cache holds the model files after the
first repetition, and the first run writes the Russian forms cache (``service.glossary.formcache``,
in the run's private XDG cache dir), so figures are for a machine that has run Glossa before (the
usual case for a service restart); the first repetition is shown separately. CPU seconds
(user+sys of the measured process) are given beside wall seconds: on a loaded machine wall time
grows with the load, CPU time hardly.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from scripts import bench_common as bc

REPO = Path(__file__).resolve().parent.parent

SENTENCES = {"en": "Kim Jong-un met with Olga Lyubimova in Pyongyang.",
             "ru": "Ким Чен Ын встретился с Ольгой Любимовой в Пхеньяне."}


def time_translate(env: dict[str, str], target: str, text: str, glossary: bool) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds user+sys, peak RSS MB) of one `glossa translate` process, from
    its own rusage (``os.wait4``: RUSAGE_CHILDREN's peak would be the largest child this process
    ever reaped, e.g. an earlier benchmark's worker under ``bench.py all``)."""
    started = time.perf_counter()
    argv = [str(bc.PYTHON), "-m", "service", "translate", "-t", target, *([] if glossary else ["--no-glossary"])]
    with tempfile.TemporaryFile("w+") as errors:
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=errors,
                                text=True, env=env, cwd=REPO)
        assert proc.stdin is not None
        proc.stdin.write(text)
        proc.stdin.close()
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            errors.seek(0)
            raise RuntimeError(f"glossa translate failed: {errors.read().strip()}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def _get(url: str, body: dict | None = None) -> int:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers={"content-type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0


def time_serve(env: dict[str, str], target: str, text: str, glossary: bool) -> dict[str, float]:
    """Wall and CPU seconds until /ready is 200 and until the first translation came back, and the
    server's peak RSS (MB). CPU is the server process's own (one worker, no children)."""
    port = bc.free_port()
    started = time.perf_counter()
    proc = subprocess.Popen([str(bc.PYTHON), "-m", "service", "serve", "--host", "127.0.0.1", "--port", str(port)],
                            env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = started + 300
        while _get(f"{base}/ready") != 200:
            if proc.poll() is not None or time.perf_counter() > deadline:
                raise RuntimeError("glossa serve did not become ready")
            time.sleep(0.02)
        ready, ready_cpu = time.perf_counter() - started, bc.process_cpu_seconds(proc.pid)
        if _get(f"{base}/v1/translate", {"text": text, "target": target, "glossary": glossary}) != 200:
            raise RuntimeError("the first translation failed")
        return {"ready": ready, "ready_cpu": ready_cpu, "first": time.perf_counter() - started,
                "first_cpu": bc.process_cpu_seconds(proc.pid), "rss": bc.peak_rss_mb(proc.pid)}
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--reps", type=int, default=5, help="fresh processes per measurement")
    parser.add_argument("--models", default="demo,bench", help="comma-separated subset of demo,bench")
    parser.add_argument("--out", type=Path, default=bc.BENCH_OUT, help="where the bench model lives")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")


def _summary(values: list[float]) -> tuple[str, str, str]:
    rest = values[1:] or values
    return (f"{values[0]:.2f}", f"{bc.median(rest):.2f}", f"{min(rest):.2f}-{max(rest):.2f}")


def run(args: argparse.Namespace) -> int:
    rows = [("models", "measurement", "first s", "median s", "min-max s", "CPU median s", "CPU min-max s",
             "peak RSS MB")]
    with tempfile.TemporaryDirectory(prefix="glossa-bench-cold-") as tmp:
        for kind in [k.strip() for k in args.models.split(",") if k.strip()]:
            packages = Path(tmp) / kind / "packages"
            packages.mkdir(parents=True)
            if kind == "demo":
                archives = sorted((REPO / "models" / "demo").glob("*.argosmodel"))
                pair = ("en", "ru")
            elif kind == "bench":
                from scripts import bench_models

                # The pairs every bench uses, so that the model is not rebuilt between benches.
                bench_models.build(args.out, bench_models.DEFAULT_PAIRS, bench_models.Shape())
                archives = []
                source_dir = args.out / "packages" / bench_models.package_name("en", "ru")
                os.symlink(source_dir, packages / source_dir.name)
                pair = ("en", "ru")
            else:
                print(f"error: unknown model set {kind!r} (demo or bench)")
                return 2
            env = bc.bench_env(packages, Path(tmp) / kind / "home")
            env.pop("GLOSSA_CACHE_SIZE", None)
            for archive in archives:
                subprocess.run([str(bc.PYTHON), "-m", "service", "models", "install", str(archive)], env=env,
                               cwd=REPO, check=True, capture_output=True)
            text = SENTENCES[pair[0]]
            # Random weights never write a rendering, so every glossary term would go through every
            # enforcement round (the worst case, measured by `bench.py library`): the bench model's
            # rows are model loading and decoding only.
            glossary = kind == "demo"
            note = "" if glossary else ", glossary off"
            translate = [time_translate(env, pair[1], text, glossary) for _ in range(args.reps)]
            serve = [time_serve(env, pair[1], text, glossary) for _ in range(args.reps)]
            rows.append((kind, f"glossa translate (one sentence{note})", *_summary([t[0] for t in translate]),
                         *_summary([t[1] for t in translate])[1:], f"{max(t[2] for t in translate):.0f}"))
            for label, key in (("/ready 200", "ready"), ("first translation", "first")):
                rows.append((kind, f"glossa serve: {label}{note if key == 'first' else ''}", *_summary([s[key] for s in serve]),
                             *_summary([s[f"{key}_cpu"] for s in serve])[1:], f"{max(s['rss'] for s in serve):.0f}"))
    print(f"cold start, {args.reps} fresh processes each (first shown apart; median and min-max of the rest; "
          f"CPU = user+sys of the process, which load on the machine does not inflate); machine: {bc.machine()}")
    bc.print_table(rows, markdown=args.markdown)
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    sys.exit(run(parser.parse_args()))
