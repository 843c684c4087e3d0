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
