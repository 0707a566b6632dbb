#!/usr/bin/env python3
"""A real multi-node Ray cluster on loopback, for the tests and `scripts/bench.py batch`.

Each node is its own `ray start` (head, then workers) in its own session, so a test can SIGKILL
one node (its raylet and every worker process on it) as a machine failure would, and
teardown stops exactly the processes it started (never `ray stop`, which would take every Ray
process of the machine with it). Every port is chosen here and bound on 127.0.0.1; the dashboard
is off, usage statistics are off, and the cluster requires a token of its own (Ray's token
authentication; drivers get it through :meth:`LoopbackCluster.driver_env`).

Ray rewrites a node address of 127.0.0.1 to the machine's outward address; the head is kept on
loopback by Ray's own switch (RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0, which makes loopback its node
address), and worker nodes, which that switch refuses, are started through :data:`_LAUNCH`, which
leaves 127.0.0.1 as given. Drivers connecting to ``127.0.0.1:PORT`` get the switch from
``service.batch.ray_runner``.

    python -m scripts.ray_cluster --workers 1    # start, print the address, stop on Enter
"""

from __future__ import annotations

import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# `ray start` with Ray's rewriting of 127.0.0.1 turned off (see the module docstring).
_LAUNCH = """
import sys
import ray._private.services as services
services.resolve_ip_for_localhost = lambda host: host
from ray.scripts.scripts import main
sys.argv[0] = "ray"
sys.exit(main())
"""
_PORT_FLAGS = ("--node-manager-port", "--object-manager-port", "--dashboard-agent-listen-port",
               "--dashboard-agent-grpc-port", "--runtime-env-agent-port", "--metrics-export-port")


_WORKER_PORTS = 20  # per node: one per Ray worker process (actors and task workers)
_PER_NODE = len(_PORT_FLAGS) + _WORKER_PORTS


def free_port_block(count: int) -> int:
    """The first of ``count`` consecutive ports all free on 127.0.0.1, below the kernel's ephemeral
    range (so that no outgoing connection takes one meanwhile)."""
    rng = random.Random()
    for _ in range(200):
        base = rng.randrange(20_000, 32_000 - count)
        sockets = []
        try:
            for port in range(base, base + count):
                s = socket.socket()
                sockets.append(s)
                s.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
        finally:
            for s in sockets:
                s.close()
    raise RuntimeError(f"no block of {count} free ports on 127.0.0.1")


@dataclass
class Node:
    """One `ray start`: every process of the node is in the session it was started in (Ray puts
    each worker process in a process group of its own, but not in a session of its own)."""

    name: str
    session: int
    ports: list[int]

    def processes(self) -> list[int]:
        """Live (not zombie) processes of this node's session."""
        found = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == self.session and fields[0] != "Z":  # fields: state, ppid, pgrp, session
                found.append(int(entry))
        return found

    def kill(self, sig: int = signal.SIGKILL, *, wait: float = 0.0) -> None:
        """Send ``sig`` to every process of the node; wait up to ``wait`` seconds for them to go."""
        for pid in self.processes():
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + wait
        while wait and self.alive() and time.monotonic() < deadline:
            time.sleep(0.05)

    def alive(self) -> bool:
        return bool(self.processes())


