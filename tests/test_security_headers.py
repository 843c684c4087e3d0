"""Every HTML page carries the Content Security Policy and the usual security headers,
and no page has a script the policy would block."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from solex.accounts.models import User

# Routes whose pages are not ours to shape (Django's admin has its own inline assets).
NOT_OURS = ("admin/",)


def parameter_free_routes(
    patterns: list[URLPattern | URLResolver] | None = None, prefix: str = ""
) -> Iterator[str]:
    """Every route that takes no argument, as a path: the pages a visitor can open directly."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from parameter_free_routes(entry.url_patterns, route)
        elif "<" not in route and "(" not in route and not route.startswith(NOT_OURS):
            yield "/" + route.lstrip("^").rstrip("$")


def html_pages(client: Client) -> Iterator[tuple[str, bytes, dict[str, str]]]:
    for path in sorted(set(parameter_free_routes())):
        response = client.get(path)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            yield path, response.content, dict(response.headers)


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "staff"])
def test_every_html_page_sends_csp_and_security_headers(
    client: Client, staff: User, signed_in: bool
) -> None:
    if signed_in:
        client.force_login(staff)
    pages = list(html_pages(client))
    assert len(pages) >= 2, "the walk found almost no pages: is the resolver walk broken?"
    for path, content, headers in pages:
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp, path
        assert re.search(r"script-src 'self'( 'nonce-[^']+')?;", csp), path
        assert "frame-ancestors 'none'" in csp, path
        assert headers["X-Content-Type-Options"] == "nosniff", path
        assert headers["X-Frame-Options"] == "DENY", path
        assert headers["Referrer-Policy"] == "same-origin", path
        # Django adds the nonce to the header only on pages that used it.
        nonce = re.search(r"'nonce-([^']+)'", csp)
        html = content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert nonce is not None, f"{path}: a script, but no nonce in the policy"
            assert f'nonce="{nonce.group(1)}"' in tag, (
                f"{path}: script without the page nonce: {tag}"
            )
        assert not re.search(r"<[a-z]+[^>]*\son[a-z]+\s*=", html), f"{path}: inline event handler"
        assert not re.search(r"<[a-z]+[^>]*\sstyle\s*=", html), f"{path}: inline style"
