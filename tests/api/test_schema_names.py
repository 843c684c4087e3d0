"""Two different schemas with one name would overwrite each other in the OpenAPI
document (django-ninja names components after the class), so clients would be told
the wrong shape for some operations."""

from __future__ import annotations

from collections import defaultdict

from ninja import Schema

from solex.api import api


def _subclasses(cls: type) -> list[type]:
    found: list[type] = []
    sub: type
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_subclasses(sub))
    return found


def test_no_two_different_api_schemas_share_a_name() -> None:
    assert api.urls  # every router (and so every schema module) is loaded
    shapes: dict[str, set[str]] = defaultdict(set)
    for cls in _subclasses(Schema):
        if cls.__module__.startswith("solex."):
            shapes[cls.__name__].add(str(cls.model_json_schema()))  # type: ignore[attr-defined]
    clashes = sorted(name for name, seen in shapes.items() if len(seen) > 1)
    assert not clashes, f"Rename one of each: {clashes}"
