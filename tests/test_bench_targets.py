"""The benchmark's target list stays in step with the URLs: each resolves or says why not.

No timing here: the bench reports figures, tests never assert them.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import resolve

from bench.inprocess import page_weight, percentile
from bench.server import Load, parse_wrk
from bench.targets import TARGETS, Missing, Resolved, Target, resolve_target, resolve_targets

pytestmark = pytest.mark.django_db

# Pages of the foundation: they exist in every version, so they must always resolve.
FOUNDATION = {
    "home",
    "home, signed in",
    "login page",
    "API schema",
    "API organizations",
    "API me (token)",
}
# Pages of the exchanges: the demo builds the exchange with 100 replies they need.
EXCHANGES = {"community exchanges", "exchange, 100 replies", "API exchanges"}


def test_every_target_resolves_to_a_route_or_reports_why_not() -> None:
    call_command("demo", members=20, posts=400, stdout=io.StringIO(), stderr=io.StringIO())

    outcomes = resolve_targets()

    assert [outcome.target for outcome in outcomes] == list(TARGETS)
    for outcome in outcomes:
        if isinstance(outcome, Resolved):
            assert resolve(outcome.path).url_name != "unknown-path", outcome.target.name
        else:
            assert outcome.reason, outcome.target.name
    resolved = {outcome.target.name for outcome in outcomes if isinstance(outcome, Resolved)}
    assert resolved >= FOUNDATION | EXCHANGES
    busiest = next(o for o in outcomes if o.target.name == "exchange, 100 replies")
    assert isinstance(busiest, Resolved)
    assert resolve(busiest.path).url_name == "exchange-detail"


def test_the_exchange_target_is_reported_missing_without_an_exchange_that_long() -> None:
    call_command("demo", members=20, posts=150, stdout=io.StringIO(), stderr=io.StringIO())
    target = next(t for t in TARGETS if t.name == "exchange, 100 replies")

    outcome = resolve_target(target)

    assert isinstance(outcome, Missing)
    assert "100 replies" in outcome.reason


def test_a_target_whose_url_name_does_not_exist_is_reported_missing() -> None:
    outcome = resolve_target(Target("later", url_name="exchanges:no-such-page"))

    assert isinstance(outcome, Missing)
    assert "exchanges:no-such-page" in outcome.reason


def test_target_names_are_unique() -> None:
    names = [target.name for target in TARGETS]

    assert len(set(names)) == len(names)


WRK_OUTPUT = """\
Running 5s test @ http://127.0.0.1:8000/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     5.08ms    2.11ms  30.05ms   88.10%
  Latency Distribution
     50%    4.70ms
     75%  850.00us
     90%    1.20s
     99%    2.50s
  7890 requests in 5.01s, 80.00MB read
  Socket errors: connect 0, read 1, write 0, timeout 2
  Non-2xx or 3xx responses: 3
Requests/sec:   1574.85
Transfer/sec:     15.97MB
"""


def test_wrk_output_is_parsed_into_rates_latencies_in_ms_and_errors() -> None:
    load = parse_wrk(WRK_OUTPUT, Load(connections=8, threads=2, seconds=5))

    assert load.requests_per_second == 1574.85
    assert load.requests == 7890
    assert load.latency_ms == {"50%": 4.70, "75%": 0.85, "90%": 1200.0, "99%": 2500.0}
    assert load.errors == 6


def test_percentile_is_the_nearest_rank() -> None:
    samples = [float(n) for n in range(1, 101)]

    assert percentile(samples, 0.50) == 50.0
    assert percentile(samples, 0.95) == 95.0
    assert percentile([7.0], 0.95) == 7.0


def test_api_weight_counts_the_body_only() -> None:
    body = b'<link rel="stylesheet" href="/static/solex.css">' * 10

    assert page_weight(body, "api").assets == []
    assert page_weight(body, "api").total_gzip == page_weight(body, "api").html_gzip
