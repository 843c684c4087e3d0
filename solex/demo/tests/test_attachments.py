"""The demo's attachments: real files on queries and replies, their text extracted."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from solex.core.models import StoredFile
from solex.demo.build import build_demo
from solex.exchanges.models import Attachment

pytestmark = pytest.mark.django_db


def test_some_queries_and_replies_carry_files_with_searchable_text() -> None:
    build_demo(stderr=io.StringIO(), scale={"members": 120, "posts": 1500})
    on_queries = Attachment.objects.filter(reply__isnull=True)
    on_replies = Attachment.objects.filter(reply__isnull=False)
    assert on_queries.exists() and on_replies.exists()
    assert all(a.reply is None or a.reply.exchange_id == a.exchange_id for a in on_replies)
    types = set(Attachment.objects.values_list("file__content_type", flat=True))
    assert {"application/pdf", "text/csv"} <= types
    assert not StoredFile.objects.exclude(extraction_status="extracted").exists()
    pdf = StoredFile.objects.filter(content_type="application/pdf").first()
    assert pdf is not None and "household" in pdf.extracted_text.lower()
    attachment = on_queries.select_related("exchange__community").first()
    assert attachment is not None
    if attachment.exchange.community.visibility == "public":
        assert Client().get(attachment.get_absolute_url()).status_code == 200
