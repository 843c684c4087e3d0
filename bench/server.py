"""The real server, as ``solex run`` starts it, loaded with wrk; and its memory.

The web server command comes from ``solex run`` itself (``gunicorn_command`` and its
default processes and threads), so the bench measures what ``make run`` serves. The
task worker command mirrors the one ``solex run`` spawns (it is not exposed as a
function there). Both listen on or talk to 127.0.0.1 only; both are stopped in a
``finally``, whatever happens.
"""

from __future__ import annotations

import contextlib
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from solex.core.management.commands.run import (
    DEFAULT_THREADS,
    DEFAULT_WEB_PROCESSES,
    gunicorn_command,
    stop_children,
)

HOST = "127.0.0.1"
STARTUP_TIMEOUT = 60.0
WORKER_COMMAND = [sys.executable, "-m", "solex.cli", "worker", "--no-startup-delay", "--no-reload"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Server:
    port: int
    processes: int
    threads: int
    web: subprocess.Popen[bytes]
    worker: subprocess.Popen[bytes]
    log: Path

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"


def _spawn(command: list[str], log: IO[bytes]) -> subprocess.Popen[bytes]:
    # Its own process group, as solex run does, so Ctrl-C here is handled by us.
    return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, process_group=0)


def _wait_until_up(server: Server) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        for name, child in (("web server", server.web), ("task worker", server.worker)):
            if child.poll() is not None:
                raise RuntimeError(f"the {name} exited with code {child.returncode}; see {server.log}")
        with (
            contextlib.suppress(OSError, urllib.error.URLError),
            urllib.request.urlopen(f"{server.base_url}/healthz", timeout=2) as response,  # noqa: S310
        ):
            if response.status == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"the web server did not answer within {STARTUP_TIMEOUT:.0f} s; see {server.log}")


@contextlib.contextmanager
def running_server(log: Path) -> Iterator[Server]:
    """gunicorn and the task worker, up and answering; always stopped afterwards."""
    port = free_port()
    children: dict[str, subprocess.Popen[bytes]] = {}
    with log.open("ab") as log_file:
        try:
            children["web server"] = _spawn(
                gunicorn_command(HOST, port, DEFAULT_WEB_PROCESSES, DEFAULT_THREADS), log_file
            )
            children["task worker"] = _spawn(WORKER_COMMAND, log_file)
            server = Server(
                port=port,
                processes=DEFAULT_WEB_PROCESSES,
                threads=DEFAULT_THREADS,
                web=children["web server"],
                worker=children["task worker"],
                log=log,
            )
            _wait_until_up(server)
            yield server
        finally:
            stop_children(children)


# --- wrk ------------------------------------------------------------------------------


@dataclass
class Load:
    connections: int
    threads: int
    seconds: int
    requests: int = 0
    requests_per_second: float = 0.0
    latency_ms: dict[str, float] = field(default_factory=dict)  # "50%", "75%", "90%", "99%"
    errors: int = 0  # non-2xx/3xx responses and socket errors
    output: str = ""


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
_LATENCY = re.compile(r"^\s*(\d+)%\s+([\d.]+)(us|ms|s|m)\s*$", re.MULTILINE)
_RATE = re.compile(r"^Requests/sec:\s+([\d.]+)", re.MULTILINE)
_TOTAL = re.compile(r"^\s*(\d+) requests in", re.MULTILINE)
_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_SOCKET = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")


def parse_wrk(output: str, load: Load) -> Load:
    load.output = output
    if rate := _RATE.search(output):
        load.requests_per_second = float(rate.group(1))
    if total := _TOTAL.search(output):
        load.requests = int(total.group(1))
    load.latency_ms = {
        f"{percent}%": float(value) * _UNITS_MS[unit] for percent, value, unit in _LATENCY.findall(output)
    }
    errors = 0
    if non_2xx := _NON_2XX.search(output):
        errors += int(non_2xx.group(1))
    if socket_errors := _SOCKET.search(output):
        errors += sum(int(n) for n in socket_errors.groups())
    load.errors = errors
    return load


def wrk(url: str, *, connections: int, seconds: int, headers: dict[str, str]) -> Load:
    """One bounded wrk run against 127.0.0.1."""
    if not url.startswith(f"http://{HOST}:"):
        raise ValueError(f"the bench loads {HOST} only, not {url}")
    threads = min(connections, 2)
    command = [
        "wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency",
    ]  # fmt: skip
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    result = subprocess.run(
        [*command, url], capture_output=True, text=True, timeout=seconds + 30, check=False
    )
    return parse_wrk(result.stdout + result.stderr, Load(connections, threads, seconds))


# --- memory -----------------------------------------------------------------------------


@dataclass
class Memory:
    pids: list[int]
    rss_kb: int
    pss_kb: int  # shared pages divided among the processes that share them
    peak_rss_kb: int  # the sum of each process's high-water mark


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            found += [int(child) for child in task.read_text().split()]
    return found


def _status_kb(pid: int, field_name: str) -> int:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    return 0


def _pss_kb(pid: int) -> int:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    return 0


def memory_of(pid: int) -> Memory:
    """A process and all its descendants (gunicorn's master and its workers)."""
    pids = [pid]
    index = 0
    while index < len(pids):
        pids += _children(pids[index])
        index += 1
    return Memory(
        pids=pids,
        rss_kb=sum(_status_kb(p, "VmRSS") for p in pids),
        pss_kb=sum(_pss_kb(p) for p in pids),
        peak_rss_kb=sum(_status_kb(p, "VmHWM") for p in pids),
    )
