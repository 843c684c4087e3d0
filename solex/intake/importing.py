"""Importing a list archive (mbox: Mailman, Google Groups, Outlook exports) into a community.

Threads are rebuilt from ``In-Reply-To`` and ``References`` (the subject, without its
"Re:" prefixes, when a reply names no parent we know). Each message becomes the first
post of a thread (an exchange, closed: it is history) or a reply in it, dated as sent.
Senders are matched to accounts by address; unknown senders get an **unclaimed**
profile: an inactive account with no password, which its owner claims later. Each
imported Message-ID is recorded, so running the import again skips what is already in.
Nobody is notified: the archive is history, not news.
"""

from __future__ import annotations

import hashlib
import mailbox
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.text import slugify

from solex.accounts.models import User
from solex.communities.models import Community
from solex.core.markdown import render_markdown
from solex.exchanges.models import CloseReason, Exchange, Kind, Reply, Status
from solex.intake.actions import clean_subject
from solex.intake.cleaning import clean_reply
from solex.intake.models import ImportedMessage
from solex.intake.parsing import ParsedMessage, parse

MAX_BODY = 20_000
REPLY_PREFIX = re.compile(r"^\s*(re|aw|sv|rv|réf|رد|回复|答复|ответ)\s*(\[\d+\])?\s*[:：]", re.I)


@dataclass
class ImportReport:
    imported: int = 0
    skipped: int = 0
    threads: int = 0
    replies: int = 0
    unclaimed_profiles: int = 0


def _date(parsed: ParsedMessage) -> datetime:
    try:
        value = parsedate_to_datetime(parsed.header("Date"))
    except (TypeError, ValueError, IndexError):
        return timezone.now()
    if value is None:
        return timezone.now()
    if timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


def _message_id(parsed: ParsedMessage, raw: bytes) -> str:
    if parsed.message_id:
        return parsed.message_id[:998]
    return f"{hashlib.sha256(raw).hexdigest()[:32]}@imported.invalid"


def subject_key(subject: str) -> str:
    return " ".join(clean_subject(subject).lower().split())[:500]


def _unique_username(address: str) -> str:
    base = slugify(address.partition("@")[0])[:120] or "member"
    candidate, number = base, 1
    while User.objects.filter(username=candidate).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def sender_for(parsed: ParsedMessage, report: ImportReport) -> User | None:
    """The account with the sender's address, or a new unclaimed (inactive) profile."""
    address = parsed.from_address
    if not address:
        return None
    user = User.objects.filter(email__iexact=address).first()
    if user is not None:
        return user
    user = User(
        username=_unique_username(address),
        email=address,
        name=(parsed.from_name or address.partition("@")[0])[:150],
        is_active=False,
    )
    user.set_unusable_password()
    user.save()
    report.unclaimed_profiles += 1
    return user


def _thread_for(community: Community, parsed: ParsedMessage) -> Exchange | None:
    parents = [parsed.in_reply_to, *reversed(parsed.references)]
    parents = [p for p in parents if p]
    if parents:
        found = (
            ImportedMessage.objects.filter(community=community, message_id__in=parents)
            .select_related("exchange")
            .first()
        )
        if found is not None:
            return found.exchange
    if parents or REPLY_PREFIX.match(parsed.subject):
        key = subject_key(parsed.subject)
        if key:
            found = (
                ImportedMessage.objects.filter(community=community, subject_key=key)
                .order_by("pk")
                .select_related("exchange")
                .first()
            )
            if found is not None:
                return found.exchange
    return None


def import_message(community: Community, raw: bytes, report: ImportReport) -> None:
    """Import one archived message (once: a Message-ID already imported is skipped)."""
    parsed = parse(raw)
    message_id = _message_id(parsed, raw)
    if ImportedMessage.objects.filter(community=community, message_id=message_id).exists():
        report.skipped += 1
        return
    body = (clean_reply(parsed.text) or parsed.text.strip() or "(no text)")[:MAX_BODY]
    when = _date(parsed)
    try:
        with transaction.atomic():
            author = sender_for(parsed, report)
            exchange = _thread_for(community, parsed)
            reply = None
            if exchange is None:
                title = (clean_subject(parsed.subject) or body.split("\n", 1)[0])[:200]
                exchange = Exchange.objects.create(
                    community=community,
                    kind=Kind.QUERY,
                    title=title or "(no subject)",
                    body=body,
                    body_html=render_markdown(body),
                    author=author,
                    status=Status.CLOSED,
                    close_reason=CloseReason.ANSWERED,
                    close_note="Imported from the list archive.",
                    closed_at=when,
                    created_at=when,
                    last_activity_at=when,
                )
                report.threads += 1
            else:
                reply = Reply.objects.create(
                    exchange=exchange,
                    author=author,
                    body=body,
                    body_html=render_markdown(body),
                    created_at=when,
                )
                Exchange.objects.filter(pk=exchange.pk).update(
                    reply_count=F("reply_count") + 1,
                    last_activity_at=Greatest(F("last_activity_at"), when),
                )
                report.replies += 1
            ImportedMessage.objects.create(
                community=community,
                message_id=message_id,
                subject_key=subject_key(parsed.subject),
                exchange=exchange,
                reply=reply,
            )
    except IntegrityError:  # imported meanwhile by another run
        report.skipped += 1
        return
    report.imported += 1


def read_mbox(path: Path) -> Iterator[bytes]:
    box = mailbox.mbox(str(path), create=False)
    try:
        keyed = []
        for key in box.iterkeys():
            message = box.get_message(key)
            try:
                when = parsedate_to_datetime(message.get("Date", "")).timestamp()
            except (TypeError, ValueError, IndexError, AttributeError):
                when = float("inf")
            keyed.append((when, key))
        # Oldest first, so a reply finds the thread it answers.
        for _when, key in sorted(keyed, key=lambda item: (item[0], str(item[1]))):
            yield box.get_bytes(key)
    finally:
        box.close()


def count_messages(path: Path) -> int:
    box = mailbox.mbox(str(path), create=False)
    try:
        return len(box)
    finally:
        box.close()


def import_mbox(
    community: Community,
    path: Path,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    report = ImportReport()
    total = count_messages(path)
    for number, raw in enumerate(read_mbox(path), start=1):
        import_message(community, raw, report)
        if progress is not None:
            progress(number, total)
    return report
