"""Communities as search documents (see solex.search.sources).

Who may find one is ``Community.objects.visible_to``: a safe space is found only by
its members. Communities are few, so every sweep reindexes them all.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from solex.communities.models import Community, Stage
from solex.search.sources import DocumentData

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django_stubs_ext import StrOrPromise

    from solex.accounts.models import User


class CommunitySource:
    kind = "community"
    group = "communities"

    @property
    def label(self) -> StrOrPromise:
        return _("Community")

    def visible(self, user: User | AnonymousUser) -> Q:
        return Q(Exists(Community.objects.visible_to(user).filter(pk=OuterRef("object_id"))))

    def documents(self, ids: Iterable[int] | None = None) -> Iterator[DocumentData]:
        communities = Community.objects.prefetch_related("topics").order_by("pk")
        if ids is not None:
            communities = communities.filter(pk__in=ids)
        for community in communities:
            text = "\n".join(
                part
                for part in [
                    community.purpose,
                    community.mission,
                    community.vision,
                    community.goals,
                ]
                if part
            )
            languages = community.languages if isinstance(community.languages, list) else []
            yield DocumentData(
                kind=self.kind,
                object_id=community.pk,
                title=community.name,
                text=text,
                url=community.get_absolute_url(),
                date=community.created_at,
                community_id=community.pk,
                community_name=community.name,
                slug=community.slug,
                language=str(languages[0]) if len(languages) == 1 else "",
                topics=[topic.pk for topic in community.topics.all()],
                countries=[str(c) for c in community.countries or []],
                state="archived" if community.stage == Stage.CLOSED else "",
                quality=1.2 + 0.05 * min(community.member_count, 100) ** 0.5,
            )

    def changed_since(self, since: datetime) -> Iterable[int]:
        return Community.objects.values_list("pk", flat=True)

    def existing_ids(self) -> Iterable[int]:
        return Community.objects.values_list("pk", flat=True)

    def count(self) -> int:
        return Community.objects.count()


COMMUNITIES = CommunitySource()
