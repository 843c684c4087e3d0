"""Demo attachments: field notes, briefs and tables on some queries and replies.

Small real files (PDF, Word, plain text, CSV) generated from the exchange they belong
to, with words a search can find, stored and checked exactly as uploads are
(``solex.core.files.accept_upload``), their text extracted at once. A fixed number,
whatever the scale, so the step stays fast at a million posts.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from solex.core import files
from solex.core.documents import make_docx, make_pdf
from solex.demo.context import DemoContext
from solex.exchanges.models import Attachment, Exchange, Kind, Reply

QUERIES_WITH_FILES = 16
REPLIES_WITH_FILES = 16

FINDINGS = [
    "Coverage rose where district teams met monthly with community health workers.",
    "Costs per household fell by a third once payments moved to quarterly cycles.",
    "Women's participation doubled when meetings moved to market days.",
    "Grievance hotlines were used mostly for targeting errors, not payment delays.",
    "Local radio reached more households than SMS in the first three months.",
    "Data sharing agreements with the statistics office took six months to sign.",
    "The pilot reused the social registry instead of a new census of households.",
    "Monitoring visits found that one in five beneficiaries had moved district.",
]


def _pick_findings(seed: int, count: int = 4) -> list[str]:
    return [FINDINGS[(seed + step * 3) % len(FINDINGS)] for step in range(count)]


def _brief(exchange: Exchange, number: int) -> tuple[str, bytes]:
    """A field brief about the question, in one of the formats people attach."""
    lines = [
        f"Background to the question: {exchange.title}",
        f"Country office: {exchange.country or 'regional'}",
        "What we tried so far:",
        *_pick_findings(number),
    ]
    match number % 3:
        case 0:
            return f"field-brief-{exchange.pk}.pdf", make_pdf(lines, title="Field brief")
        case 1:
            return f"background-note-{exchange.pk}.docx", make_docx(["Background note", *lines])
        case _:
            return f"notes-{exchange.pk}.txt", "\n".join(lines).encode()


def _evidence(reply: Reply, number: int) -> tuple[str, bytes]:
    """What a respondent attaches: an evaluation summary or a small table."""
    if number % 2:
        rows = ["district,households,coverage_percent"] + [
            f"District {chr(65 + row)},{1200 + 150 * row},{55 + 5 * row}" for row in range(6)
        ]
        return f"coverage-table-{reply.pk}.csv", "\n".join(rows).encode()
    lines = ["Evaluation summary", *_pick_findings(number + 1, 5), "Contact the author for data."]
    return f"evaluation-summary-{reply.pk}.pdf", make_pdf(lines, title="Evaluation summary")


def _attach(exchange: Exchange, reply: Reply | None, name: str, data: bytes) -> Attachment:
    stored = files.accept_upload(SimpleUploadedFile(name, data))
    files.extract_text(stored)  # at once: the demo has no worker running yet
    uploader = reply.author_id if reply is not None else exchange.author_id
    return Attachment(exchange=exchange, reply=reply, file=stored, uploaded_by_id=uploader)


def build_attachments(ctx: DemoContext) -> None:
    rng = ctx.random("attachments")
    query_ids = list(
        Exchange.objects.filter(kind=Kind.QUERY, is_direct_connect=False)
        .order_by("pk")
        .values_list("pk", flat=True)[:2000]
    )
    if not query_ids:
        return
    chosen = sorted(rng.sample(query_ids, min(QUERIES_WITH_FILES, len(query_ids))))
    rows: list[Attachment] = []
    for number, exchange in enumerate(Exchange.objects.filter(pk__in=chosen).order_by("pk")):
        name, data = _brief(exchange, number)
        rows.append(_attach(exchange, None, name, data))
    reply_ids = list(
        Reply.objects.filter(exchange_id__in=query_ids[:500], is_hidden=False)
        .order_by("pk")
        .values_list("pk", flat=True)[:5000]
    )
    picked = sorted(rng.sample(reply_ids, min(REPLIES_WITH_FILES, len(reply_ids))))
    replies = Reply.objects.filter(pk__in=picked).select_related("exchange").order_by("pk")
    for number, reply in enumerate(replies):
        name, data = _evidence(reply, number)
        rows.append(_attach(reply.exchange, reply, name, data))
    ctx.bulk_insert(Attachment, rows, label="attachments", total=len(rows))
