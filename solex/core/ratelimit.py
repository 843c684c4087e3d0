"""Fixed-window rate limits counted in the cache.

A limit is a number of events per window of seconds. Windows are aligned to the
clock (``now // window``), so every process that shares the cache agrees on which
window an event falls in without coordinating. Counting uses ``cache.add`` then
``cache.incr``, which are atomic on Redis and memcached: two processes racing on the
same key cannot both see the same count.

Keys are hashed, so any string (an email address, an IP address) is a safe key on
every cache backend. Limits per client address take it from
``solex.core.clients.client_address``, which knows about reverse proxies.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Rate:
    """At most ``limit`` events per ``window_seconds``."""

    limit: int
    window_seconds: int


@dataclass(frozen=True)
class Verdict:
    """The outcome of counting one event."""

    allowed: bool
    retry_after_seconds: int

    @property
    def retry_after_minutes(self) -> int:
        """Whole minutes to wait, never zero, for messages to people."""
        return max(1, math.ceil(self.retry_after_seconds / 60))


def _cache_key(key: str, window_seconds: int, now: float) -> str:
    window_start = int(now // window_seconds)
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"ratelimit:{window_seconds}:{window_start}:{digest}"


def _retry_after(window_seconds: int, now: float) -> int:
    window_end = (int(now // window_seconds) + 1) * window_seconds
    return max(1, math.ceil(window_end - now))


def hit(key: str, rate: Rate, *, now: float | None = None) -> Verdict:
    """Count one event for ``key``; allowed while the count stays within the limit."""
    now = time.time() if now is None else now
    cache_key = _cache_key(key, rate.window_seconds, now)
    # The entry outlives its window by a little, so a slow clock in one process
    # cannot see an expired counter for a window another process is still in.
    timeout = rate.window_seconds + 60
    if cache.add(cache_key, 1, timeout):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:
            # The entry expired between add and incr: this event starts a new count.
            cache.add(cache_key, 1, timeout)
            count = 1
    return Verdict(
        allowed=count <= rate.limit, retry_after_seconds=_retry_after(rate.window_seconds, now)
    )


def peek(key: str, rate: Rate, *, now: float | None = None) -> Verdict:
    """Whether one more event would be refused, without counting anything."""
    now = time.time() if now is None else now
    count = cache.get(_cache_key(key, rate.window_seconds, now), 0)
    return Verdict(
        allowed=count < rate.limit, retry_after_seconds=_retry_after(rate.window_seconds, now)
    )


def clear(key: str, rate: Rate, *, now: float | None = None) -> None:
    """Forget the events counted for ``key`` in the current window."""
    now = time.time() if now is None else now
    cache.delete(_cache_key(key, rate.window_seconds, now))