@dataclass
class LoopbackCluster:
    """Start with :meth:`start`, stop with :meth:`stop` (or use it as a context manager)."""

    workers: int = 1
    cpus_per_node: int = 1
    object_store_bytes: int = 100 * 1024 * 1024
    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    nodes: list[Node] = field(default_factory=list)
    address: str = ""
    temp_dir: str = ""
    auth_env: dict[str, str] = field(default_factory=dict)

    def driver_env(self, base: dict[str, str] | None = None) -> dict[str, str]:
        """The environment a driver (``glossa batch --ray ADDRESS``) needs: the token, no telemetry."""
        return dict(base if base is not None else self.env, RAY_USAGE_STATS_ENABLED="0", **self.auth_env)

    def wait_idle(self, timeout: float = 120.0) -> None:
        """Wait until every CPU of the cluster is free again. Actors of a driver that was killed
        are reaped by Ray only after it notices the driver is gone; a run started before that
        finds their CPUs taken and places all its actors on the nodes that are left."""
        probe = ("import ray, logging, sys; ray.init(address=sys.argv[1], logging_level=logging.ERROR, "
                 "log_to_driver=False); r = ray.cluster_resources().get('CPU', 0); "
                 "a = ray.available_resources().get('CPU', 0); print(int(a >= r > 0))")
        deadline = time.monotonic() + timeout
        while True:
            # The driver-side loopback switch, as for any driver of this cluster.
            env = dict(self.driver_env(), RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER="0")
            proc = subprocess.run([sys.executable, "-c", probe, self.address], capture_output=True, text=True,
                                  env=env, timeout=120)
            if proc.stdout.strip().endswith("1"):
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"the Ray cluster still has busy CPUs after {timeout:.0f} s")
            time.sleep(1.0)

    def start(self, timeout: float = 180.0) -> LoopbackCluster:
        # Ray's socket paths must stay under 107 bytes: a short temp dir.
        self.temp_dir = tempfile.mkdtemp(prefix="glossa-ray-", dir="/tmp")
        token = Path(self.temp_dir) / "auth_token"
        token.write_text(secrets.token_hex(32), encoding="ascii")
        token.chmod(0o600)
        self.auth_env = {"RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN_PATH": str(token)}
        base = free_port_block(1 + (1 + self.workers) * _PER_NODE)
        self.address = f"127.0.0.1:{base}"
        try:
            self.nodes.append(self._start_node("head", ["--head", "--port", str(base)], base + 1, timeout))
            for index in range(self.workers):
                self.nodes.append(self._start_node(f"worker{index + 1}", ["--address", self.address],
                                                   base + 1 + (index + 1) * _PER_NODE, timeout))
            self._wait_for_nodes(1 + self.workers, timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def _start_node(self, name: str, role: list[str], first_port: int, timeout: float) -> Node:
        """One node on ports ``first_port`` .. ``first_port + _PER_NODE - 1``."""
        ports = list(range(first_port, first_port + len(_PORT_FLAGS)))
        worker_low = first_port + len(_PORT_FLAGS)
        flags: list[str] = []
        for flag, port in zip(_PORT_FLAGS, ports):
            flags += [flag, str(port)]
        env = dict(self.driver_env(), PYTHONPATH=_pythonpath(self.env))
        if name == "head":
            env["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"
            role = [*role, "--include-dashboard=false"]
        command = [sys.executable, "-c", _LAUNCH, "start", *role, "--node-ip-address", "127.0.0.1",
                   "--disable-usage-stats", "--num-cpus", str(self.cpus_per_node),
                   "--object-store-memory", str(self.object_store_bytes), "--temp-dir", self.temp_dir,
                   "--min-worker-port", str(worker_low), "--max-worker-port", str(worker_low + _WORKER_PORTS - 1),
                   *flags]
        proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True, start_new_session=True)
        node = Node(name, proc.pid, ports)  # the new session's id is its leader's pid
        try:
            output, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            node.kill()
            raise RuntimeError(f"ray start ({name}) did not finish in {timeout:.0f} s") from None
        if proc.returncode != 0:
            node.kill()
            raise RuntimeError(f"ray start ({name}) failed:\n{output[-3000:]}")
        return node

    def _wait_for_nodes(self, count: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        probe = ("import ray,sys; ray.init(address=sys.argv[1], log_to_driver=False, logging_level='ERROR'); "
                 "print(sum(1 for n in ray.nodes() if n['Alive']))")
        env = dict(self.driver_env(), RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER="0", PYTHONPATH=_pythonpath(self.env))
        while time.monotonic() < deadline:
            out = subprocess.run([sys.executable, "-c", probe, self.address], capture_output=True, text=True,
                                 env=env, timeout=max(5.0, deadline - time.monotonic()), check=False)
            if out.returncode == 0 and out.stdout.strip().splitlines()[-1:] == [str(count)]:
                return
            time.sleep(1.0)
        raise RuntimeError(f"the cluster at {self.address} did not show {count} live nodes in {timeout:.0f} s")

    def stop(self) -> None:
        """SIGTERM every node's process group, then SIGKILL what is left; remove the temp dir."""
        for node in reversed(self.nodes):
            node.kill(signal.SIGTERM)
        deadline = time.monotonic() + 10
        while any(n.alive() for n in self.nodes) and time.monotonic() < deadline:
            time.sleep(0.2)
        for node in self.nodes:
            node.kill(signal.SIGKILL)
        self.nodes.clear()
        if self.temp_dir:
            subprocess.run(["rm", "-rf", self.temp_dir], check=False)

    def __enter__(self) -> LoopbackCluster:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _pythonpath(env: dict[str, str]) -> str:
    """Ray workers import ``service`` (the actor class is pickled by reference): this checkout first."""
    rest = env.get("PYTHONPATH", "")
    return str(REPO) + (os.pathsep + rest if rest else "")


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--cpus", type=int, default=1, help="CPUs per node")
    args = parser.parse_args()
    with LoopbackCluster(workers=args.workers, cpus_per_node=args.cpus) as cluster:
        print(f"--ray {cluster.address}   (Enter stops the cluster)", flush=True)
        sys.stdin.readline()
