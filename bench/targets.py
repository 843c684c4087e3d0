"""The pages and API endpoints the benchmark measures.

Pages and API operations are found by URL name (ninja names an operation after its
function, in the ``api`` namespace), and pages about one object (a community, a
person) through a finder that picks a representative object in the bench database.
A target whose URL name or model does not exist yet is reported as missing and
skipped, so this list can name pages that later issues add.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from django.apps import apps
from django.urls import NoReverseMatch, reverse

Auth = Literal["anonymous", "session", "token"]
Kind = Literal["page", "api"]


class TargetMissingError(Exception):
    """The target's page does not exist (yet) in this version of Solex."""


@dataclass(frozen=True)
class Target:
    name: str
    url_name: str = ""  # reverse() this; or
    find: Callable[[], str] | None = None  # ask this for the path of a representative object
    auth: Auth = "anonymous"
    persona: str = "member"  # who is signed in, for session and token targets
    kind: Kind = "page"

    @property
    def slug(self) -> str:
        return "".join(ch if ch.isalnum() else "-" for ch in self.name.lower()).strip("-")


@dataclass(frozen=True)
class Resolved:
    target: Target
    path: str


@dataclass(frozen=True)
class Missing:
    target: Target
    reason: str


def _largest_public_community(url_name: str) -> Callable[[], str]:
    """The public community with the most members: the heaviest page of its kind."""

    def find() -> str:
        try:
            community_model = apps.get_model("communities", "Community")
        except LookupError:
            raise TargetMissingError("the communities app is not installed") from None
        community = (
            community_model._default_manager.filter(visibility="public")
            .order_by("-member_count", "pk")
            .first()
        )
        if community is None:
            raise TargetMissingError("the bench database has no public community")
        return _reverse(url_name, [getattr(community, "slug")])  # noqa: B009 (model not imported)

    return find


def _exchange_with_replies(count: int) -> Callable[[], str]:
    """The first public exchange with ``count`` replies or more (the demo builds one with exactly 100)."""

    def find() -> str:
        try:
            exchange_model = apps.get_model("exchanges", "Exchange")
        except LookupError:
            raise TargetMissingError("the exchanges app is not installed") from None
        exchange = (
            exchange_model._default_manager.filter(
                community__visibility="public", is_direct_connect=False, reply_count__gte=count
            )
            .order_by("reply_count", "pk")
            .first()
        )
        if exchange is None:
            raise TargetMissingError(f"the bench database has no public exchange with {count} replies")
        return _reverse("exchanges:exchange-detail", [str(exchange.pk)])

    return find


def _profile_of(username: str) -> Callable[[], str]:
    def find() -> str:
        return _reverse("people:profile", [username])

    return find


TARGETS: tuple[Target, ...] = (
    Target("home", url_name="core:home"),
    Target("home, signed in", url_name="core:home", auth="session"),
    Target("login page", url_name="accounts:login"),
    Target("community directory", url_name="communities:community-list", auth="session"),
    Target("community page", find=_largest_public_community("communities:community-detail"), auth="session"),
    Target("community members", find=_largest_public_community("communities:member-list"), auth="session"),
    Target("people directory", url_name="people:directory", auth="session"),
    Target("profile page", find=_profile_of("expert"), auth="session"),
    Target("community exchanges", find=_largest_public_community("exchanges:community-exchanges"), auth="session"),
    Target("exchange, 100 replies", find=_exchange_with_replies(100), auth="session"),
    Target("facilitator workspace", url_name="workspace:queue", auth="session", persona="facilitator"),
    Target("notifications inbox", url_name="notifications:inbox", auth="session"),
    Target("API schema", url_name="api:openapi-json", kind="api"),
    Target("API organizations", url_name="api:list_organizations", kind="api"),
    Target("API me (token)", url_name="api:get_profile", auth="token", kind="api"),
    Target("API exchanges", url_name="api:list_exchanges", kind="api"),
)


def _reverse(url_name: str, args: list[str] | None = None) -> str:
    try:
        return reverse(url_name, args=args)
    except NoReverseMatch:
        raise TargetMissingError(f"no URL named {url_name!r} yet") from None


def resolve_target(target: Target) -> Resolved | Missing:
    try:
        path = target.find() if target.find is not None else _reverse(target.url_name)
    except TargetMissingError as missing:
        return Missing(target, str(missing))
    return Resolved(target, path)


def resolve_targets(targets: tuple[Target, ...] = TARGETS) -> list[Resolved | Missing]:
    return [resolve_target(target) for target in targets]
