"""Removing quoted history and signatures from a reply, across clients and languages.

The reply is what comes before the first *quote header* ("On … wrote:", "Le … a écrit :",
"El … escribió:", "… كتب:", "… написал(а):", "… 写道：", Outlook's "From: … Sent: …"
block, "-----Original Message-----", …) and before the signature ("-- ", "Sent from
my iPhone", "Envoyé de mon iPhone", "发自我的iPhone", …). Quoted lines (">") left at
the end are dropped; quoted lines between the person's own paragraphs (an inline
answer) stay, as Markdown quotes, because the answer needs them.
"""

from __future__ import annotations

import re

_EMAIL = r"[^\s<>@]+@[^\s<>@]+"

# One line (or up to three joined lines, as clients wrap them) introducing a quote.
QUOTE_HEADERS = [
    r"^\s*On\b.{0,400}\bwrote\s*:\s*$",  # Gmail, Apple Mail, Thunderbird (en)
    r"^\s*Le\b.{0,400}\ba\s+écrit\s*:\s*$",  # fr
    r"^\s*El\b.{0,400}\bescribió\s*:\s*$",  # es
    r"^.{0,400}\bescribió\s*:\s*$",  # es, other orders
    r"^\s*Am\b.{0,400}\bschrieb\b.{0,200}:\s*$",  # de
    r"^\s*Em\b.{0,400}\bescreveu\s*:\s*$",  # pt
    r"^\s*Il giorno\b.{0,400}\bha scritto\s*:\s*$",  # it
    r"^.{0,400}كتب\s*[:：]\s*$",  # ar ("… كتب:")
    r"^.{0,400}\bнаписал(?:\(а\)|а)?\s*:\s*$",  # ru
    r"^.{0,400}\bпишет\s*:\s*$",  # ru (Thunderbird)
    r"^.{0,400}写道\s*[:：]\s*$",  # zh
    r"^.{0,400}寫道\s*[:：]\s*$",  # zh (traditional)
    r"^.{0,200}" + _EMAIL + r">?\s*[:：]\s*$",  # "<date>, Name <a@b>:" (Gmail in many languages)
]
# A line that starts a forwarded-or-quoted block by itself.
SEPARATORS = [
    r"^\s*-{2,}\s*(Original Message|Message d'origine|Mensaje original|Исходное сообщение|"
    r"Ursprüngliche Nachricht|Messaggio originale|Mensagem original|الرسالة الأصلية|原始邮件|"
    r"原始郵件|Forwarded message|Message transféré|Mensaje reenviado)\s*-{2,}\s*$",
    r"^\s*-{5,}\s*原始邮件\s*-{5,}\s*$",
    r"^\s*_{20,}\s*$",  # Outlook's rule before "From: … Sent: …"
]
# Outlook's header block: "From:" (any language) followed by a "Sent:"/"Date:" line.
FROM_LINE = re.compile(
    r"^\s*\*{0,2}(From|De|Von|От|Від|发件人|寄件者|من|Da|Van)\s*\*{0,2}\s*[:：]", re.IGNORECASE
)
SENT_LINE = re.compile(
    r"^\s*\*{0,2}(Sent|Date|Envoyé|Enviado|Gesendet|Отправлено|Дата|发送时间|日期|寄件日期|"
    r"أرسل|التاريخ|Inviato|Data|Verzonden|To|À|Para|An|Кому|收件人|إلى)\s*\*{0,2}\s*[:：]",
    re.IGNORECASE,
)
SIGNATURE_LINES = [
    r"^--\s?$",
    r"^__\s*$",
    r"^\s*(Sent|Envoyé|Enviado|Gesendet|Inviato|Отправлено)\s+(from|de|depuis|desde|von|da|с|из)\b.{0,80}$",
    r"^\s*Get Outlook for (iOS|Android).{0,20}$",
    r"^\s*Obtenir Outlook pour (iOS|Android).{0,20}$",
    r"^\s*Sent with .{0,40}(Proton ?Mail|Blackberry|Spark).{0,20}$",
    r"^\s*(发自我的|從我的|从我的|來自我的).{0,40}$",
    r"^\s*.{0,20}(iPhone|iPad|Android|手机|手機)\s*发送\s*$",
    r"^\s*أرسلت من .{0,60}$",
    r"^\s*مرسل من .{0,60}$",
    r"^\s*Von meinem .{0,40} gesendet\s*$",
]

