"""Reading a raw message: headers, the best text body, attachments, whatever the client.

Every common charset and transfer encoding is decoded by the standard library; a
charset it does not know (or a part that lies about its charset) is guessed with
charset-normalizer. HTML-only mail becomes Markdown (``html_to_markdown``). Malformed
MIME is read as far as it goes: the parser never raises for a bad part, it records
the defect and moves on.
"""

from __future__ import annotations

import email
import email.header
import email.policy
import re
from dataclasses import dataclass, field
from email.message import EmailMessage, Message
from email.utils import getaddresses, parseaddr

from charset_normalizer import from_bytes

from solex.intake.htmltext import html_to_markdown


@dataclass
class Attachment:
    filename: str
    content_type: str
    data: bytes


@dataclass
class ParsedMessage:
    from_address: str
    from_name: str
    subject: str
    message_id: str
    in_reply_to: str
    references: list[str]
    text: str  # the body as Markdown, before quotes and signatures are removed
    from_html: bool
    headers: list[tuple[str, str]]
    attachments: list[Attachment] = field(default_factory=list)
    defects: list[str] = field(default_factory=list)

    def header(self, name: str) -> str:
        name = name.lower()
        for key, value in self.headers:
            if key.lower() == name:
                return value
        return ""

    def all_headers(self, name: str) -> list[str]:
        name = name.lower()
        return [value for key, value in self.headers if key.lower() == name]


def _header_text(message: Message, name: str) -> str:
    value = message.get(name)
    if value is None:
        return ""
    try:
        return " ".join(str(value).split())
    except Exception:  # a header the parser could not decode: keep its raw form
        return " ".join(str(message.get(name, failobj="")).split())


def decode_bytes(payload: bytes, charset: str | None) -> str:
    """Text from bytes in the declared charset, or the best guess when that fails."""
    if charset:
        try:
            return payload.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return payload.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(payload).best()
    if best is not None:
        return str(best)
    return payload.decode("latin-1")


def _part_text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        raw = part.get_payload()
        return raw if isinstance(raw, str) else ""
    charset = part.get_content_charset()
    return decode_bytes(payload, charset)


def _is_attachment(part: Message) -> bool:
    disposition = (part.get("Content-Disposition") or "").split(";")[0].strip().lower()
    if disposition == "attachment":
        return True
    if part.get_filename() and not part.get_content_type().startswith("text/"):
        return True
    maintype = part.get_content_maintype()
    return maintype not in ("text", "multipart", "message")


def _addresses(value: str) -> list[str]:
    return [address for _name, address in getaddresses([value]) if address]


def message_ids(value: str) -> list[str]:
    return re.findall(r"<([^<>\s]+)>", value or "")


def parse(raw: bytes) -> ParsedMessage:
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    headers: list[tuple[str, str]] = []
    for key in message.keys():  # noqa: SIM118 (a Message, not a dict)
        for value in message.get_all(key, []) or []:
            headers.append((key, decode_header(str(value))))
    deduplicated: list[tuple[str, str]] = []
    for item in headers:
        if item not in deduplicated:
            deduplicated.append(item)
    headers = deduplicated
    from_value = decode_header(_header_text(message, "From"))
    from_name, from_address = parseaddr(from_value)
    if "@" not in from_address:
        from_address = ""
    plain: list[str] = []
    html: list[str] = []
    attachments: list[Attachment] = []
    defects = [type(defect).__name__ for defect in message.defects]
    for part in message.walk():
        defects.extend(type(defect).__name__ for defect in getattr(part, "defects", []))
        if part.is_multipart():
            continue
        if _is_attachment(part):
            data = part.get_payload(decode=True)
            if isinstance(data, bytes):
                attachments.append(
                    Attachment(
                        decode_header(part.get_filename() or "") or "attachment",
                        part.get_content_type(),
                        data,
                    )
                )
            continue
        content_type = part.get_content_type()
        if content_type == "text/html":
            html.append(_part_text(part))
        elif content_type.startswith("text/") or content_type == "message/rfc822":
            plain.append(_part_text(part))
    if plain:
        text, from_html = "\n\n".join(plain), False
    elif html:
        text, from_html = "\n\n".join(html_to_markdown(h) for h in html), True
    else:
        text, from_html = "", False
    message_id = next(iter(message_ids(_header_text(message, "Message-ID"))), "")
    return ParsedMessage(
        from_address=from_address.strip().lower(),
        from_name=from_name.strip(),
        subject=decode_header(_header_text(message, "Subject"))[:500],
        message_id=message_id,
        in_reply_to=next(iter(message_ids(_header_text(message, "In-Reply-To"))), ""),
        references=message_ids(_header_text(message, "References")),
        text=text.replace("\r\n", "\n").replace("\r", "\n"),
        from_html=from_html,
        headers=headers,
        attachments=attachments,
        defects=defects,
    )


def decode_header(value: str) -> str:
    """A header with its RFC 2047 encoded words decoded (unknown charsets guessed)."""
    if "=?" not in value:
        return value
    try:
        pieces = email.header.decode_header(value)
    except Exception:
        return value
    out: list[str] = []
    for chunk, charset in pieces:
        if isinstance(chunk, bytes):
            out.append(decode_bytes(chunk, charset))
        else:
            out.append(chunk)
    return " ".join("".join(out).split())


def recipients_in(value: str) -> list[str]:
    return _addresses(value)


__all__ = ["Attachment", "EmailMessage", "ParsedMessage", "decode_bytes", "parse"]
