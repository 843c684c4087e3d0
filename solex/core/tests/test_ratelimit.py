from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache

from solex.core.ratelimit import Rate, clear, hit, peek

RATE = Rate(limit=3, window_seconds=600)
NOW = 1_800_000_000.0  # a window boundary: 1_800_000_000 is a multiple of 600


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def test_events_within_the_limit_are_allowed_and_the_next_is_refused() -> None:
    verdicts = [hit("key", RATE, now=NOW + i) for i in range(4)]
    assert [v.allowed for v in verdicts] == [True, True, True, False]


def test_refusal_says_how_long_until_the_window_ends() -> None:
    for _ in range(3):
        hit("key", RATE, now=NOW + 30)
    verdict = hit("key", RATE, now=NOW + 30)
    assert verdict.retry_after_seconds == 570
    assert verdict.retry_after_minutes == 10


def test_keys_are_counted_separately() -> None:
    for _ in range(3):
        hit("one", RATE, now=NOW)
    assert not hit("one", RATE, now=NOW).allowed
    assert hit("two", RATE, now=NOW).allowed


def test_a_new_window_starts_a_new_count() -> None:
    for _ in range(4):
        hit("key", RATE, now=NOW)
    assert hit("key", RATE, now=NOW + RATE.window_seconds).allowed


def test_peek_does_not_count() -> None:
    for _ in range(5):
        assert peek("key", RATE, now=NOW).allowed
    for _ in range(3):
        hit("key", RATE, now=NOW)
    assert not peek("key", RATE, now=NOW).allowed


def test_clear_forgets_the_current_window() -> None:
    for _ in range(3):
        hit("key", RATE, now=NOW)
    clear("key", RATE, now=NOW)
    assert peek("key", RATE, now=NOW).allowed


def test_any_string_is_a_safe_key() -> None:
    odd = "émile o'brien@例え.jp \n with spaces" * 20
    assert hit(odd, RATE, now=NOW).allowed
