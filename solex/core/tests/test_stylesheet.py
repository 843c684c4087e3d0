"""solex.css keeps to logical properties, so the same rules lay out Arabic right-to-left."""

from __future__ import annotations

import re

from django.conf import settings

STYLESHEET = settings.BASE_DIR / "static" / "solex.css"
PHYSICAL = re.compile(
    r"(?<![\w-])(?:(?:margin|padding|border|inset)-(?:left|right|top|bottom)[\w-]*"
    r"|left|right|top|bottom|(?:min-|max-)?(?:width|height)|overflow-[xy])\s*:"
    r"|(?:text-align|float|clear)\s*:\s*(?:left|right)"
)


def physical_properties(css: str) -> list[str]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return PHYSICAL.findall(css)


def test_the_stylesheet_uses_logical_properties_only() -> None:
    assert physical_properties(STYLESHEET.read_text(encoding="utf-8")) == []


def test_the_check_recognises_physical_properties() -> None:
    css = "a { margin-left: 1px; padding-top: 0; width: 2px; text-align: right; } /* left: 0 */"
    assert physical_properties(css) == [
        "margin-left:",
        "padding-top:",
        "width:",
        "text-align: right",
    ]
    assert physical_properties("a { margin-inline-start: 0; inline-size: 1px; }") == []
