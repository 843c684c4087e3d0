"""The client address behind reverse proxies: the header is believed only from them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import RequestFactory
from pytest_django.fixtures import Settings

from solex.core.clients import client_address, trusted_proxies

CLIENT = "203.0.113.7"
PROXY = "10.0.0.5"


def address(peer: str, forwarded: str | None = None) -> str:
    request = RequestFactory().get("/", REMOTE_ADDR=peer)
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(request)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings: Settings) -> None:
    settings.SOLEX_TRUSTED_PROXIES = []

    assert address(CLIENT, "198.51.100.1") == CLIENT


def test_a_spoofed_header_from_an_untrusted_peer_is_ignored(settings: Settings) -> None:
    settings.SOLEX_TRUSTED_PROXIES = [PROXY]

    assert address(CLIENT, "198.51.100.1") == CLIENT


def test_behind_a_trusted_proxy_the_client_it_names_is_used(settings: Settings) -> None:
    settings.SOLEX_TRUSTED_PROXIES = [PROXY]

    assert address(PROXY, CLIENT) == CLIENT


def test_addresses_a_client_prepends_to_the_header_are_not_believed(settings: Settings) -> None:
    settings.SOLEX_TRUSTED_PROXIES = [PROXY]

    # The client sent "X-Forwarded-For: 198.51.100.1"; the proxy appended the real peer.
    assert address(PROXY, f"198.51.100.1, {CLIENT}") == CLIENT


def test_a_chain_of_proxies_in_a_trusted_network_is_walked_through(settings: Settings) -> None:
    settings.SOLEX_TRUSTED_PROXIES = ["10.0.0.0/8", "192.0.2.10"]

    assert address(PROXY, f"198.51.100.1, {CLIENT}, 10.20.30.40, 192.0.2.10") == CLIENT
    assert address("10.255.0.1", CLIENT) == CLIENT
    assert address("11.0.0.1", CLIENT) == "11.0.0.1"


def test_a_trusted_proxy_without_a_usable_header_counts_as_the_client(settings: Settings) -> None:
    settings.SOLEX_TRUSTED_PROXIES = ["10.0.0.0/8"]

    assert address(PROXY) == PROXY
    assert address(PROXY, "not-an-address") == PROXY
    assert address(PROXY, "10.0.0.9") == "10.0.0.9"


def test_ipv6_proxies_and_ipv4_mapped_peers_match(settings: Settings) -> None:
    settings.SOLEX_TRUSTED_PROXIES = ["2001:db8::/32", PROXY]

    assert address("2001:db8::1", "2001:db8:ffff::7, 2001:0db9::1") == "2001:db9::1"
    assert address(f"::ffff:{PROXY}", CLIENT) == CLIENT


@pytest.mark.django_db
def test_a_wrong_proxy_entry_stops_the_system_check(settings: Settings) -> None:
    settings.SOLEX_TRUSTED_PROXIES = ["10.0.0.0/33"]

    with pytest.raises(ImproperlyConfigured, match="'10.0.0.0/33' is neither an IP address"):
        trusted_proxies()
    with pytest.raises(SystemCheckError, match="SOLEX_TRUSTED_PROXIES"):
        call_command("check")
