"""Limit/offset pages: every list the API returns is bounded."""

from __future__ import annotations

from typing import Any

from django.db import models
from ninja import Field, Schema

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
# Deep offsets make the database walk and discard rows; past this, filter instead.
MAX_OFFSET = 10_000


class PageParams(Schema):
    limit: int = Field(
        DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"How many items, at most {MAX_LIMIT}."
    )
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many items to skip.")


class Page[ItemT](Schema):
    count: int = Field(description="How many items there are in all, across pages.")
    limit: int
    offset: int
    items: list[ItemT]


def paginate[ModelT: models.Model](
    queryset: models.QuerySet[ModelT], params: PageParams
) -> dict[str, Any]:
    """One page of ``queryset``, which must be ordered so pages do not overlap."""
    return {
        "count": queryset.count(),
        "limit": params.limit,
        "offset": params.offset,
        "items": list(queryset[params.offset : params.offset + params.limit]),
    }
