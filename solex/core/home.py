"""The home page is made of sections that the apps contribute.

core knows no domain, so `SOLEX_HOME_SECTIONS` names, by dotted path, the functions
that build each section for a request (communities, people, and later exchanges,
events, knowledge). A function returns None when it has nothing for this person.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class HomeSection:
    template: str  # rendered with the section's context as `section`
    context: dict[str, Any] = field(default_factory=dict)


SectionBuilder = Callable[[HttpRequest], HomeSection | None]


@cache
def _builders(paths: tuple[str, ...]) -> tuple[SectionBuilder, ...]:
    return tuple(import_string(path) for path in paths)


def home_sections(request: HttpRequest) -> list[HomeSection]:
    builders = _builders(tuple(getattr(settings, "SOLEX_HOME_SECTIONS", ())))
    return [section for build in builders if (section := build(request)) is not None]
