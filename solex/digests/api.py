"""The email-settings API: read and change your delivery per community and the pause switch."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import ConfigDict, StrictBool

from solex.accounts.api_auth import auth_required, signed_in_caller
from solex.accounts.models import User
from solex.digests import actions, queries
from solex.mail.bounces import stopped_notice

router = Router(tags=["digests"])

DeliveryValue = Literal["every_message", "daily", "weekly", "web_only"]


class CommunityDeliveryOut(Schema):
    slug: str
    name: str
    delivery: DeliveryValue


class StoppedOut(Schema):
    address: str = Field(description="The address that kept bouncing.")
    since: datetime
    bounces: int


class PreferencesOut(Schema):
    paused: bool = Field(description="All email from Solex is paused.")
    default_delivery: DeliveryValue = Field(
        description="Delivery of notifications that are not about a community."
    )
    stopped: StoppedOut | None = Field(
        description="Set when email to your address stopped after bounces; PUT resume=true "
        "once the address is fixed."
    )
    communities: list[CommunityDeliveryOut]


class PreferencesIn(Schema):
    """Send only the fields to change, in a JSON object; an unknown field is a 422."""

    model_config = ConfigDict(extra="forbid")

    paused: StrictBool | None = None
    default_delivery: DeliveryValue | None = None
    communities: dict[str, DeliveryValue] = Field(
        default_factory=dict, description="Delivery per community slug you are a member of."
    )
    resume: StrictBool = Field(False, description="Turn email back on after bounces stopped it.")


def _preferences(user: User) -> dict[str, Any]:
    row = queries.mail_settings(user)
    stopped = stopped_notice(user)
    return {
        "paused": row.paused,
        "default_delivery": row.default_delivery,
        "stopped": (
            {
                "address": stopped.stopped_address,
                "since": stopped.stopped_at,
                "bounces": stopped.hard_bounces,
            }
            if stopped is not None and stopped.stopped_at is not None
            else None
        ),
        "communities": [
            {"slug": m.community.slug, "name": m.community.name, "delivery": m.delivery}
            for m in queries.memberships(user)
        ],
    }


@router.get(
    "/preferences", response=PreferencesOut, auth=auth_required, summary="Your email settings"
)
def get_preferences(request: HttpRequest) -> dict[str, Any]:
    return _preferences(signed_in_caller(request))


@router.put(
    "/preferences", response=PreferencesOut, auth=auth_required, summary="Change email settings"
)
def put_preferences(request: HttpRequest, payload: PreferencesIn) -> dict[str, Any]:
    """Only the fields you send change; ``communities`` maps slugs to a delivery."""
    user = signed_in_caller(request)
    actions.save_preferences(
        user,
        paused=payload.paused,
        default_delivery=payload.default_delivery,
        deliveries=dict(payload.communities),
    )
    if payload.resume:
        actions.reenable(user)
    return _preferences(user)
