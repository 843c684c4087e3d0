"""Exchanges' evidence for the expertise ledger: what counts and what does not."""

from __future__ import annotations

import pytest

from solex.accounts.testing import make_staff
from solex.communities.testing import make_community
from solex.exchanges.expertise_evidence import answered_queries, helpful_marks, replies
from solex.exchanges.models import HelpfulMark
from solex.exchanges.testing import make_exchange, make_reply
from solex.taxonomy.models import Topic

pytestmark = pytest.mark.django_db


def test_replies_and_marks_count_on_the_exchanges_topics_but_not_self_praise() -> None:
    community = make_community()
    water = Topic.objects.create(name="Water", slug="water")
    tariffs = Topic.objects.create(name="Tariffs", slug="tariffs")
    asker, expert, other = make_staff("asker"), make_staff("expert"), make_staff("other")
    query = make_exchange(community, author=asker, topics=[water, tariffs])
    answer = make_reply(query, expert)
    make_reply(query, asker, "Thanks!")  # the asker's own follow-up
    make_reply(query, other, is_hidden=True)  # hidden by a moderator
    HelpfulMark.objects.create(reply=answer, user=asker)
    own = make_reply(make_exchange(community, topics=[water]), other)
    HelpfulMark.objects.create(reply=own, user=other)  # marking one's own reply
    private = make_exchange(community, author=asker, topics=[water], is_direct_connect=True)
    make_reply(private, expert)

    assert {(e.person_id, e.topic_id) for e in replies(None)} == {
        (expert.pk, water.pk),
        (expert.pk, tariffs.pk),
        (other.pk, water.pk),
    }
    assert {(e.person_id, e.subject) for e in helpful_marks(None)} == {
        (expert.pk, f"reply:{answer.pk}")
    }
    assert {(e.person_id, e.topic_id) for e in answered_queries(None)} == {
        (asker.pk, water.pk),
        (asker.pk, tariffs.pk),
    }
    later = answer.created_at.replace(year=answer.created_at.year + 1)
    assert list(replies(later)) == []
