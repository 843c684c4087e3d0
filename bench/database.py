"""The bench database: built once per set of parameters in its own data directory.

The directory's name says the parameters; a stamp file inside records a fingerprint
of everything that shapes the data (the migrations and the demo builders). When the
fingerprint changes, the directory is thrown away and the database built again, so
a bench never measures a stale schema or yesterday's demo.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STAMP = "bench-build.json"


def data_dir_for(members: int, posts: int, seed: str) -> Path:
    safe_seed = "".join(ch if ch.isalnum() else "-" for ch in seed)
    return ROOT / "var" / "bench" / f"members-{members}-posts-{posts}-seed-{safe_seed}"


def fingerprint(members: int, posts: int, seed: str) -> str:
    """A digest of the parameters, the migrations and the demo builders' source."""
    digest = hashlib.sha256(f"{members}:{posts}:{seed}".encode())
    sources = sorted(ROOT.glob("solex/*/migrations/*.py")) + sorted(ROOT.glob("solex/demo/**/*.py"))
    for path in sources:
        if "tests" in path.parts:
            continue
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def is_current(data_dir: Path, expected: str) -> bool:
    stamp = data_dir / STAMP
    if not stamp.exists():
        return False
    try:
        recorded = json.loads(stamp.read_text())
    except ValueError:
        return False
    return bool(recorded.get("fingerprint") == expected)


def discard(data_dir: Path) -> None:
    """Remove a stale bench directory (only ever one under var/bench/)."""
    if data_dir.exists() and data_dir.parent.name == "bench":
        shutil.rmtree(data_dir)


def prepare(
    data_dir: Path, *, members: int, posts: int, seed: str, expected: str, reuse: bool
) -> float | None:
    """Migrate and collect static files; build the demo unless reused. Seconds of build or None.

    Django must be set up (with SOLEX_DATA_DIR pointing at ``data_dir``) before this runs.
    """
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    if settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache"):
        call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if reuse:
        return None
    print(
        f"Building the bench database: {members:,} members, {posts:,} posts (seed {seed!r})...",
        flush=True,
    )
    started = time.monotonic()
    call_command(
        "demo", members=members, posts=posts, seed=seed, stdout=io.StringIO(), stderr=sys.stderr
    )
    seconds = time.monotonic() - started
    (data_dir / STAMP).write_text(
        json.dumps(
            {
                "fingerprint": expected,
                "members": members,
                "posts": posts,
                "seed": seed,
                "build_seconds": seconds,
            }
        )
    )
    return seconds
