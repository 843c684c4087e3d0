"""HTML mail to Markdown with the standard library's parser.

Keeps what a reader needs (paragraphs, line breaks, links, lists, emphasis, headings,
code) and drops what a mail client adds around a reply: the quoted message (Gmail's
``gmail_quote``, Apple Mail's and Thunderbird's ``blockquote type="cite"``, Outlook's
``divRplyFwdMsg`` and everything after it), signatures (``gmail_signature``,
``moz-signature``), styles, scripts and images.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

BLOCKS = {
    "p",
    "div",
    "section",
    "article",
    "table",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "ul",
    "ol",
    "header",
    "footer",
    "center",
}
SKIP = {"script", "style", "head", "title", "template"}
VOID = {"br", "img", "hr", "meta", "link", "input", "col", "area", "base", "wbr", "source"}
# Markers of the quoted history and the signature, by client.
QUOTE_CLASSES = {
    "gmail_quote",
    "gmail_extra",
    "gmail_signature",
    "moz-cite-prefix",
    "moz-signature",
    "yahoo_quoted",
    "protonmail_quote",
    "zmail_extra",
    "ms-outlook-mobile-signature",
    "x_gmail_quote",
    "AppleOriginalContents",
}
QUOTE_IDS = {
    "divrplyfwdmsg",
    "appendonsend",
    "x_divrplyfwdmsg",
    "ms-outlook-mobile-signature",
    "signature",
    "ymail_android_signature",
    "applemailsignature",
}
# Outlook puts everything after this marker: the rest of the document is history.
CUT_IDS = {"divrplyfwdmsg", "appendonsend", "x_divrplyfwdmsg"}


class _Converter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip_depth = 0  # inside an element we drop, counted by nesting
        self.stack: list[tuple[str, bool]] = []  # (tag, dropped)
        self.lists: list[list[int | str]] = []  # ["ul"|"ol", counter]
        self.href: list[str | None] = []
        self.link_start: list[int] = []
        self.pre = 0
        self.cut = False
        self.opened = -1  # length of ``out`` just after an opening emphasis marker

    # --- helpers -------------------------------------------------------------------------
    def _newlines(self, count: int) -> None:
        text = "".join(self.out)
        existing = len(text) - len(text.rstrip("\n"))
        if not text.strip():
            return
        if existing < count:
            self.out.append("\n" * (count - existing))

    def _drops(self, tag: str, attrs: dict[str, str | None]) -> bool:
        if tag in SKIP:
            return True
        classes = set((attrs.get("class") or "").split())
        element_id = (attrs.get("id") or "").lower()
        if classes & QUOTE_CLASSES or element_id in QUOTE_IDS:
            if element_id in CUT_IDS:
                self.cut = True
            return True
        return tag == "blockquote" and (attrs.get("type") or "").lower() == "cite"

    # --- parser callbacks ------------------------------------------------------------------
    def handle_starttag(self, tag: str, attr_list: list[tuple[str, str | None]]) -> None:
        if self.cut:
            return
        attrs = dict(attr_list)
        if tag in VOID:
            if self.skip_depth:
                return
            if tag == "br":
                self.out.append("  \n" if not self.pre else "\n")
            elif tag == "hr":
                # Outlook's plain reply separator: a rule followed by the quoted header.
                style = (attrs.get("style") or "").replace(" ", "")
                if "display:inline-block" in style or attrs.get("id") == "stopSpelling":
                    self.cut = True
                else:
                    self._newlines(2)
                    self.out.append("---\n\n")
            elif tag == "img" and attrs.get("alt"):
                self.out.append(attrs.get("alt") or "")
            return
        dropped = self.skip_depth > 0 or self._drops(tag, attrs)
        self.stack.append((tag, dropped))
        if dropped:
            self.skip_depth += 1
            return
        if tag in ("ul", "ol"):
            self._newlines(1 if self.lists else 2)
            self.lists.append([tag, 0])
        elif tag == "li":
            self._newlines(1)
            indent = "   " * (len(self.lists) - 1)
            if self.lists and self.lists[-1][0] == "ol":
                counter = int(self.lists[-1][1]) + 1
                self.lists[-1][1] = counter
                self.out.append(f"{indent}{counter}. ")
            else:
                self.out.append(f"{indent}- ")
        elif tag in BLOCKS:
            self._newlines(2)
            if tag.startswith("h") and len(tag) == 2 and tag[1].isdigit():
                self.out.append("#" * int(tag[1]) + " ")
            elif tag == "blockquote":
                self.out.append("> ")
            elif tag == "pre":
                self.pre += 1
                self.out.append("```\n")
        elif tag in ("strong", "b"):
            self._open_inline("**")
        elif tag in ("em", "i"):
            self._open_inline("*")
        elif tag == "code" and not self.pre:
            self._open_inline("`")
        elif tag == "a":
            self.href.append(attrs.get("href"))
            self.link_start.append(len(self.out))
            self.out.append("[")
        elif tag in ("td", "th"):
            self.out.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if self.cut or tag in VOID:
            return
        # Close up to the matching open tag (HTML in mail is often unbalanced).
        index = next(
            (i for i in range(len(self.stack) - 1, -1, -1) if self.stack[i][0] == tag), None
        )
        if index is None:
            return
        while len(self.stack) > index:
            open_tag, dropped = self.stack.pop()
            if dropped:
                self.skip_depth -= 1
                continue
            self._close(open_tag)

    def _close(self, tag: str) -> None:
        if tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            self._newlines(2 if not self.lists else 1)
        elif tag == "li":
            self._newlines(1)
        elif tag == "pre":
            self.pre = max(0, self.pre - 1)
            self._newlines(1)
            self.out.append("```\n\n")
        elif tag in BLOCKS:
            self._newlines(2)
        elif tag in ("strong", "b"):
            self._close_inline("**")
        elif tag in ("em", "i"):
            self._close_inline("*")
        elif tag == "code" and not self.pre:
            self.out.append("`")
        elif tag == "a" and self.href:
            href = self.href.pop()
            start = self.link_start.pop()
            label = "".join(self.out[start + 1 :]).strip()
            if not href or href.startswith(("javascript:", "data:")):
                self.out[start:] = [label]
            elif label in (href, href.removeprefix("mailto:")) or not label:
                self.out[start:] = [f"<{href}>" if "://" in href else label or href]
            else:
                self.out[start:] = [f"[{label}]({href})"]

    def _open_inline(self, marker: str) -> None:
        self.out.append(marker)
        self.opened = len(self.out)

    def _close_inline(self, marker: str) -> None:
        # "** **" around nothing renders as literal stars: drop an empty pair.
        if self.out and self.out[-1] == marker:
            self.out.pop()
        else:
            self.out.append(marker)

    def handle_data(self, data: str) -> None:
        if self.cut or self.skip_depth:
            return
        if self.pre:
            self.out.append(data)
            return
        text = re.sub(r"\s+", " ", data)
        if text.startswith(" ") and self.opened == len(self.out):
            # "<b> word" -> " **word": the space goes before the marker.
            marker = self.out.pop()
            if not "".join(self.out[-1:]).endswith((" ", "\n")):
                self.out.append(" ")
            self.out.append(marker)
            text = text.lstrip()
        current = "".join(self.out[-1:])
        if (not current or current.endswith(("\n", " ", "[", "> "))) and text.startswith(" "):
            text = text.lstrip()
        self.out.append(text)


def html_to_markdown(html: str) -> str:
    converter = _Converter()
    try:
        converter.feed(html)
        converter.close()
    except Exception:  # noqa: S110 (the parser is lenient; keep what was read so far)
        pass
    text = "".join(converter.out).replace("\xa0", " ")
    lines = [line.rstrip() if not line.endswith("  ") else line for line in text.split("\n")]
    text = "\n".join(line if line.strip() else "" for line in lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()
