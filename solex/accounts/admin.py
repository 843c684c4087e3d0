from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from solex.accounts.models import (
    Invitation,
    Organization,
    OrganizationDomain,
    PersonalAccessToken,
    User,
)


class OrganizationDomainInline(admin.TabularInline[OrganizationDomain, Organization]):
    model = OrganizationDomain
    extra = 1


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin[Organization]):
    list_display = ["name", "acronym", "kind", "is_internal"]
    list_filter = ["kind", "is_internal"]
    search_fields = ["name", "acronym", "domains__domain"]
    inlines = [OrganizationDomainInline]


@admin.register(User)
class SolexUserAdmin(UserAdmin):  # type: ignore[type-arg]
    list_display = ["username", "name", "email", "organization", "country", "is_staff"]
    list_filter = ["organization__is_internal", "region", "is_staff", "is_active"]
    search_fields = ["username", "name", "email"]
    ordering = ["username"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            "Profile",
            {
                "fields": (
                    "name",
                    "email",
                    "title",
                    "organization",
                    "office",
                    "country",
                    "region",
                    "languages",
                    "preferred_language",
                    "email_confirmed_at",
                )
            },
        ),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"fields": ("username", "name", "email", "password1", "password2")}),)


@admin.register(PersonalAccessToken)
class PersonalAccessTokenAdmin(admin.ModelAdmin[PersonalAccessToken]):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "token_hash"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin[Invitation]):
    list_display = ["email", "invited_by", "organization", "created_at", "accepted_at"]
