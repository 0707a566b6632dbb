"""Helpers for the HTTP tests: a real uvicorn server on a free loopback port, in a thread; a free
port and a wait for the health of a server started as a process (`glossa serve`, nginx)."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import uvicorn

from service.api import create_app
from service.config import Settings

REPO = Path(__file__).resolve().parents[2]


@contextlib.contextmanager
def running_server(settings: Settings, *, pipeline=None, **config) -> Iterator[str]:
    """Serve ``create_app(settings, pipeline=pipeline)`` on 127.0.0.1:<free port>; yields the base
    URL (no slash). ``config``: more ``uvicorn.Config`` options (e.g. ``http``)."""
    app = create_app(settings, pipeline=pipeline)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on", **config))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


def install_packages(archives: list[Path], packages_dir: Path) -> Path:
    """Install .argosmodel files the way `glossa models install FILE` does."""
    from service.models.store import ModelStore

    store = ModelStore(Settings(packages_dir=packages_dir))
    for archive in archives:
        store.install_file(archive)
    return packages_dir


def glossary_copy(target: Path) -> Path:
    """A private copy of the project's glossary, so tests may edit it."""
    shutil.copytree(REPO / "glossaries", target, ignore=shutil.ignore_patterns(".glossary.lock", ".*.glossa-*.tmp"))
    return target


def settings_for(packages_dir: Path, glossary_dir: Path, **overrides) -> Settings:
    # Threads pinned to 1: the test machine has 2 cores shared with everything else.
    # A deadline keeps a stuck engine from hanging the suite: it fails with a 504 instead.
    base = Settings(packages_dir=packages_dir, glossary_dir=glossary_dir, intra_threads=1, request_timeout=90)
    return replace(base, **overrides)


def free_port() -> int:
    """A loopback port free right now (for a server started as a separate process)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, *, timeout: float, why: Callable[[], str],
                 interval: float = 0.2) -> None:
    """Wait until ``GET {url}/health`` answers 200; fail with ``why()`` (the process's own output)
    if the process exits first or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert proc.poll() is None, why()
        assert time.monotonic() < deadline, f"{url} did not come up: {why()}"
        time.sleep(interval)
