"""Signed reply addresses: ``reply+TOKEN@SOLEX_MAIL_DOMAIN``.

A notification about an exchange carries a Reply-To address whose token names the
exchange and the recipient, signed with the secret key. Inbound mail to such an
address is posted to that exchange as that person, once the sender's address also
matches the recipient; a token that was altered or forged does not verify and the
message is refused. Tokens carry no expiry: an old notification can still be answered,
and the access policy decides at posting time whether the person may still post.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "solex.mail.reply-address"
LOCAL_PREFIX = "reply+"


@dataclass(frozen=True)
class ReplyTarget:
    exchange_id: int
    user_id: int


def _signature(value: str) -> str:
    # Hex, lower case: mail servers may change the case of the local part.
    return salted_hmac(SALT, value, algorithm="sha256").hexdigest()[:20]


def reply_token(exchange_id: int, user_id: int) -> str:
    value = f"{exchange_id:x}-{user_id:x}"
    return f"{value}.{_signature(value)}"


def make_reply_address(exchange_id: int, user_id: int) -> str:
    """The address a notification about ``exchange_id`` to ``user_id`` asks replies to go to."""
    return f"{LOCAL_PREFIX}{reply_token(exchange_id, user_id)}@{settings.SOLEX_MAIL_DOMAIN}"


def read_reply_address(address: str) -> ReplyTarget | None:
    """The exchange and person a reply address names, or None if it is not one or was altered."""
    local, _at, domain = address.strip().strip("<>").rpartition("@")
    if domain.lower() != settings.SOLEX_MAIL_DOMAIN.lower():
        return None
    if not local.lower().startswith(LOCAL_PREFIX):
        return None
    token = local[len(LOCAL_PREFIX) :].lower()
    value, _sep, signature = token.partition(".")
    exchange_part, _dash, user_part = value.partition("-")
    try:
        exchange_id, user_id = int(exchange_part, 16), int(user_part, 16)
    except ValueError:
        return None
    if value != f"{exchange_id:x}-{user_id:x}":  # no signs, spaces or leading zeros
        return None
    if not constant_time_compare(signature, _signature(value)):
        return None
    return ReplyTarget(exchange_id, user_id)


# --- Unsubscribe and bounce tokens ----------------------------------------------------------
# Same shape as reply tokens (lower-case hex, a truncated HMAC), each with its own salt, so
# that a token of one kind never verifies as another.

UNSUBSCRIBE_SALT = "solex.mail.unsubscribe"
BOUNCE_SALT = "solex.mail.bounce"
BOUNCE_PREFIX = "bounce+"
UNSUBSCRIBE_PREFIX = "unsubscribe+"


@dataclass(frozen=True)
class UnsubscribeTarget:
    user_id: int
    # None: every email from Solex (the pause switch); otherwise one community's mail.
    community_id: int | None


def _sign(salt: str, value: str) -> str:
    return salted_hmac(salt, value, algorithm="sha256").hexdigest()[:20]


def _read(salt: str, token: str) -> list[int] | None:
    value, _sep, signature = token.strip().lower().partition(".")
    parts = value.split("-")
    try:
        numbers = [int(part, 16) for part in parts]
    except ValueError:
        return None
    if value != "-".join(f"{number:x}" for number in numbers):
        return None
    if not constant_time_compare(signature, _sign(salt, value)):
        return None
    return numbers


def unsubscribe_token(user_id: int, community_id: int | None) -> str:
    """A token that stops one community's mail (or all mail) for one person."""
    value = f"{user_id:x}-{community_id or 0:x}"
    return f"{value}.{_sign(UNSUBSCRIBE_SALT, value)}"


def read_unsubscribe_token(token: str) -> UnsubscribeTarget | None:
    """Whom and what a token unsubscribes; None if it was altered or forged."""
    numbers = _read(UNSUBSCRIBE_SALT, token)
    if numbers is None or len(numbers) != 2:
        return None
    return UnsubscribeTarget(numbers[0], numbers[1] or None)


def make_unsubscribe_address(user_id: int, community_id: int | None) -> str:
    """The mailto address of List-Unsubscribe: mail to it unsubscribes like the link."""
    token = unsubscribe_token(user_id, community_id)
    return f"{UNSUBSCRIBE_PREFIX}{token}@{settings.SOLEX_MAIL_DOMAIN}"


def read_unsubscribe_address(address: str) -> UnsubscribeTarget | None:
    local = _local_part(address, UNSUBSCRIBE_PREFIX)
    return None if local is None else read_unsubscribe_token(local)


def make_bounce_address(outbound_id: int) -> str:
    """The envelope sender (VERP) of one copy: a bounce to it names the copy."""
    value = f"{outbound_id:x}"
    return f"{BOUNCE_PREFIX}{value}.{_sign(BOUNCE_SALT, value)}@{settings.SOLEX_MAIL_DOMAIN}"


def read_bounce_address(address: str) -> int | None:
    """The outbound copy a bounce address names; None if it is not one or was altered."""
    local = _local_part(address, BOUNCE_PREFIX)
    if local is None:
        return None
    numbers = _read(BOUNCE_SALT, local)
    if numbers is None or len(numbers) != 1:
        return None
    return numbers[0]


def _local_part(address: str, prefix: str) -> str | None:
    local, _at, domain = address.strip().strip("<>").rpartition("@")
    if domain.lower() != settings.SOLEX_MAIL_DOMAIN.lower():
        return None
    if not local.lower().startswith(prefix):
        return None
    return local[len(prefix) :]
