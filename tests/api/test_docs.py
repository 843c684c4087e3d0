"""The API reference page: server-rendered from the OpenAPI schema, no scripts from elsewhere."""

from __future__ import annotations

import gzip

from django.test import Client


def test_the_docs_page_lists_every_operation_from_the_schema(db: None) -> None:
    schema = Client().get("/api/v1/openapi.json").json()

    page = Client().get("/api/v1/docs").content.decode()

    for path, methods in schema["paths"].items():
        for method in methods:
            assert f"<code>{method.upper()} {path}</code>" in page
    assert "Authorization: Bearer $SOLEX_TOKEN" in page


def test_the_docs_page_shows_parameters_bodies_and_responses(db: None) -> None:
    page = Client().get("/api/v1/docs").content.decode()

    assert '<th scope="row"><code>organization_id</code></th><td>path</td>' in page
    assert (
        '<th scope="row"><code>preferred_language</code></th><td>one of: en, fr, es, ar</td>'
        in page
    )
    assert '<a href="#schema-error">Error</a>' in page


def test_the_docs_page_loads_nothing_from_other_sites_and_stays_small(db: None) -> None:
    response = Client().get("/api/v1/docs")

    assert response.status_code == 200
    page = response.content.decode()
    assert "cdn" not in page.lower()
    assert "<script" not in page.replace('<script src="/static/', "")
    # The page budget for slow links: 60 KB compressed, as the server sends it.
    assert len(gzip.compress(response.content)) < 60_000
