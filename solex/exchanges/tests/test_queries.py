"""Similar past questions: found by their words, ranked, never from where the reader cannot see."""

from __future__ import annotations

import pytest

from solex.accounts.testing import make_partner, make_staff
from solex.communities.models import Visibility
from solex.communities.testing import make_community
from solex.exchanges.queries import significant_words, similar_exchanges
from solex.exchanges.testing import make_exchange

pytestmark = pytest.mark.django_db


def test_significant_words_drop_stop_words_and_short_words() -> None:
    assert significant_words("How do we price WATER for the informal settlements?") == [
        "settlements",
        "informal",
        "price",
        "water",
    ]


def test_the_closest_question_ranks_first_and_unrelated_ones_are_left_out() -> None:
    community = make_community(visibility=Visibility.PUBLIC)
    exact = make_exchange(
        community,
        title="Water tariffs in informal settlements",
        status="closed",
        close_reason="answered",
    )
    partial = make_exchange(community, title="Water quality testing", body="Tariffs came up once.")
    make_exchange(community, title="Election observers training", body="Radio spots.")
    found = similar_exchanges(
        "What tariff for water in informal settlements?", user=make_staff(), limit=5
    )
    assert [item.exchange for item in found] == [exact, partial]
    assert found[0].score > found[1].score


def test_visibility_is_applied_before_ranking() -> None:
    public = make_community(visibility=Visibility.PUBLIC)
    internal = make_community(visibility=Visibility.ORGANISATION)
    seen = make_exchange(public, title="Decentralisation of water services")
    unseen = make_exchange(internal, title="Decentralisation of water services internally")
    make_exchange(
        public, title="Decentralisation of water services privately", is_direct_connect=True
    )
    found = similar_exchanges("decentralisation water services", user=make_partner())
    assert [item.exchange for item in found] == [seen]
    staff_found = similar_exchanges("decentralisation water services", user=make_staff())
    assert unseen in [item.exchange for item in staff_found]


def test_text_without_significant_words_finds_nothing() -> None:
    make_exchange(make_community(visibility=Visibility.PUBLIC), title="Anything at all here")
    assert similar_exchanges("how do we?", user=make_staff()) == []
