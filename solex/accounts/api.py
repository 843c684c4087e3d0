"""The API for the caller's profile, their access tokens, and organisations."""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status

from solex.accounts.actions import ProfileChanges, revoke_access_token, update_profile
from solex.accounts.api_auth import auth_optional, auth_required, signed_in_caller
from solex.accounts.models import Organization, User
from solex.accounts.queries import tokens_of
from solex.accounts.schemas import (
    OrganizationFilters,
    OrganizationOut,
    ProfileOut,
    ProfileUpdate,
    TokenOut,
)
from solex.core.api.pagination import Page, PageParams, paginate
from solex.core.api.params import ObjectId

router = Router()


@router.get(
    "/me", response=ProfileOut, auth=auth_required, tags=["profile"], summary="Read your profile"
)
def get_profile(request: HttpRequest) -> User:
    """The caller's own profile."""
    return signed_in_caller(request)


@router.patch(
    "/me", response=ProfileOut, auth=auth_required, tags=["profile"], summary="Update your profile"
)
def update_own_profile(request: HttpRequest, payload: ProfileUpdate) -> User:
    """Change the caller's profile basics; fields left out stay as they are."""
    user = signed_in_caller(request)
    changes = cast(ProfileChanges, payload.model_dump(mode="json", exclude_unset=True))
    return update_profile(user, actor=user, changes=changes)


@router.get(
    "/me/tokens",
    response=Page[TokenOut],
    auth=auth_required,
    tags=["tokens"],
    summary="List your access tokens",
)
def list_tokens(request: HttpRequest, page: Query[PageParams]) -> dict[str, Any]:
    """The caller's personal access tokens that are not revoked, newest first."""
    return paginate(tokens_of(signed_in_caller(request)).order_by("-created_at", "-pk"), page)


@router.delete(
    "/me/tokens/{token_id}",
    response={204: None},
    auth=auth_required,
    tags=["tokens"],
    summary="Revoke an access token",
)
def revoke_token(request: HttpRequest, token_id: ObjectId) -> Status[None]:
    """Revoke one of the caller's tokens: scripts using it are refused from now on."""
    user = signed_in_caller(request)
    token = get_object_or_404(tokens_of(user), pk=token_id)
    revoke_access_token(token, actor=user)
    return Status(204, None)


@router.get(
    "/organizations",
    response=Page[OrganizationOut],
    auth=auth_optional,
    tags=["organizations"],
    summary="List organisations",
)
def list_organizations(
    request: HttpRequest, filters: Query[OrganizationFilters], page: Query[PageParams]
) -> dict[str, Any]:
    """Organisations whose people use Solex, by name."""
    organizations = Organization.objects.order_by("name", "pk")
    if filters.kind is not None:
        organizations = organizations.filter(kind=filters.kind)
    if filters.is_internal is not None:
        organizations = organizations.filter(is_internal=filters.is_internal)
    return paginate(organizations, page)


@router.get(
    "/organizations/{organization_id}",
    response=OrganizationOut,
    auth=auth_optional,
    tags=["organizations"],
    summary="Read an organisation",
)
def get_organization(request: HttpRequest, organization_id: ObjectId) -> Organization:
    """One organisation."""
    return get_object_or_404(Organization, pk=organization_id)
