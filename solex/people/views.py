"""People pages: thin views over forms (input), queries (reads) and actions (changes)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from solex.accounts.models import User
from solex.people import actions, locator, permissions, queries
from solex.people.forms import (
    DeclareExpertiseForm,
    DirectoryForm,
    ExpertiseGapsForm,
    LanguageSkillFormSet,
    ProfileDetailsForm,
    WhoKnowsForm,
)
from solex.people.models import Endorsement, ExpertiseClaim, Profile, language_name

PAGE_SIZE = 20


def _viewer(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _visible_person(request: HttpRequest, username: str) -> User:
    """404 for anyone the viewer may not see: a hidden profile does not admit it exists."""
    person = User.objects.filter(username=username).select_related("organization").first()
    if person is None or not permissions.can_view_profile(request.user, person):
        raise Http404
    return person


def _visible_claim(request: HttpRequest, username: str, claim_id: int) -> ExpertiseClaim:
    claim = (
        ExpertiseClaim.objects.select_related("user__organization", "topic")
        .filter(pk=claim_id, user__username=username)
        .first()
    )
    if claim is None or not permissions.can_view_profile(request.user, claim.user):
        raise Http404
    return claim


def _profile_url(person: User, anchor: str = "") -> str:
    url = reverse("people:profile", args=[person.username])
    return f"{url}#{anchor}" if anchor else url


def _report(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryForm(request.GET or None)
    filters = queries.DirectoryFilters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = queries.DirectoryFilters(
            text=data["q"],
            topic=data["topic"],
            language=data["language"],
            country=data["country"],
            region=data["region"],
            organization=data["organization"],
            affiliation=data["affiliation"],
        )
    people = queries.PeoplePages(queries.search_people(request.user, filters))
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    entries = queries.directory_entries(list(page.object_list), filters)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "people/directory.html",
        {
            "form": form,
            "page": page,
            "entries": entries,
            "filters": filters,
            "query": query.urlencode(),
        },
    )


def _languages(person: User) -> list[dict[str, str]]:
    """Skills with a level first, then any plain account languages without one."""
    skills = list(person.language_skills.all())
    shown = [{"name": skill.language_name, "level": skill.get_level_display()} for skill in skills]
    known = {skill.code for skill in skills}
    shown += [
        {"name": language_name(code), "level": ""} for code in person.languages if code not in known
    ]
    return shown


@login_required
def profile(request: HttpRequest, username: str) -> HttpResponse:
    viewer = _viewer(request)
    person = queries.profile_person(viewer, username)
    if person is None:
        raise Http404
    claims: list[ExpertiseClaim] = list(person.expertise_claims.all())
    endorsed = set(
        Endorsement.objects.filter(endorser=viewer, claim__user=person).values_list(
            "claim_id", flat=True
        )
    )
    try:
        details: Profile | None = person.profile
    except Profile.DoesNotExist:
        details = None
    is_self = viewer.pk == person.pk
    context: dict[str, Any] = {
        "person": person,
        "details": details,
        "languages": _languages(person),
        "claims": [
            {
                "claim": claim,
                "description": queries.describe_claim(claim),
                "endorsed": claim.pk in endorsed,
                "endorsements": getattr(claim, "endorsement_total", 0),
            }
            for claim in claims
        ],
        "communities": queries.communities_of(person, viewer),
        "record": locator.record_of(person),
        "is_self": is_self,
        "can_edit": permissions.can_edit_profile(viewer, person),
        "can_endorse": person.is_active and not is_self,
        "can_export": permissions.can_export_personal_data(viewer, person),
        "can_erase": permissions.can_erase_person(viewer, person),
        "declare_form": DeclareExpertiseForm()
        if permissions.can_declare_expertise(viewer, person)
        else None,
    }
    return render(request, "people/profile.html", context)


@login_required
def profile_edit(request: HttpRequest, username: str) -> HttpResponse:
    viewer = _viewer(request)
    person = _visible_person(request, username)
    permissions.check_edit_profile(viewer, person)
    details = Profile.objects.filter(user=person).first() or Profile(user=person)
    show_partner_visibility = person.is_internal
    initial_languages = [
        {"code": skill.code, "level": skill.level}
        for skill in person.language_skills.order_by("code")
    ] or [{"code": code, "level": ""} for code in person.languages]
    form = ProfileDetailsForm(
        request.POST or None,
        show_partner_visibility=show_partner_visibility,
        initial={
            "bio": details.bio,
            "availability": details.availability,
            "availability_note": details.availability_note,
            "visible_to_partners": details.visible_to_partners,
        },
    )
    languages = LanguageSkillFormSet(
        request.POST or None, initial=initial_languages, prefix="languages"
    )
    if request.method == "POST" and form.is_valid() and languages.is_valid():
        data = form.cleaned_data
        pairs = [(row["code"], row["level"]) for row in languages.cleaned_data if row.get("code")]
        try:
            actions.update_profile_details(
                person,
                actor=viewer,
                bio=data["bio"],
                availability=data["availability"],
                availability_note=data["availability_note"],
                visible_to_partners=data["visible_to_partners"]
                if show_partner_visibility
                else None,
                languages=pairs,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect(_profile_url(person))
    return render(
        request,
        "people/profile_edit.html",
        {"person": person, "form": form, "languages": languages},
    )


@login_required
@require_POST
def expertise_declare(request: HttpRequest, username: str) -> HttpResponse:
    viewer = _viewer(request)
    person = _visible_person(request, username)
    permissions.check_declare_expertise(viewer, person)
    form = DeclareExpertiseForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(_profile_url(person, "expertise"))
    try:
        claim = actions.declare_expertise(
            person, actor=viewer, topic=form.cleaned_data["topic"], level=form.cleaned_data["level"]
        )
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(request, _("Expertise in %(topic)s added.") % {"topic": claim.topic.name})
    return redirect(_profile_url(person, "expertise"))


@login_required
@require_POST
def expertise_withdraw(request: HttpRequest, username: str, claim_id: int) -> HttpResponse:
    claim = _visible_claim(request, username, claim_id)
    person, topic = claim.user, claim.topic
    actions.withdraw_expertise(claim, actor=request.user)
    messages.success(request, _("Expertise in %(topic)s removed.") % {"topic": topic.name})
    return redirect(_profile_url(person, "expertise"))


@login_required
@require_POST
def expertise_endorse(request: HttpRequest, username: str, claim_id: int) -> HttpResponse:
    claim = _visible_claim(request, username, claim_id)
    try:
        actions.endorse_expertise(claim, actor=request.user)
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(
            request,
            _("You endorsed %(name)s's expertise in %(topic)s.")
            % {"name": claim.user.name, "topic": claim.topic.name},
        )
    return redirect(_profile_url(claim.user, "expertise"))


@login_required
@require_POST
def endorsement_withdraw(request: HttpRequest, username: str, claim_id: int) -> HttpResponse:
    claim = _visible_claim(request, username, claim_id)
    endorsement = actions.endorsement_by(request.user, claim)
    if endorsement is None:
        raise Http404
    actions.withdraw_endorsement(endorsement, actor=request.user)
    messages.success(request, _("Your endorsement is withdrawn."))
    return redirect(_profile_url(claim.user, "expertise"))


@never_cache
@login_required
def data_export(request: HttpRequest, username: str) -> HttpResponse:
    person = _visible_person(request, username)
    data = actions.export_personal_data(person, actor=request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = f"solex-{person.username}-{timezone.now():%Y%m%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def erase(request: HttpRequest, username: str) -> HttpResponse:
    viewer = _viewer(request)
    person = _visible_person(request, username)
    if not permissions.can_erase_person(viewer, person):
        raise PermissionDenied(_("Only a site administrator can erase a person's data."))
    if request.method == "POST":
        name = person.name
        actions.erase_person(person, actor=viewer)
        messages.success(request, _("The personal data of %(name)s is erased.") % {"name": name})
        return redirect("people:directory")
    return render(request, "people/erase_confirm.html", {"person": person})


# --- The expertise locator ------------------------------------------------------------


@login_required
def who_knows(request: HttpRequest) -> HttpResponse:
    """Who knows about X: ranked people with the reasons, from what they did."""
    form = WhoKnowsForm(request.GET or None)
    ranking = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        ranking = locator.who_knows(
            request.user,
            text=data["q"],
            topic=data["topic"],
            language=data["language"],
            region=data["region"],
        )
    return render(
        request,
        "people/who_knows.html",
        {
            "form": form,
            "ranking": ranking,
            "text": form.cleaned_data.get("q", "") if form.is_bound and form.is_valid() else "",
        },
    )


@login_required
def expertise_gaps(request: HttpRequest) -> HttpResponse:
    """Topics people ask about that nobody answers well (knowledge managers)."""
    permissions.check_view_expertise_gaps(request.user)
    form = ExpertiseGapsForm(request.GET or None)
    days = 365
    if form.is_bound and form.is_valid() and form.cleaned_data["days"]:
        days = form.cleaned_data["days"]
    return render(
        request,
        "people/expertise_gaps.html",
        {"form": form, "days": days, "gaps": locator.gaps(request.user, days=days)},
    )