_QUOTE_HEADER_RES = [re.compile(p, re.IGNORECASE) for p in QUOTE_HEADERS]
_SEPARATOR_RES = [re.compile(p, re.IGNORECASE) for p in SEPARATORS]
_SIGNATURE_RES = [re.compile(p, re.IGNORECASE) for p in SIGNATURE_LINES]


def _plain(line: str) -> str:
    """The line without Markdown emphasis, and without a leading quote mark."""
    return line.replace("**", "").strip()


def _quote_header_start(lines: list[str], end: int) -> int | None:
    """Where a quote header ending on line ``end`` starts (clients wrap it on 2-3 lines)."""
    for span in (1, 2, 3):
        start = end - span + 1
        if start < 0:
            break
        chunk = lines[start : end + 1]
        if any(not line.strip() or _plain(line).startswith(">") for line in chunk):
            break
        joined = " ".join(_plain(line) for line in chunk)
        if len(joined) > 500:
            break
        if any(regex.match(joined) for regex in _QUOTE_HEADER_RES):
            return start
    return None


def _is_outlook_block(lines: list[str], index: int) -> bool:
    if not FROM_LINE.match(_plain(lines[index])):
        return False
    following = [line for line in lines[index + 1 : index + 6] if line.strip()]
    return sum(1 for line in following if SENT_LINE.match(_plain(line))) >= 1


def _has_text(lines: list[str]) -> bool:
    return any(line.strip() and not _plain(line).startswith(">") for line in lines)


def _cut_history(lines: list[str]) -> list[str]:
    for index, line in enumerate(lines):
        plain = _plain(line)
        if not plain or plain.startswith(">"):
            # A quote header inside a quote belongs to the history itself.
            continue
        if any(regex.match(plain) for regex in _SEPARATOR_RES) or _is_outlook_block(lines, index):
            return lines[:index]
        start = _quote_header_start(lines, index)
        if start is None:
            continue
        before, after = lines[:start], lines[index + 1 :]
        if not _has_text(before) and _has_text(after):
            # Answers written between the quoted lines, below the header: keep them.
            return _cut_history(after)
        return before
    return lines


def _cut_signature(lines: list[str]) -> list[str]:
    for index, line in enumerate(lines):
        if any(regex.match(line.rstrip()) for regex in _SIGNATURE_RES[:2]) and index > 0:
            return lines[:index]
    # Mobile footers: only near the end, so "Sent from my office…" mid-text stays.
    for index in range(len(lines) - 1, max(-1, len(lines) - 6), -1):
        if any(regex.match(lines[index]) for regex in _SIGNATURE_RES[2:]):
            return lines[:index]
    return lines


def _drop_trailing_quotes(lines: list[str]) -> list[str]:
    while lines and (not lines[-1].strip() or lines[-1].lstrip().startswith(">")):
        lines.pop()
    return lines


def clean_reply(text: str) -> str:
    """The new part of a reply, as Markdown: no quoted history, no signature."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u200b", "")
    lines = text.split("\n")
    lines = _cut_history(lines)
    lines = _drop_trailing_quotes(lines)
    lines = _cut_signature(lines)
    lines = _drop_trailing_quotes(lines)
    while lines and not lines[0].strip():
        lines.pop(0)
    cleaned = "\n".join(line.rstrip() if not line.endswith("  ") else line for line in lines)
    return re.sub(r"\n{3,}", "\n\n", cleaned).strip()
