"""The people section of the home page (see solex.core.home)."""

from __future__ import annotations

from django.http import HttpRequest

from solex.core.home import HomeSection
from solex.people.permissions import can_view_directory


def people_section(request: HttpRequest) -> HomeSection | None:
    """A "who knows about…?" search box for those who may use the who's-who directory."""
    if not can_view_directory(request.user):
        return None
    return HomeSection("people/home_section.html")
