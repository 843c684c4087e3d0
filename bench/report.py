"""The bench's table (figures beside their budgets) and its JSON record."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.inprocess import InProcess
from bench.server import Load, Memory

# The foundation issue's budgets, reported against, never asserted.
BUDGET_P50_MS = 50.0
BUDGET_P95_MS = 120.0
BUDGET_PAGE_KB = 60.0
BUDGET_MEMORY_MB = 300.0


@dataclass
class TargetResult:
    name: str
    kind: str
    auth: str
    path: str = ""
    missing: str = ""
    in_process: InProcess | None = None
    loads: dict[str, Load] = field(default_factory=dict)  # "page c1", "static c8", ...

    def rate(self, key: str) -> float | None:
        load = self.loads.get(key)
        return load.requests_per_second if load else None

    def ratio(self, concurrency: int) -> float | None:
        page, static = self.rate(f"page c{concurrency}"), self.rate(f"static c{concurrency}")
        return page / static if page is not None and static else None


@dataclass
class Run:
    meta: dict[str, Any]
    results: list[TargetResult]
    web_memory: Memory | None = None
    worker_memory: Memory | None = None


def _mark(ok: bool) -> str:
    return " " if ok else "!"


def _num(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def table(run: Run) -> str:
    header = (
        f"{'target':<22} {'HTTP':>4} {'SQL':>4} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'c1 req/s':>9} {'static':>8} {'ratio':>6} {'c8 req/s':>9} {'static':>8} {'ratio':>6} "
        f"{'c8 p99 ms':>9} {'KB gz':>7}"
    )
    lines = [header, "-" * len(header)]
    for result in run.results:
        if result.missing:
            lines.append(f"{result.name:<22} skipped: {result.missing}")
            continue
        measured = result.in_process
        assert measured is not None
        weight_kb = measured.weight.total_gzip / 1024
        c8 = result.loads.get("page c8")
        p99 = c8.latency_ms.get("99%") if c8 else None
        weight_ok = result.kind != "page" or weight_kb <= BUDGET_PAGE_KB
        errors = sum(load.errors for key, load in result.loads.items() if key.startswith("page"))
        lines.append(
            f"{result.name:<22} {measured.status:>4} {measured.queries:>4} "
            f"{measured.p50_ms:>7.1f}{_mark(measured.p50_ms <= BUDGET_P50_MS)}"
            f"{measured.p95_ms:>7.1f}{_mark(measured.p95_ms <= BUDGET_P95_MS)} "
            f"{_num(result.rate('page c1'), '>9.0f')} {_num(result.rate('static c1'), '>8.0f')} "
            f"{_num(_pct(result.ratio(1)), '>5.0f')}% "
            f"{_num(result.rate('page c8'), '>9.0f')} {_num(result.rate('static c8'), '>8.0f')} "
            f"{_num(_pct(result.ratio(8)), '>5.0f')}% "
            f"{_num(p99, '>9.1f')} {weight_kb:>6.1f}{_mark(weight_ok)}"
            + (f"  ({errors} failed responses under load)" if errors else "")
        )
    lines.append("")
    lines.append(
        f"Budgets: p50 <= {BUDGET_P50_MS:.0f} ms, p95 <= {BUDGET_P95_MS:.0f} ms (server time, in process); "
        f"HTML+CSS+JS <= {BUDGET_PAGE_KB:.0f} KB gzip per page; web + worker <= {BUDGET_MEMORY_MB:.0f} MB "
        "resident. '!' marks a figure over its budget."
    )
    lines.append(
        "ratio = page req/s / req/s of a static file of the same size served by the same server "
        "(whitenoise): how close the page comes to the server's limit."
    )
    if run.web_memory and run.worker_memory:
        web, worker = run.web_memory, run.worker_memory
        total_mb = (web.rss_kb + worker.rss_kb) / 1024
        lines.append(
            f"Memory after the load: web {web.rss_kb / 1024:.0f} MB RSS in {len(web.pids)} processes "
            f"({web.pss_kb / 1024:.0f} MB PSS, peak {web.peak_rss_kb / 1024:.0f} MB), worker "
            f"{worker.rss_kb / 1024:.0f} MB RSS; total {total_mb:.0f} MB RSS of {BUDGET_MEMORY_MB:.0f} MB"
            f"{'' if total_mb <= BUDGET_MEMORY_MB else ' (over budget)'}."
        )
    return "\n".join(lines)


def _pct(ratio: float | None) -> float | None:
    return None if ratio is None else ratio * 100


def to_json(run: Run) -> dict[str, Any]:
    results = []
    for result in run.results:
        record = asdict(result)
        if result.in_process is not None:
            record["in_process"].pop("body", None)
        for load in record["loads"].values():
            load.pop("output", None)
        record["ratio_c1"] = result.ratio(1)
        record["ratio_c8"] = result.ratio(8)
        results.append(record)
    return {
        "meta": run.meta,
        "budgets": {
            "p50_ms": BUDGET_P50_MS,
            "p95_ms": BUDGET_P95_MS,
            "page_kb_gzip": BUDGET_PAGE_KB,
            "memory_mb": BUDGET_MEMORY_MB,
        },
        "results": results,
        "memory": {
            "web": asdict(run.web_memory) if run.web_memory else None,
            "worker": asdict(run.worker_memory) if run.worker_memory else None,
        },
    }


def write_json(run: Run, directory: Path, stamp: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{stamp}.json"
    path.write_text(json.dumps(to_json(run), indent=2, sort_keys=True) + "\n")
    return path
