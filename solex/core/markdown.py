"""The one trusted path from user text to HTML: Markdown, then an allow-list sanitiser.

Two independent layers, so a bug in one is caught by the other:

1. markdown-it-py in CommonMark mode, plus tables and strikethrough. Raw HTML in the
   text is *escaped* (``html`` off): people write Markdown, and pasted tags show as
   text instead of becoming markup. Linkify stays off: bare URLs are not turned into
   links (``<https://…>`` autolinks still work).
2. nh3 (Ammonia) cleans the result against an allow-list of tags and attributes:
   no scripts, styles, event handlers, forms, frames or SVG survive, URLs keep only
   the http, https and mailto schemes (or stay relative), and every link gets
   ``rel="nofollow noopener ugc"``.

Store the HTML this returns and show it with ``|safe``; never render user text
another way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import nh3
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3",
        "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "s", "strong",
        "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "th": {"class"},
    "td": {"class"},
    "code": {"class"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Removed together with their content, not unwrapped into text.
DROPPED_WITH_CONTENT = frozenset(
    {
        "script", "style", "iframe", "object", "embed", "svg", "math", "template",
        "noscript", "textarea", "select", "form",
    }
)  # fmt: skip
LINK_REL = "nofollow noopener ugc"

# Column alignment as classes, because style attributes are never allowed. Start and
# end (not left and right) so that a table written in Arabic lines up right-to-left.
_ALIGN_CLASSES = {"left": "align-start", "center": "align-center", "right": "align-end"}
_CODE_LANGUAGE = re.compile(r"language-[a-z0-9][a-z0-9+#._-]{0,30}")


def _table_cell_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    style = str(token.attrs.pop("style", ""))
    alignment = style.removeprefix("text-align:")
    if alignment in _ALIGN_CLASSES:
        token.attrSet("class", _ALIGN_CLASSES[alignment])
    return self.renderToken(tokens, idx, options, env)


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute != "class":
        return value
    if tag == "code":
        return value if _CODE_LANGUAGE.fullmatch(value) else None
    return value if value in _ALIGN_CLASSES.values() else None


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    for rule in ("th_open", "td_open"):
        md.add_render_rule(rule, _table_cell_open)
    return md


_MARKDOWN = _markdown()
_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags=DROPPED_WITH_CONTENT,
    attributes=ALLOWED_ATTRIBUTES,
    attribute_filter=_filter_attribute,
    strip_comments=True,
    link_rel=LINK_REL,
    url_schemes=URL_SCHEMES,
    # Pictures load only when they scroll into view: many readers are on slow links.
    set_tag_attribute_values={"img": {"loading": "lazy"}},
)


def sanitize_html(html: str) -> str:
    """Clean an HTML fragment against Solex's allow-list (the second layer alone)."""
    return _CLEANER.clean(html)


def render_markdown(text: str) -> str:
    """Render user-written Markdown to safe HTML."""
    return sanitize_html(_MARKDOWN.render(text))
