"""Server time, SQL queries and page weight, measured inside this process.

Django's test client runs the whole middleware stack and view against the bench
database without a socket, so the time measured is the server's own: no network,
no server queueing. Queries are counted on one extra request, apart from the timed
ones, because capturing them slows each query down a little.
"""

from __future__ import annotations

import gzip
import re
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.targets import Resolved

_ASSET = re.compile(
    rb"""<(?:link[^>]*\brel=["']?stylesheet["']?[^>]*\bhref|script[^>]*\bsrc)=["']([^"']+)["']""",
    re.IGNORECASE,
)


@dataclass
class Sessions:
    """Signed-in credentials shared by the in-process clients and wrk."""

    session_cookies: dict[str, str] = field(default_factory=dict)  # persona -> session id
    tokens: dict[str, str] = field(default_factory=dict)  # persona -> raw access token

    def session(self, persona: str) -> str:
        if persona not in self.session_cookies:
            from django.contrib.auth import get_user_model

            client = Client()
            client.force_login(get_user_model()._default_manager.get(username=persona))
            self.session_cookies[persona] = client.cookies[settings.SESSION_COOKIE_NAME].value
        return self.session_cookies[persona]

    def token(self, persona: str) -> str:
        if persona not in self.tokens:
            from solex.accounts.actions import create_access_token
            from solex.accounts.models import User

            user = User.objects.get(username=persona)
            _, self.tokens[persona] = create_access_token(user, name="bench")
        return self.tokens[persona]

    def headers(self, resolved: Resolved) -> dict[str, str]:
        """HTTP headers that sign the target's persona in."""
        target = resolved.target
        if target.auth == "session":
            return {"Cookie": f"{settings.SESSION_COOKIE_NAME}={self.session(target.persona)}"}
        if target.auth == "token":
            return {"Authorization": f"Bearer {self.token(target.persona)}"}
        return {}


@dataclass
class Weight:
    html: int  # bytes, uncompressed
    html_gzip: int
    assets_gzip: int  # CSS and JS the page links to
    assets: list[str]

    @property
    def total_gzip(self) -> int:
        return self.html_gzip + self.assets_gzip


@dataclass
class InProcess:
    status: int
    queries: int
    p50_ms: float
    p95_ms: float
    mean_ms: float
    samples: int
    weight: Weight
    body: bytes = field(repr=False)


def _client(resolved: Resolved, sessions: Sessions) -> Client:
    # The bench settings are the production ones: the test client must use a known host.
    client = Client(raise_request_exception=False, SERVER_NAME="127.0.0.1")
    target = resolved.target
    if target.auth == "session":
        client.cookies[settings.SESSION_COOKIE_NAME] = sessions.session(target.persona)
    elif target.auth == "token":
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {sessions.token(target.persona)}"
    return client


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile: the smallest sample with ``fraction`` of them at or below it."""
    ordered = sorted(samples)
    rank = max(1, round(fraction * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def gzip_size(data: bytes) -> int:
    # Level 6, as Django's GZipMiddleware compresses pages.
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def page_weight(body: bytes, kind: str) -> Weight:
    """HTML plus the CSS and JS it links to, each gzip-compressed, in bytes."""
    assets: list[str] = []
    assets_gzip = 0
    if kind == "page":
        static_root = Path(settings.STATIC_ROOT)
        for match in _ASSET.finditer(body):
            url = match.group(1).decode()
            if not url.startswith(settings.STATIC_URL):
                continue
            path = static_root / url.removeprefix(settings.STATIC_URL).split("?")[0]
            if path.is_file():
                assets.append(url)
                assets_gzip += gzip_size(path.read_bytes())
    return Weight(html=len(body), html_gzip=gzip_size(body), assets_gzip=assets_gzip, assets=assets)


def measure(resolved: Resolved, sessions: Sessions, *, requests: int, warmup: int) -> InProcess:
    client = _client(resolved, sessions)
    for _ in range(warmup):
        client.get(resolved.path)
    timings: list[float] = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(resolved.path)
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(resolved.path)
    body = response.content
    return InProcess(
        status=response.status_code,
        queries=len(queries.captured_queries),
        p50_ms=percentile(timings, 0.50),
        p95_ms=percentile(timings, 0.95),
        mean_ms=statistics.fmean(timings),
        samples=len(timings),
        weight=page_weight(body, resolved.target.kind),
        body=body,
    )
