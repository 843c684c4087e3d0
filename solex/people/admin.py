"""Profiles and expertise for the knowledge management team.

Changes made here skip the actions (and so the people audit log); the audit log
itself is read-only.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from solex.people.models import (
    Endorsement,
    ExpertiseClaim,
    LanguageSkill,
    PeopleAuditEntry,
    Profile,
)


class LanguageSkillInline(admin.TabularInline[LanguageSkill, Any]):
    model = LanguageSkill
    extra = 0


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin[Profile]):
    list_display = ["user", "availability", "visible_to_partners", "updated_at"]
    list_filter = ["availability", "visible_to_partners"]
    search_fields = ["user__username", "user__name", "user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


@admin.register(LanguageSkill)
class LanguageSkillAdmin(admin.ModelAdmin[LanguageSkill]):
    list_display = ["user", "code", "level"]
    list_filter = ["level", "code"]
    search_fields = ["user__username", "user__name"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


class EndorsementInline(admin.TabularInline[Endorsement, ExpertiseClaim]):
    model = Endorsement
    extra = 0
    raw_id_fields = ["endorser"]


@admin.register(ExpertiseClaim)
class ExpertiseClaimAdmin(admin.ModelAdmin[ExpertiseClaim]):
    list_display = ["user", "topic", "level", "source", "contribution_count", "updated_at"]
    list_filter = ["level", "source"]
    search_fields = ["user__username", "user__name", "topic__name"]
    list_select_related = ["user", "topic"]
    raw_id_fields = ["user", "topic"]
    inlines = [EndorsementInline]


@admin.register(Endorsement)
class EndorsementAdmin(admin.ModelAdmin[Endorsement]):
    list_display = ["endorser", "claim", "created_at"]
    search_fields = ["endorser__username", "claim__user__username", "claim__topic__name"]
    list_select_related = ["endorser", "claim__user", "claim__topic"]
    raw_id_fields = ["endorser", "claim"]


@admin.register(PeopleAuditEntry)
class PeopleAuditEntryAdmin(admin.ModelAdmin[PeopleAuditEntry]):
    list_display = ["at", "action", "person", "actor", "detail"]
    list_filter = ["action"]
    search_fields = ["person__username", "actor__username", "detail"]
    list_select_related = ["person", "actor"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: PeopleAuditEntry | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: PeopleAuditEntry | None = None
    ) -> bool:
        return False
