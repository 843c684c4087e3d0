"""The authorization matrix: every persona × every community visibility × every route.

ONE table per interface (``PAGES`` for URL patterns, ``API`` for API operations)
writes down the expected answer for each persona, for a community the persona can
see. A community the persona cannot see answers 404, whatever the route (a safe
space never reveals that it exists); a page that needs a login sends anonymous
visitors to it first. Each cell is checked by a real request, and:

- a denied request (401, 403, 404, a redirect to log in) changes nothing;
- no answer mentions a community the persona cannot see.

The tests walk the URL resolver and the OpenAPI schema themselves: a route missing
from the table fails, so the matrix grows with every view that is added.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from solex.accounts.models import User
from solex.accounts.testing import make_partner, make_staff
from solex.api import api
from solex.communities import actions
from solex.communities.models import (
    AuditEntry,
    Community,
    CommunityInvitation,
    CommunityRequest,
    JoinPolicy,
    JoinRequest,
    Membership,
    MembershipType,
    Role,
    RoleAssignment,
    Visibility,
)
from solex.communities.testing import add_member, make_community
from solex.exchanges.models import Exchange, ExchangeEvent, ExpertRequest, HelpfulMark, Reply
from solex.exchanges.testing import make_exchange, make_reply
from solex.knowledge.models import KnowledgeItem, LessonLearned
from solex.notifications.models import Notification
from tests.authz.table import (
    ANY,
    INTERNAL,
    KM_TEAM,
    MANAGERS,
    MEMBER_PERSONAS,
    MODERATORS,
    NAMES,
    PERSONAS,
    REDIRECTS,
    SIGNED_IN,
    VISIBILITIES,
    Route,
    managers_post,
    moderators_post,
    row,
)

# fmt: off
#: Web pages. Rules for other apps' pages state what an anonymous visitor gets.
PAGES: dict[str, Route] = {
    "communities:community-list": Route("GET", ANY, community=False),
    "communities:community-request": Route("GET", INTERNAL, community=False, login_required=True),
    "communities:community-request-list": Route("GET", KM_TEAM, community=False, login_required=True),
    "communities:community-request-approve": Route(
        "POST", row(302, 403, 403, 403, 403, 403, 403, 302), community=False, login_required=True),
    "communities:community-request-decline": Route("GET", KM_TEAM, community=False, login_required=True),
    "communities:crisis-launch": Route("GET", KM_TEAM, community=False, login_required=True),
    "communities:invitation-accept": Route("GET", ANY, community=False, shows_invited_community=True),
    "communities:community-detail": Route("GET", ANY),
    "communities:community-charter": Route("GET", MANAGERS, login_required=True),
    "communities:community-edit": Route("GET", MODERATORS, login_required=True),
    "communities:community-join": Route("POST", REDIRECTS, login_required=True),
    "communities:community-leave": Route("POST", REDIRECTS, login_required=True),
    "communities:membership-delivery": Route("POST", REDIRECTS, {"delivery": "daily"}, login_required=True),
    "communities:join-request-list": Route("GET", MODERATORS, login_required=True),
    "communities:join-request-create": Route("GET", SIGNED_IN, login_required=True),
    "communities:join-request-approve": Route("POST", moderators_post(), login_required=True),
    "communities:join-request-decline": Route("GET", MODERATORS, login_required=True),
    "communities:member-list": Route("GET", ANY),
    "communities:member-roles": Route(
        "POST", managers_post(), {"role": "champion", "operation": "grant"}, login_required=True),
    "communities:member-remove": Route("POST", managers_post(), {"reason": "left"}, login_required=True),
    "communities:community-invite": Route("GET", MODERATORS, login_required=True),
    "communities:invitation-withdraw": Route("POST", moderators_post(), login_required=True),
    "communities:community-audit": Route("GET", MANAGERS, login_required=True),
    "exchanges:community-exchanges": Route("GET", ANY),
    "exchanges:exchange-ask": Route("GET", row(302, 403, 403, 200, 200, 200, 200, 403), login_required=True),
    "exchanges:exchange-similar": Route("GET", SIGNED_IN, login_required=True),
    "exchanges:exchange-direct": Route("GET", row(302, 403, 403, 200, 200, 200, 200, 403), login_required=True),
    "exchanges:exchange-settings": Route("GET", MODERATORS, login_required=True),
    # The exchange is an open query asked by "member"; the reply is by "expert".
    "exchanges:exchange-detail": Route("GET", ANY),
    "exchanges:exchange-reply": Route(
        "POST", row(302, 403, 403, 302, 302, 302, 302, 403), {"body": "Thanks"}, login_required=True),
    "exchanges:exchange-sharpen": Route("GET", MODERATORS, login_required=True),
    "exchanges:exchange-release": Route("POST", moderators_post(), login_required=True),
    "exchanges:exchange-route": Route("POST", moderators_post(), login_required=True),
    "exchanges:exchange-close": Route("GET", row(302, 403, 403, 200, 403, 200, 200, 200), login_required=True),
    "exchanges:exchange-merge": Route("GET", MODERATORS, login_required=True),
    "exchanges:exchange-hand-off": Route("GET", MODERATORS, login_required=True),
    "exchanges:exchange-lock": Route("GET", MODERATORS, login_required=True),
    "exchanges:exchange-unlock": Route("POST", moderators_post(), login_required=True),
    "exchanges:exchange-connect": Route("GET", MODERATORS, login_required=True),
    "exchanges:exchange-publish": Route("POST", moderators_post(), login_required=True),
    "exchanges:reply-helpful": Route("POST", row(302, 403, 403, 302, 403, 302, 302, 302), login_required=True),
    "exchanges:reply-edit": Route("GET", row(302, 403, 403, 403, 200, 200, 200, 200), login_required=True),
    "exchanges:reply-hide": Route("GET", MODERATORS, login_required=True),
    "exchanges:reply-show": Route("POST", moderators_post(), login_required=True),
    # The facilitator's workspace: people holding a moderator role somewhere (not site admins as such).
    "workspace:queue": Route("GET", row(302, 403, 403, 403, 403, 200, 200, 403), community=False, login_required=True),
    "workspace:member-welcome": Route("POST", moderators_post(), login_required=True),
    # One's own notifications: someone else's is a 404 (the member holds the one in the path).
    "notifications:inbox": Route("GET", SIGNED_IN, community=False, login_required=True),
    "notifications:notification-read-all": Route("POST", REDIRECTS, community=False, login_required=True),
    "notifications:notification-read": Route(
        "POST", row(302, 404, 404, 302, 404, 404, 404, 404), community=False, login_required=True),
    # The knowledge library's rows are in rows_knowledge.py.
}

#: Other apps' pages, checked here for anonymous visitors only (their apps test the rest):
#: the status an anonymous GET gets, or None where the page needs a secret (a token in
#: the link) that this test does not hold.
OTHER_PAGES: dict[str, int | None] = {
    "core:home": 200,
    "core:healthz": 200,
    "accounts:signup": 200,
    "accounts:signup-sent": 200,
    "accounts:signup-confirm": None,
    "accounts:invitation-create": 302,
    "accounts:invitation-accept": None,
    "accounts:login": 200,
    "accounts:logout": 405,
    "accounts:password-reset": 200,
    "accounts:password-reset-done": 200,
    "accounts:password-reset-confirm": None,
    "accounts:password-reset-complete": 200,
    "accounts:profile": 302,
    "accounts:tokens": 302,
    "accounts:token-revoke": 405,
    "people:directory": 302,
    "people:profile": 302,
    "people:profile-edit": 302,
    "people:data-export": 302,
    "people:erase": 302,
    "people:expertise-declare": 302,
    "people:expertise-withdraw": 302,
    "people:expertise-endorse": 302,
    "people:endorsement-withdraw": 302,
    "set_language": 302,
    "api:openapi-json": 200,
    "api:openapi-view": 200,
    "api:api-root": 404,
    "api:unknown-path": None,
    "admin:*": 302,
}

A401 = 401
#: API operations, keyed "METHOD /path" as in the OpenAPI schema (without /api/v1).
API: dict[str, Route] = {
    "GET /communities/": Route("GET", row(200, 200, 200, 200, 200, 200, 200, 200), community=False),
    "POST /communities/": Route(
        "POST", row(A401, 403, 201, 201, 201, 201, 201, 201), {"name": "Fresh idea", "purpose": "p"},
        community=False, login_required=True),
    "GET /communities/{slug}": Route("GET", row(200, 200, 200, 200, 200, 200, 200, 200)),
    "PATCH /communities/{slug}/charter": Route(
        "PATCH", row(A401, 403, 403, 403, 403, 403, 200, 200), {"mission": "m"}, login_required=True),
    "GET /communities/{slug}/members": Route("GET", row(200, 200, 200, 200, 200, 200, 200, 200)),
    "POST /communities/{slug}/members": Route(
        "POST",
        row(A401, {"public": 201}, {"public": 201, "organisation": 409}, 409, 409, 409, 409,
            {"public": 201, "organisation": 409, "members": 409}),
        login_required=True),
    "PUT /communities/{slug}/members/me/delivery": Route(
        "PUT", row(A401, 409, 409, 200, 200, 200, 200, 409), {"delivery": "daily"}, login_required=True),
    "DELETE /communities/{slug}/members/me": Route(
        "DELETE", row(A401, 409, 409, 204, 204, 204, 409, 409), login_required=True),
    "POST /communities/{slug}/members/{username}/remove": Route(
        "POST", row(A401, 403, 403, 403, 403, 403, 204, 204), {"reason": "left"}, login_required=True),
    "POST /communities/{slug}/members/{username}/roles": Route(
        "POST", row(A401, 403, 403, 403, 403, 403, 201, 201), {"role": "champion"}, login_required=True),
    "POST /communities/{slug}/members/{username}/roles/revoke": Route(
        "POST", row(A401, 403, 403, 403, 403, 403, 200, 200), {"role": "expert"}, login_required=True),
    "GET /communities/{slug}/join-requests": Route(
        "GET", row(A401, 403, 403, 403, 403, 200, 200, 200), login_required=True),
    "POST /communities/{slug}/join-requests": Route(
        "POST",
        row(A401, {"public": 409}, {"public": 409, "organisation": 201}, 409, 409, 409, 409,
            {"public": 409, "organisation": 201, "members": 409}),
        {"note": "hello"}, login_required=True),
    "POST /communities/{slug}/join-requests/{request_id}/approve": Route(
        "POST", row(A401, 403, 403, 403, 403, 200, 200, 200), login_required=True),
    "POST /communities/{slug}/join-requests/{request_id}/decline": Route(
        "POST", row(A401, 403, 403, 403, 403, 200, 200, 200), {"reason": "no"}, login_required=True),
    "GET /communities/{slug}/invitations": Route(
        "GET", row(A401, 403, 403, 403, 403, 200, 200, 200), login_required=True),
    "POST /communities/{slug}/invitations": Route(
        "POST", row(A401, 403, 403, 403, 403, 201, 201, 201), {"email": "someone.new@undp.org"},
        login_required=True),
    "PATCH /communities/{slug}/settings": Route(
        "PATCH", row(A401, 403, 403, 403, 403, 200, 200, 200), {"kind": "delivery"},
        login_required=True),
    "POST /communities/{slug}/invitations/{invitation_id}/withdraw": Route(
        "POST", row(A401, 403, 403, 403, 403, 200, 200, 200), login_required=True),
    "POST /communities/{slug}/invitations/bulk": Route(
        "POST", row(A401, 403, 403, 403, 403, 200, 200, 200), {"csv": "bulk.person@undp.org\n"},
        login_required=True),
    "GET /communities/{slug}/audit": Route(
        "GET", row(A401, 403, 403, 403, 403, 403, 200, 200), login_required=True),
    "GET /exchanges/": Route("GET", ANY, community=False),
    "POST /exchanges/": Route(
        "POST", row(A401, 403, 403, 201, 201, 201, 201, 403),
        {"community": "{slug}", "title": "A fresh question", "body": "b"}, login_required=True),
    "GET /exchanges/{exchange_id}": Route("GET", ANY),
    "GET /exchanges/{exchange_id}/replies": Route("GET", ANY),
    "POST /exchanges/{exchange_id}/replies": Route(
        "POST", row(A401, 403, 403, 201, 201, 201, 201, 403), {"body": "Thanks"}, login_required=True),
    "POST /exchanges/replies/{reply_id}/helpful": Route(
        "POST", row(A401, 403, 403, 200, 403, 200, 200, 200), login_required=True),
    "DELETE /exchanges/replies/{reply_id}/helpful": Route(
        "DELETE", row(A401, 200, 200, 200, 200, 200, 200, 200), login_required=True),
    "GET /exchanges/{exchange_id}/suggestions": Route(
        "GET", row(A401, 403, 403, 403, 403, 200, 200, 200), login_required=True),
    "POST /exchanges/{exchange_id}/route": Route(
        "POST", row(A401, 403, 403, 403, 403, 409, 409, 409), {"experts": ["nobody-here"]},
        login_required=True),
    "POST /exchanges/{exchange_id}/release": Route(
        "POST", row(A401, 403, 403, 403, 403, 409, 409, 409), login_required=True),
    "POST /exchanges/{exchange_id}/close": Route(
        "POST", row(A401, 403, 403, 200, 403, 200, 200, 200), {"reason": "withdrawn"}, login_required=True),
    "GET /community-requests/": Route(
        "GET", row(A401, 403, 403, 403, 403, 403, 403, 200), community=False, login_required=True),
    "POST /community-requests/{request_id}/approve": Route(
        "POST", row(A401, 403, 403, 403, 403, 403, 403, 200), community=False, login_required=True),
    "POST /community-requests/{request_id}/decline": Route(
        "POST", row(A401, 403, 403, 403, 403, 403, 403, 200), {"reason": "no"}, community=False,
        login_required=True),
    "GET /notifications/": Route("GET", row(A401, 200, 200, 200, 200, 200, 200, 200), community=False, login_required=True),
    "POST /notifications/read": Route(
        "POST", row(A401, 200, 200, 200, 200, 200, 200, 200), community=False, login_required=True),
    "POST /notifications/{notification_id}/read": Route(
        "POST", row(A401, 404, 404, 200, 404, 404, 404, 404), community=False, login_required=True),
}

#: Other apps' operations: the status an anonymous caller gets.
OTHER_API: dict[str, int] = {
    "GET /me": 401,
    "PATCH /me": 401,
    "GET /me/tokens": 401,
    "DELETE /me/tokens/{token_id}": 401,
    "GET /organizations": 200,
    "GET /organizations/{organization_id}": 404,
    "GET /people/": 401,
    "GET /people/{username}": 401,
    "PATCH /people/{username}/profile": 401,
    "POST /people/{username}/expertise": 401,
    "DELETE /people/{username}/expertise/{claim_id}": 401,
    "POST /people/{username}/expertise/{claim_id}/endorsements": 401,
    "DELETE /people/{username}/expertise/{claim_id}/endorsements/mine": 401,
    "GET /people/{username}/data": 401,
}
# fmt: on

API_PREFIX = "/api/v1"


def _app_tables() -> list[ModuleType]:
    """The per-app tables beside this file (``rows_<app>.py``), see ``table.py``."""
    package = importlib.import_module("tests.authz")
    return [
        importlib.import_module(f"tests.authz.{info.name}")
        for info in pkgutil.iter_modules(package.__path__)
        if info.name.startswith("rows_")
    ]


APP_TABLES = _app_tables()
for _table in APP_TABLES:
    for _name in ("PAGES", "API", "OTHER_PAGES", "OTHER_API"):
        _rows = getattr(_table, _name, {})
        _clash = set(_rows) & set(globals()[_name])
        assert not _clash, f"{_table.__name__} repeats rows of {_name}: {sorted(_clash)}"
        globals()[_name].update(_rows)


# --- The world every cell runs in ------------------------------------------------------------


@dataclass
class World:
    personas: dict[str, User | None]
    communities: dict[str, Community]
    join_requests: dict[str, JoinRequest]
    targets: dict[str, User]
    invitations: dict[str, CommunityInvitation]
    community_request: CommunityRequest
    lessons: dict[str, KnowledgeItem]
    exchanges: dict[str, Exchange] = field(default_factory=dict)  # an open query in each
    # Path values the per-app tables' objects add, per visibility.
    extra: dict[str, dict[str, str]] = field(default_factory=dict)


def build_world() -> World:
    admin = make_staff("site_admin", is_superuser=True, is_staff=True)
    personas: dict[str, User | None] = {
        "anonymous": None,
        "partner": make_partner("outside_partner"),
        "staff": make_staff("outside_staff"),
        "member": make_staff("plain_member"),
        "expert": make_staff("the_expert"),
        "facilitator": make_staff("the_facilitator"),
        "coordinator": make_staff("the_coordinator"),
        "admin": admin,
    }
    settings_by_visibility = {
        "public": (JoinPolicy.OPEN, MembershipType.PARTNERS),
        "organisation": (JoinPolicy.APPROVAL, MembershipType.INTERNAL),
        "members": (JoinPolicy.INVITATION, MembershipType.INTERNAL),
    }
    communities: dict[str, Community] = {}
    join_requests: dict[str, JoinRequest] = {}
    targets: dict[str, User] = {}
    invitations: dict[str, CommunityInvitation] = {}
    lessons: dict[str, KnowledgeItem] = {}
    exchanges: dict[str, Exchange] = {}
    requester = make_staff("requester")
    for visibility in VISIBILITIES:
        policy, membership_type = settings_by_visibility[visibility]
        community = make_community(
            NAMES[visibility],
            slug=f"{visibility}-community",
            visibility=visibility,
            join_policy=policy,
            membership_type=membership_type,
        )
        roles = {"member": (), "expert": (Role.EXPERT,), "facilitator": (Role.FACILITATOR,)}
        for persona, persona_roles in roles.items():
            user = personas[persona]
            assert user is not None
            add_member(community, user, *persona_roles)
        coordinator = personas["coordinator"]
        assert coordinator is not None
        add_member(community, coordinator, Role.COORDINATOR)
        target = make_staff(f"target_{visibility}")
        add_member(community, target, Role.EXPERT)
        targets[visibility] = target
        join_requests[visibility] = JoinRequest.objects.create(
            community=community, user=requester, note="please"
        )
        invitations[visibility] = CommunityInvitation.objects.create(
            community=community, email=f"invitee.{visibility}@undp.org", invited_by=coordinator
        )
        lessons[visibility] = KnowledgeItem.objects.create(
            kind=KnowledgeItem.Kind.LESSON_LEARNED,
            title=f"What {NAMES[visibility]} learned",
            summary="s",
            community=community,
        )
        LessonLearned.objects.create(
            item=lessons[visibility], context="c", what_worked="w", recommendation="r"
        )
        KnowledgeItem.objects.create(
            kind=KnowledgeItem.Kind.CONSOLIDATED_REPLY,
            title=f"What {NAMES[visibility]} answered",
            summary="s",
            community=community,
        )
        exchange = make_exchange(community, author=personas["member"], title="A question asked")
        make_reply(exchange, personas["expert"] or admin, "An answer given")
        exchanges[visibility] = exchange
        communities[visibility] = community
    community_request = CommunityRequest.objects.create(
        name="Wanted network", slug="wanted-network", purpose="p", requested_by=requester
    )
    world = World(
        personas,
        communities,
        join_requests,
        targets,
        invitations,
        community_request,
        lessons,
        exchanges,
    )
    for visibility, community in communities.items():
        world.extra[visibility] = {}
        for table in APP_TABLES:
            world.extra[visibility].update(table.build(world, visibility, community))
    return world


COUNTED: list[type[Model]] = [
    Community,
    Membership,
    RoleAssignment,
    JoinRequest,
    CommunityInvitation,
    CommunityRequest,
    AuditEntry,
    User,
    KnowledgeItem,
    LessonLearned,
    Exchange,
    Reply,
    HelpfulMark,
    ExpertRequest,
    ExchangeEvent,
    Notification,
]


def counts() -> dict[str, int]:
    models = COUNTED + [model for table in APP_TABLES for model in getattr(table, "COUNTED", [])]
    return {model._meta.label: model._default_manager.count() for model in models}


def sees(persona: str, visibility: str) -> bool:
    if visibility == Visibility.PUBLIC or persona in MEMBER_PERSONAS or persona == "admin":
        return True
    return visibility == Visibility.ORGANISATION and persona == "staff"


def expected_status(route: Route, persona: str, visibility: str, *, api_call: bool) -> int:
    if persona == "anonymous" and route.login_required:
        return 401 if api_call else 302
    if route.community and not sees(persona, visibility):
        return 404
    cell = route.expected[persona]
    if isinstance(cell, dict):
        return cell[visibility]
    return cell


@dataclass
class Call:
    method: str
    path: str
    data: dict[str, Any]


def _path_values(world: World, visibility: str) -> dict[str, str]:
    community = world.communities[visibility]
    return {
        "slug": community.slug,
        "pk": str(world.join_requests[visibility].pk),
        "request_id": str(world.join_requests[visibility].pk),
        "user_id": str(world.targets[visibility].pk),
        "username": world.targets[visibility].username,
        "token": actions.invitation_token(world.invitations[visibility]),
        "invitation_id": str(world.invitations[visibility].pk),
        "exchange_id": str(world.exchanges[visibility].pk),
        "reply_id": str(Reply.objects.get(exchange=world.exchanges[visibility]).pk),
        **world.extra[visibility],
    }


def _members_notification(world: World) -> Notification:
    member = world.personas["member"]
    assert member is not None
    notification, _created = Notification.objects.get_or_create(
        recipient=member, kind="test", text="Something happened", target_url="/"
    )
    return notification


def page_call(world: World, name: str, route: Route, visibility: str) -> Call:
    values = _path_values(world, visibility)
    if name.startswith("communities:community-request-"):
        values["pk"] = str(world.community_request.pk)
    if name.startswith("knowledge:item-"):
        values["pk"] = str(world.lessons[visibility].pk)
    if name == "knowledge:consolidated-reply":
        values["pk"] = str(
            KnowledgeItem.objects.get(
                community=world.communities[visibility], kind=KnowledgeItem.Kind.CONSOLIDATED_REPLY
            ).pk
        )
    if name == "notifications:notification-read":
        values["pk"] = str(_members_notification(world).pk)
    pattern = next(p for n, p in url_names() if n == name)
    kwargs = {key: values[key] for key in pattern.pattern.converters}
    return Call(route.method, reverse(name, kwargs=kwargs), route.data)


def api_call(world: World, key: str, route: Route, visibility: str) -> Call:
    values = _path_values(world, visibility)
    if key.startswith(("GET /community-requests", "POST /community-requests")):
        values["request_id"] = str(world.community_request.pk)
    values["notification_id"] = str(_members_notification(world).pk)
    _method, _space, template = key.partition(" ")
    path = template
    for name, value in values.items():
        path = path.replace("{" + name + "}", value)
    data = {
        key: value.replace("{slug}", values["slug"]) if isinstance(value, str) else value
        for key, value in route.data.items()
    }
    return Call(route.method, API_PREFIX + path, data)


@transaction.atomic
def _send(
    user: User | None, call: Call, *, as_json: bool
) -> tuple[Any, dict[str, int], dict[str, int]]:
    client = Client()
    if user is not None:
        client.force_login(user)
    before = counts()
    if as_json:
        response = client.generic(
            call.method, call.path, json.dumps(call.data), content_type="application/json"
        )
    elif call.method == "GET":
        response = client.get(call.path)
    else:
        response = client.post(call.path, call.data)
    after = counts()
    # Every cell starts from the same world.
    transaction.set_rollback(True)
    return response, before, after


def check_cell(
    world: World, route: Route, persona: str, visibility: str, call: Call, *, as_json: bool
) -> str:
    """One cell of the matrix; returns a description of what went wrong, or ""."""
    expected = expected_status(route, persona, visibility, api_call=as_json)
    response, before, after = _send(world.personas[persona], call, as_json=as_json)
    where = f"{persona} {call.method} {call.path} ({visibility})"
    if response.status_code != expected:
        return f"{where}: expected {expected}, got {response.status_code}"
    denied = expected in (401, 403, 404) or (persona == "anonymous" and route.login_required)
    if denied and after != before:
        return f"{where}: denied, but changed {before} → {after}"
    login_url = reverse("accounts:login")
    if (
        persona == "anonymous"
        and route.login_required
        and not as_json
        and login_url not in response["Location"]
    ):
        return f"{where}: expected a redirect to log in, got {response['Location']}"
    if response.status_code == 200 and not route.shows_invited_community:
        raw = b"".join(response.streaming_content) if response.streaming else response.content
        body = raw.decode(errors="replace")
        leaked = [NAMES[v] for v in VISIBILITIES if not sees(persona, v) and NAMES[v] in body]
        if leaked:
            return f"{where}: shows {leaked}"
    return ""


# --- Walking the routes -----------------------------------------------------------------------


def url_names() -> Iterator[tuple[str, URLPattern]]:
    def walk(patterns: list[Any], namespace: str) -> Iterator[tuple[str, URLPattern]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or ""
                full = f"{namespace}:{inner}" if namespace and inner else namespace or inner
                yield from walk(pattern.url_patterns, full)
            elif isinstance(pattern, URLPattern):
                name = pattern.name or f"<unnamed {pattern.pattern}>"
                yield (f"{namespace}:{name}" if namespace else name), pattern

    yield from walk(get_resolver().url_patterns, "")


def api_operations() -> set[str]:
    schema = api.get_openapi_schema()
    return {
        f"{method.upper()} {path.removeprefix(API_PREFIX)}"
        for path, operations in schema["paths"].items()
        for method in operations
    }


def api_url_names() -> set[str]:
    """URL names ninja gives its operations: checked through the API table instead."""
    return {f"api:{name}" for name, _pattern in _api_patterns()}


def _api_patterns() -> Iterator[tuple[str, URLPattern]]:
    for name, pattern in url_names():
        if name.startswith("api:") and name.removeprefix("api:") not in {
            "openapi-json",
            "openapi-view",
            "api-root",
            "unknown-path",
        }:
            yield name.removeprefix("api:"), pattern


def table_key(name: str) -> str | None:
    if name in PAGES or name in OTHER_PAGES:
        return name
    namespace = name.split(":", 1)[0]
    if f"{namespace}:*" in OTHER_PAGES:
        return f"{namespace}:*"
    return None


def test_every_url_pattern_is_in_the_table() -> None:
    names = {name for name, _pattern in url_names()} - api_url_names()
    missing = sorted(name for name in names if table_key(name) is None)
    assert not missing, f"Add these routes to PAGES or OTHER_PAGES in {__name__}: {missing}"
    stale = sorted(set(PAGES) | {n for n in OTHER_PAGES if not n.endswith(":*")})
    stale = [name for name in stale if name not in names]
    assert not stale, f"These routes no longer exist; remove them from the table: {stale}"


def test_every_api_operation_is_in_the_table() -> None:
    operations = api_operations()
    missing = sorted(operations - set(API) - set(OTHER_API))
    assert not missing, f"Add these operations to API or OTHER_API in {__name__}: {missing}"
    stale = sorted((set(API) | set(OTHER_API)) - operations)
    assert not stale, f"These operations no longer exist; remove them from the table: {stale}"


# --- The cells --------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_matrix(name: str) -> None:
    world = build_world()
    route = PAGES[name]
    problems = []
    for visibility in (
        VISIBILITIES if route.community or route.shows_invited_community else ("public",)
    ):
        call = page_call(world, name, route, visibility)
        for persona in PERSONAS:
            problems.append(check_cell(world, route, persona, visibility, call, as_json=False))
    assert not [p for p in problems if p], "\n".join(p for p in problems if p)


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(API))
def test_api_matrix(key: str) -> None:
    world = build_world()
    route = API[key]
    problems = []
    for visibility in VISIBILITIES if route.community else ("public",):
        call = api_call(world, key, route, visibility)
        for persona in PERSONAS:
            problems.append(check_cell(world, route, persona, visibility, call, as_json=True))
    assert not [p for p in problems if p], "\n".join(p for p in problems if p)


def _fill(pattern: URLPattern) -> dict[str, Any]:
    return {
        key: (1 if converter.regex == "[0-9]+" else "someone")
        for key, converter in pattern.pattern.converters.items()
    }


@pytest.mark.django_db
def test_other_pages_for_anonymous_visitors() -> None:
    problems = []
    for name, pattern in url_names():
        key = table_key(name)
        if key is None or key in PAGES or name in api_url_names():
            continue
        expected = OTHER_PAGES[key]
        if expected is None or "(?P" in str(pattern.pattern) and not pattern.pattern.converters:
            continue
        if key == "admin:*" and name != "admin:index":
            continue
        status = Client().get(reverse(name, kwargs=_fill(pattern))).status_code
        if status != expected:
            problems.append(f"{name}: expected {expected}, got {status}")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_other_api_operations_for_anonymous_callers() -> None:
    problems = []
    for key, expected in OTHER_API.items():
        method, _space, template = key.partition(" ")
        path = API_PREFIX + template
        path = re.sub(r"\{\w+_id\}", "1", path)
        path = re.sub(r"\{\w+\}", "someone", path)
        response = Client().generic(method, path, "{}", content_type="application/json")
        if response.status_code != expected:
            problems.append(f"{key}: expected {expected}, got {response.status_code}")
    assert not problems, "\n".join(problems)
