"""The library's evidence for the expertise ledger: authors and contributors of items,
respondents credited on consolidated replies; not the facilitator, not archived items."""

from __future__ import annotations

import pytest

from solex.accounts.testing import make_staff
from solex.communities.testing import make_community
from solex.exchanges.testing import make_exchange
from solex.expertise.models import EvidenceKind
from solex.knowledge.expertise_evidence import items
from solex.knowledge.models import KnowledgeItem
from solex.knowledge.testing import make_item
from solex.taxonomy.models import Topic

pytestmark = pytest.mark.django_db


def test_items_credit_their_authors_and_respondents_on_their_topics() -> None:
    community = make_community()
    water = Topic.objects.create(name="Water", slug="water")
    pricing = Topic.objects.create(name="Pricing", slug="pricing")
    author, respondent, facilitator = make_staff("author"), make_staff("resp"), make_staff("fac")
    practice = make_item(community, author=author, topics=[water])
    query = make_exchange(community, topics=[pricing])
    consolidated = make_item(
        community,
        kind=KnowledgeItem.Kind.CONSOLIDATED_REPLY,
        author=facilitator,
        source_exchange=query,
    )
    consolidated.contributors.set([respondent])
    make_item(community, author=author, topics=[pricing], status=KnowledgeItem.Status.ARCHIVED)

    found = {(e.person_id, e.topic_id, e.kind, e.subject) for e in items(None)}

    assert found == {
        (author.pk, water.pk, EvidenceKind.AUTHORED, f"item:{practice.pk}"),
        (respondent.pk, pricing.pk, EvidenceKind.CONSOLIDATED, f"item:{consolidated.pk}"),
    }
