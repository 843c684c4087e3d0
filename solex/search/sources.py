"""What can be found: each app describes its documents in its own ``search_documents.py``.

``settings.SOLEX_SEARCH_SOURCES`` lists them by dotted path (search sits below the
apps whose objects it indexes, so it never imports them). A source says

- how to turn its objects into documents (``documents``), and which changed since a
  moment (``changed_since``), for the index;
- **who may see them** (``visible``): a ``Q`` over ``Document`` built on the owning
  model's own ``visible_to(user)`` filter, matched by ``OuterRef("object_id")``. Every
  search, count, snippet and topic page goes through it, in SQL, and it reads the live
  rows: an object deleted, hidden or moved to a safe space drops out of results at once,
  before the index catches up.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.db.models import Q
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django_stubs_ext import StrOrPromise

    from solex.accounts.models import User

    AnyUser = User | AnonymousUser


@dataclass
class DocumentData:
    """One object as the index holds it."""

    kind: str
    object_id: int
    title: str
    text: str
    url: str
    date: datetime
    community_id: int | None = None
    community_name: str = ""
    language: str = ""
    topics: Sequence[int] = ()
    countries: Sequence[str] = ()
    state: str = ""
    quality: float = 1.0
    is_consolidated: bool = False
    helpful_count: int = 0
    slug: str = ""
    subtitle: str = ""


class Source(Protocol):
    #: The document kind this source writes (one source per kind).
    kind: str
    #: The filter value people choose ("exchanges" covers exchanges and replies).
    group: str

    @property
    def label(self) -> StrOrPromise: ...

    def visible(self, user: AnyUser) -> Q:
        """The rows of this kind ``user`` may see (a Q over Document)."""
        ...

    def documents(self, ids: Iterable[int] | None = None) -> Iterator[DocumentData]:
        """Documents for these objects (all when ``ids`` is None); unsearchable ones are left out."""
        ...

    def changed_since(self, since: datetime) -> Iterable[int]:
        """Ids of objects that may have changed since ``since``."""
        ...

    def existing_ids(self) -> Iterable[int]:
        """Every id that still exists (a queryset of ids), to prune deleted ones."""
        ...

    def count(self) -> int: ...


@cache
def sources() -> dict[str, Source]:
    found: dict[str, Source] = {}
    for path in getattr(settings, "SOLEX_SEARCH_SOURCES", ()):
        source = import_string(path)
        found[source.kind] = source
    return found


def source(kind: str) -> Source:
    return sources()[kind]


def groups() -> dict[str, list[str]]:
    """Filter value → the kinds it covers, in settings order."""
    result: dict[str, list[str]] = {}
    for kind, src in sources().items():
        result.setdefault(src.group, []).append(kind)
    return result


def visible_q(user: AnyUser, kinds: Iterable[str] | None = None) -> Q:
    """Documents ``user`` may see: each kind's own rule, joined by OR. Nothing else passes."""
    condition = Q(pk__in=[])
    for kind, src in sources().items():
        if kinds is None or kind in kinds:
            condition |= Q(kind=kind) & src.visible(user)
    return condition
