"""Search quality on the labelled relevance set: MRR and nDCG@10 are printed, not asserted.

Run with ``-s`` to see them (``pytest -s tests/search/test_relevance.py``). What is
asserted is only what must hold: an exact title ranks first.
"""

from __future__ import annotations

import pytest

from solex.accounts.models import User
from solex.accounts.testing import make_staff
from solex.communities.testing import make_community
from solex.exchanges.testing import make_exchange
from solex.knowledge.models import KnowledgeItem
from solex.people.models import Profile
from solex.search import actions
from solex.search.queries import SearchParams, search
from tests.search.relevance import DOCUMENTS, QUERIES, evaluate

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus() -> tuple[User, dict[tuple[str, int], str]]:
    reader = make_staff("reader", name="Relevance Reader")
    lab = make_community(
        "Relevance lab", visibility="public", slug="relevance-lab", purpose="Tests."
    )
    keys: dict[tuple[str, int], str] = {}
    for key, (kind, title, text) in DOCUMENTS.items():
        if kind == "exchange":
            obj_id = make_exchange(lab, author=reader, title=title, body=text).pk
        elif kind == "knowledge":
            obj_id = KnowledgeItem.objects.create(
                kind=KnowledgeItem.Kind.PRACTICE_NOTE,
                title=title,
                summary=text[:500],
                community=lab,
            ).pk
        elif kind == "person":
            job, _dot, bio = text.partition(". ")
            person = make_staff(key, name=title, title=job)
            Profile.objects.create(user=person, bio=bio)
            obj_id = person.pk
        else:
            obj_id = make_community(title, visibility="public", slug=key, purpose=text).pk
        keys[(kind, obj_id)] = key
    actions.rebuild()
    return reader, keys


def test_relevance_figures(corpus: tuple[User, dict[tuple[str, int], str]]) -> None:
    reader, keys = corpus

    def run(query: str) -> list[str]:
        found = search(reader, SearchParams(q=query), per_page=10).results
        return [keys.get((r.document.kind, r.document.object_id), "?") for r in found]

    scores = evaluate(run)
    print(  # noqa: T201 - the figures are the point of this test
        f"\nfull-text relevance on {len(QUERIES)} queries: "
        f"MRR {scores.mrr:.3f}, nDCG@10 {scores.ndcg10:.3f}; "
        f"no relevant result in the top 10 for: {scores.misses or 'none'}"
    )
    assert len(QUERIES) >= 50
    assert 0 < scores.mrr <= 1


@pytest.mark.parametrize(
    "key",
    [
        "water-tariffs",
        "ar-education",
        "zh-poverty",
        "ru-vaccination",
        "fr-education",
        "es-ninez",
        "c-gender",
        "p-fatima",
    ],
)
def test_an_exact_title_ranks_first(
    corpus: tuple[User, dict[tuple[str, int], str]], key: str
) -> None:
    reader, keys = corpus
    _kind, title, _text = DOCUMENTS[key]
    first = search(reader, SearchParams(q=title)).results[0].document
    assert keys[(first.kind, first.object_id)] == key
