"""Run every measurement over the targets: in process first, then through the server."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections

from bench.inprocess import Sessions, measure
from bench.report import TargetResult
from bench.server import Memory, memory_of, running_server, wrk
from bench.targets import TARGETS, Missing, Resolved, resolve_targets

REFERENCE_DIR = "bench-reference"
CONCURRENCY = (1, 8)


def run_all(
    *, only: list[str], requests: int, warmup: int, duration: int, with_server: bool, log: Path
) -> tuple[list[TargetResult], Memory | None, Memory | None, dict[str, Any]]:
    targets = tuple(t for t in TARGETS if not only or any(o.lower() in t.name.lower() for o in only))
    sessions = Sessions()
    results: list[TargetResult] = []
    found: dict[str, Resolved] = {}
    for resolved in resolve_targets(targets):
        target = resolved.target
        result = TargetResult(name=target.name, kind=target.kind, auth=target.auth)
        results.append(result)
        if isinstance(resolved, Missing):
            result.missing = resolved.reason
            print(f"  {target.name:<22} skipped: {resolved.reason}")
            continue
        result.path = resolved.path
        found[target.name] = resolved
        result.in_process = measure(resolved, sessions, requests=requests, warmup=warmup)
        print(
            f"  {target.name:<22} {resolved.path:<40} p50 {result.in_process.p50_ms:6.1f} ms, "
            f"{result.in_process.queries} queries",
            flush=True,
        )
    if not with_server:
        return results, None, None, {}

    references = _write_references(results)
    # The server's processes open their own connections; keep none open here.
    connections.close_all()
    print("Starting the production server and the task worker...", flush=True)
    with running_server(log) as server:
        for result in results:
            if result.in_process is None:
                continue
            headers = sessions.headers(found[result.name])
            for concurrency in CONCURRENCY:
                result.loads[f"page c{concurrency}"] = wrk(
                    server.base_url + result.path, connections=concurrency, seconds=duration, headers=headers
                )
                result.loads[f"static c{concurrency}"] = wrk(
                    server.base_url + references[result.name],
                    connections=concurrency,
                    seconds=duration,
                    headers={},
                )
            print(
                f"  {result.name:<22} c1 {result.rate('page c1') or 0:7.0f} req/s, "
                f"c8 {result.rate('page c8') or 0:7.0f} req/s "
                f"(static c8 {result.rate('static c8') or 0:7.0f})",
                flush=True,
            )
        web_memory = memory_of(server.web.pid)
        worker_memory = memory_of(server.worker.pid)
        meta = {"processes": server.processes, "threads": server.threads, "command": "gunicorn (solex run)"}
    return results, web_memory, worker_memory, meta


def _write_references(results: list[TargetResult]) -> dict[str, str]:
    """A static file per target with the page's own bytes, for whitenoise to serve."""
    directory = Path(settings.STATIC_ROOT) / REFERENCE_DIR
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    urls: dict[str, str] = {}
    for result in results:
        if result.in_process is None:
            continue
        slug = "".join(ch if ch.isalnum() else "-" for ch in result.name.lower())
        name = f"{slug}.{'json' if result.kind == 'api' else 'html'}"
        (directory / name).write_bytes(result.in_process.body)
        urls[result.name] = f"{settings.STATIC_URL}{REFERENCE_DIR}/{name}"
    return urls
