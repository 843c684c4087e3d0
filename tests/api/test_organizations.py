"""The public list of organisations."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from solex.accounts.models import Organization
from solex.accounts.testing import make_organization, make_partner_organization


def test_anonymous_callers_may_list_organisations_and_filter_them(db: None) -> None:
    make_organization()
    make_partner_organization()

    internal = Client().get("/api/v1/organizations", {"is_internal": "true"}).json()
    government = Client().get("/api/v1/organizations", {"kind": "government"}).json()

    assert [item["acronym"] for item in internal["items"]] == ["UNDP"]
    assert [item["acronym"] for item in government["items"]] == ["MoLG"]


def test_the_organisation_list_is_paginated_in_a_fixed_number_of_queries(db: None) -> None:
    for number in range(5):
        Organization.objects.create(name=f"Agency {number}", kind=Organization.Kind.UN_AGENCY)

    with CaptureQueriesContext(connection) as queries:
        body = Client().get("/api/v1/organizations", {"limit": 2, "offset": 2}).json()

    assert (body["count"], body["limit"], body["offset"]) == (5, 2, 2)
    assert [item["name"] for item in body["items"]] == ["Agency 2", "Agency 3"]
    assert len(queries) == 2


def test_a_page_larger_than_the_maximum_is_refused(db: None) -> None:
    response = Client().get("/api/v1/organizations", {"limit": 101})

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "limit"]


def test_one_organisation_can_be_read_by_id(db: None) -> None:
    organization = make_partner_organization()

    body = Client().get(f"/api/v1/organizations/{organization.pk}").json()

    assert body == {
        "id": organization.pk,
        "name": "Ministry of Local Government, Kenya",
        "acronym": "MoLG",
        "kind": "government",
        "is_internal": False,
    }
