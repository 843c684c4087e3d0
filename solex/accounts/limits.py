"""How often people may try to log in and ask Solex to send them email.

Failed log-ins are counted per account (guessing one person's password) and per
client address (guessing many people's); a colleague's typos behind the same office
address only stop you once the address as a whole reaches its higher limit.
"""

from __future__ import annotations

from django.utils.translation import ngettext

from solex.core.ratelimit import Rate, Verdict, clear, hit, peek

LOGIN_FAILURES_PER_ACCOUNT = Rate(limit=5, window_seconds=15 * 60)
LOGIN_FAILURES_PER_ADDRESS = Rate(limit=20, window_seconds=15 * 60)
EMAILS_PER_RECIPIENT = Rate(limit=3, window_seconds=60 * 60)
EMAILS_PER_ADDRESS = Rate(limit=10, window_seconds=60 * 60)


class RateLimitError(Exception):
    """Too many attempts; ``message`` says how long to wait."""

    def __init__(self, verdict: Verdict, message: str) -> None:
        super().__init__(message)
        self.verdict = verdict
        self.message = message


def _login_wait_message(verdict: Verdict) -> str:
    minutes = verdict.retry_after_minutes
    return ngettext(
        "Too many failed attempts to log in. Please wait %(minutes)d minute and try again, "
        "or reset your password.",
        "Too many failed attempts to log in. Please wait %(minutes)d minutes and try again, "
        "or reset your password.",
        minutes,
    ) % {"minutes": minutes}


def _email_wait_message(verdict: Verdict) -> str:
    minutes = verdict.retry_after_minutes
    return ngettext(
        "We have sent several emails already. Please check your inbox (and spam folder), "
        "or wait %(minutes)d minute before asking again.",
        "We have sent several emails already. Please check your inbox (and spam folder), "
        "or wait %(minutes)d minutes before asking again.",
        minutes,
    ) % {"minutes": minutes}


def login_account_key(account: str) -> str:
    return f"login-failures:account:{account}"


def login_address_key(address: str) -> str:
    return f"login-failures:address:{address}"


def check_login_allowed(account: str, address: str) -> None:
    """Refuse before checking the password, so a locked account cannot be probed."""
    for key, rate in (
        (login_address_key(address), LOGIN_FAILURES_PER_ADDRESS),
        (login_account_key(account), LOGIN_FAILURES_PER_ACCOUNT),
    ):
        verdict = peek(key, rate)
        if not verdict.allowed:
            raise RateLimitError(verdict, _login_wait_message(verdict))


def record_login_failure(account: str, address: str) -> None:
    hit(login_address_key(address), LOGIN_FAILURES_PER_ADDRESS)
    hit(login_account_key(account), LOGIN_FAILURES_PER_ACCOUNT)


def forget_login_failures(account: str) -> None:
    """After the right password the account's typos no longer count against it."""
    clear(login_account_key(account), LOGIN_FAILURES_PER_ACCOUNT)


def count_email_request(kind: str, recipient: str, address: str) -> None:
    """Count one email of ``kind`` to ``recipient`` asked for from ``address``."""
    for key, rate in (
        (f"email:{kind}:address:{address}", EMAILS_PER_ADDRESS),
        (f"email:{kind}:recipient:{recipient.strip().lower()}", EMAILS_PER_RECIPIENT),
    ):
        verdict = hit(key, rate)
        if not verdict.allowed:
            raise RateLimitError(verdict, _email_wait_message(verdict))
