"""Which address a request came from, also behind a reverse proxy.

Behind nginx or a load balancer every request arrives from the proxy, so the client
is only named in ``X-Forwarded-For``, which each proxy extends with the address it
received the request from. Anyone can send that header, though, so it is read only
when the direct peer is one of ``SOLEX_TRUSTED_PROXIES``, and then from the right: the
right-most address that is not a trusted proxy was written by a proxy we trust, while
everything left of it may be the client's invention.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Iterable, Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

type Address = ipaddress.IPv4Address | ipaddress.IPv6Address
type Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@functools.cache
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"SOLEX_TRUSTED_PROXIES: {entry!r} is neither an IP address nor a network "
                "such as 10.0.0.0/8."
            ) from None
    return tuple(networks)


def trusted_proxies(entries: Sequence[str] | None = None) -> tuple[Network, ...]:
    return _networks(tuple(settings.SOLEX_TRUSTED_PROXIES if entries is None else entries))


def _address(text: str) -> Address | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _is_trusted(address: Address, proxies: tuple[Network, ...]) -> bool:
    return any(address in network for network in proxies)


def client_address(request: HttpRequest) -> str:
    """The client's address: the peer, or the one a trusted proxy says it served."""
    peer = str(request.META.get("REMOTE_ADDR") or "")
    proxies = trusted_proxies()
    peer_address = _address(peer)
    if not proxies or peer_address is None or not _is_trusted(peer_address, proxies):
        return peer or "unknown"
    client = peer_address
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    for hop in reversed(forwarded.split(",") if forwarded.strip() else []):
        address = _address(hop)
        if address is None:
            break  # not written by a proxy of ours: keep the last address we can vouch for
        client = address
        if not _is_trusted(address, proxies):
            break
    return str(client)


def check_trusted_proxies(
    app_configs: Iterable[AppConfig] | None, **kwargs: Any
) -> list[checks.CheckMessage]:
    try:
        trusted_proxies()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="core.E002")]
    return []
