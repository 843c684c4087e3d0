"""Account pages: thin views over forms (input) and actions (changes)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from solex.accounts import actions, limits, links, queries
from solex.accounts.forms import (
    AccountDetailsForm,
    EmailForm,
    InvitationForm,
    LoginForm,
    PartnerDetailsForm,
    ProfileForm,
    SignupForm,
    TokenForm,
)
from solex.accounts.models import Invitation, User
from solex.accounts.permissions import (
    can_choose_own_organization,
    can_invite,
    can_sign_up_with_email,
    check_invite,
)
from solex.core.clients import client_address

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _current_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _remember_language(response: HttpResponse, language: str) -> HttpResponse:
    """The interface language follows the person, not the browser they happen to use."""
    # The same cookie, with the same attributes, as Django's set_language view.
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def _link_problem(request: HttpRequest, problem: str, status: int) -> HttpResponse:
    return render(request, "accounts/link_problem.html", {"problem": problem}, status=status)


# --- Sign-up and invitations -------------------------------------------------------------


def signup(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        try:
            limits.count_email_request("signup", email, client_address(request))
            actions.request_signup(email, language=get_language())
        except limits.RateLimitError as exc:
            form.add_error(None, exc.message)
            status = 429
        except PermissionDenied as exc:
            form.add_error("email", str(exc))
        else:
            request.session["signup_email"] = email
            return redirect("accounts:signup-sent")
    return render(request, "accounts/signup.html", {"form": form}, status=status)


def signup_sent(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/signup_sent.html",
        {
            "email": request.session.get("signup_email", ""),
            "lifetime_days": links.SIGNUP_LINK_LIFETIME.days,
        },
    )


def _details_form(request: HttpRequest, email: str, *, partner: bool) -> AccountDetailsForm:
    form_class = PartnerDetailsForm if partner else AccountDetailsForm
    return form_class(request.POST or None, email=email)


def _welcome(request: HttpRequest, user: User) -> HttpResponse:
    login(request, user, backend=MODEL_BACKEND)
    messages.success(request, _("Welcome to Solex. Your account is ready."))
    return _remember_language(redirect("accounts:profile"), user.preferred_language)


def signup_confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        email = links.read_signup_token(token)
    except links.LinkExpiredError:
        return _link_problem(request, "expired", 410)
    except links.LinkInvalidError:
        return _link_problem(request, "invalid", 400)
    existing = queries.user_with_email(email)
    if existing is not None and not existing.is_unclaimed:
        return _link_problem(request, "used", 200)
    if not can_sign_up_with_email(email):
        return _link_problem(request, "closed", 403)
    organization = queries.organization_for_email(email)
    form = _details_form(request, email, partner=organization is None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = actions.sign_up(
                email,
                username=data["username"],
                name=data["name"],
                password=data["password1"],
                language=get_language(),
                organization=data.get("organization"),
                new_organization_name=data.get("new_organization_name", ""),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except PermissionDenied:
            return _link_problem(request, "closed", 403)
        else:
            return _welcome(request, user)
    return render(
        request,
        "accounts/signup_confirm.html",
        {"form": form, "email": email, "organization": organization},
    )


@login_required
def invitation_create(request: HttpRequest) -> HttpResponse:
    user = _current_user(request)
    check_invite(user)
    form = InvitationForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            limits.count_email_request("invitation", data["email"], client_address(request))
            invitation = actions.invite_person(
                data["email"],
                actor=user,
                organization=data["organization"],
                message=data["message"],
            )
        except limits.RateLimitError as exc:
            form.add_error(None, exc.message)
            status = 429
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("accounts:invitation-create")
    return render(request, "accounts/invitation_create.html", {"form": form}, status=status)


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation_id = links.read_invitation_token(token)
    except links.LinkExpiredError:
        return _link_problem(request, "expired", 410)
    except links.LinkInvalidError:
        return _link_problem(request, "invalid", 400)
    invitation = (
        Invitation.objects.select_related("organization", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:
        return _link_problem(request, "invalid", 400)
    if invitation.accepted_at is not None:
        return _link_problem(request, "accepted", 200)
    if queries.user_with_email(invitation.email) is not None:
        return _link_problem(request, "used", 200)
    form = AccountDetailsForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = actions.accept_invitation(
                invitation,
                username=data["username"],
                name=data["name"],
                password=data["password1"],
                language=get_language(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _welcome(request, user)
    return render(
        request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation}
    )


# --- Logging in and out ----------------------------------------------------------------------


def _safe_next(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        identifier, password = form.cleaned_data["username"], form.cleaned_data["password"]
        person = queries.user_for_login(identifier)
        account = f"user:{person.pk}" if person else f"name:{identifier.strip().lower()}"
        address = client_address(request)
        try:
            limits.check_login_allowed(account, address)
        except limits.RateLimitError as exc:
            form.add_error(None, exc.message)
            status = 429
        else:
            # Without a matching person, authenticate still runs the password hasher,
            # so the response time does not tell which names exist.
            username = person.username if person else identifier
            user = authenticate(request, username=username, password=password)
            if isinstance(user, User):
                limits.forget_login_failures(account)
                login(request, user)
                return _remember_language(redirect(_safe_next(request)), user.preferred_language)
            limits.record_login_failure(account, address)
            form.add_error(
                None,
                _(
                    "The username or email address and the password do not match an "
                    "account. Passwords are case-sensitive."
                ),
            )
    return render(
        request,
        "registration/login.html",
        {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")},
        status=status,
    )


# --- Password reset -------------------------------------------------------------------------------


def password_reset(request: HttpRequest) -> HttpResponse:
    form = EmailForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        try:
            limits.count_email_request("password-reset", email, client_address(request))
        except limits.RateLimitError as exc:
            form.add_error(None, exc.message)
            status = 429
        else:
            actions.request_password_reset(email, language=get_language())
            return redirect("accounts:password-reset-done")
    return render(request, "registration/password_reset_form.html", {"form": form}, status=status)


def password_reset_done(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/password_reset_done.html")


# --- Profile and access tokens ------------------------------------------------------------------


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = _current_user(request)
    can_choose = can_choose_own_organization(user)
    form = ProfileForm(
        request.POST or None,
        can_choose_organization=can_choose,
        initial={
            "name": user.name,
            "title": user.title,
            "organization": user.organization,
            "office": user.office,
            "country": user.country,
            "region": user.region,
            "languages": user.languages,
            "preferred_language": user.preferred_language,
        },
    )
    if request.method == "POST" and form.is_valid():
        changes: actions.ProfileChanges = {
            "name": form.cleaned_data["name"],
            "title": form.cleaned_data["title"],
            "office": form.cleaned_data["office"],
            "country": form.cleaned_data["country"],
            "region": form.cleaned_data["region"],
            "languages": form.cleaned_data["languages"],
            "preferred_language": form.cleaned_data["preferred_language"],
        }
        if can_choose:
            changes["organization"] = form.cleaned_data["organization"]
        try:
            actions.update_profile(user, actor=user, changes=changes)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            with translation.override(user.preferred_language):
                messages.success(request, _("Your profile is saved."))
            return _remember_language(redirect("accounts:profile"), user.preferred_language)
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "profile_user": user,
            "can_choose_organization": can_choose,
            "can_invite": can_invite(user),
        },
    )


@never_cache
@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    user = _current_user(request)
    form = TokenForm(request.POST or None)
    new_token, raw_token = None, ""
    if request.method == "POST" and form.is_valid():
        try:
            new_token, raw_token = actions.create_access_token(
                user, name=form.cleaned_data["name"], expires_at=form.expires_at()
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            form = TokenForm()
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "tokens": queries.tokens_of(user),
            "new_token": new_token,
            "raw_token": raw_token,
        },
    )


@require_POST
@login_required
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    user = _current_user(request)
    token = get_object_or_404(queries.tokens_of(user), pk=token_id)
    actions.revoke_access_token(token, actor=user)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("accounts:tokens")
