"""How every API names people: a short reference out, usernames in."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from solex.accounts.models import User


def person_ref(user: User | None) -> dict[str, str] | None:
    return None if user is None else {"username": user.username, "name": user.name}


def people_named(usernames: list[str], *, field: str) -> list[User]:
    """Active people by username, in the order given; unknown names are refused by name."""
    found = {u.username: u for u in User.objects.filter(username__in=usernames, is_active=True)}
    unknown = [name for name in dict.fromkeys(usernames) if name not in found]
    if unknown:
        raise ValidationError({field: f"Nobody is called: {', '.join(unknown)}."})
    return [found[name] for name in dict.fromkeys(usernames)]
