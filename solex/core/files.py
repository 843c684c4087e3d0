"""Uploaded files: accepted by content, stored outside the web root, served safely.

Every app that takes a file (exchange attachments, consultation drafts, knowledge
items, ...) uses these four functions and keeps its own row pointing at the
:class:`~solex.core.models.StoredFile` (who attached it, to what; the permission check
lives in that app)::

    from solex.core import files

    stored = files.accept_upload(request.FILES["file"])   # raises ValidationError
    MyAttachment.objects.create(thing=thing, file=stored)  # in the app's actions.py
    ...
    return files.file_response(stored)                    # after the app's own check

``accept_upload(upload, *, max_bytes=None) -> StoredFile``
    Checks the size (``SOLEX_MAX_UPLOAD_BYTES``, 10 MB by default, or ``max_bytes``)
    and the type **by content** (magic bytes; Office files are ZIPs with
    ``[Content_Types].xml``; ODT by its ``mimetype`` entry; text must be UTF-8 without
    NUL bytes), requires the name's extension to agree with the content, and allows
    only the MIME types in ``SOLEX_UPLOAD_TYPES``. A refusal is a ``ValidationError``
    whose message says what to fix. The content is stored once per SHA-256 under
    ``SOLEX_FILES_DIR`` (default ``<data dir>/files``, never served directly); every
    upload gets its own row with its own name. Text extraction is scheduled for when
    the transaction commits (``extract_text_task``).

``file_response(stored, *, download_name=None) -> FileResponse``
    Always a download (``Content-Disposition: attachment`` with an ASCII ``filename``
    and an RFC 5987 ``filename*``), with the detected type,
    ``X-Content-Type-Options: nosniff`` and ``Content-Security-Policy: sandbox``, so
    an uploaded file never runs as a page of the site. Check permissions first.

``extract_text(stored) -> str | None``
    Pulls plain text out of PDF (pypdf), DOCX/PPTX/XLSX and ODT (their XML), and
    plain text, for search. Records the outcome on the row (``extraction_status``:
    "extracted", "not extracted" for types without text such as images, or "failed"
    with ``extraction_error``) and never raises. Idempotent; content already
    extracted for another row with the same hash is reused.

``human_size(n) -> str``
    "2.4 MB", for listings.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote
from xml.etree import ElementTree

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse
from django.tasks import task
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from solex.core.models import StoredFile
from solex.core.tasks import enqueue_on_commit

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# Extraction limits: enough for any real document, not enough to exhaust the worker.
MAX_TEXT_CHARS = 500_000
MAX_PDF_PAGES = 1000
MAX_XML_BYTES = 50 * 1024 * 1024
HEAD_BYTES = 16

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
GIF = "image/gif"
WEBP = "image/webp"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
TEXT = "text/plain"
CSV = "text/csv"
MARKDOWN = "text/markdown"


@dataclass(frozen=True)
class FileType:
    mime: str
    label: str | Promise  # what people call it, shown in listings and errors
    extensions: tuple[str, ...]


TYPES: dict[str, FileType] = {
    t.mime: t
    for t in (
        FileType(PDF, gettext_lazy("PDF"), (".pdf",)),
        FileType(PNG, gettext_lazy("PNG image"), (".png",)),
        FileType(JPEG, gettext_lazy("JPEG image"), (".jpg", ".jpeg")),
        FileType(GIF, gettext_lazy("GIF image"), (".gif",)),
        FileType(WEBP, gettext_lazy("WebP image"), (".webp",)),
        FileType(DOCX, gettext_lazy("Word document"), (".docx",)),
        FileType(XLSX, gettext_lazy("Excel workbook"), (".xlsx",)),
        FileType(PPTX, gettext_lazy("PowerPoint presentation"), (".pptx",)),
        FileType(ODT, gettext_lazy("OpenDocument text"), (".odt",)),
        FileType(TEXT, gettext_lazy("Text"), (".txt", ".text")),
        FileType(CSV, gettext_lazy("CSV table"), (".csv",)),
        FileType(MARKDOWN, gettext_lazy("Markdown"), (".md", ".markdown")),
    )
}
TEXT_TYPES = {TEXT, CSV, MARKDOWN}


def allowed_types() -> list[str]:
    return list(getattr(settings, "SOLEX_UPLOAD_TYPES", TYPES))


def max_upload_bytes() -> int:
    return int(getattr(settings, "SOLEX_MAX_UPLOAD_BYTES", DEFAULT_MAX_BYTES))


def type_label(mime: str) -> str:
    known = TYPES.get(mime)
    return str(known.label) if known else mime


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{int(value)} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} bytes"  # pragma: no cover


def accept_hint() -> str:
    """The extensions of the allowed types, for an ``<input type=file accept=...>``."""
    return ",".join(
        ext for mime in allowed_types() if mime in TYPES for ext in TYPES[mime].extensions
    )


def storage() -> FileSystemStorage:
    return FileSystemStorage(location=Path(settings.SOLEX_FILES_DIR))


# --- Detection --------------------------------------------------------------------------


def _zip_type(stream: IO[bytes]) -> str | None:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                declared = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                return ODT if declared == ODT else None
            if "[Content_Types].xml" not in names:
                return None
            if "word/document.xml" in names:
                return DOCX
            if "xl/workbook.xml" in names:
                return XLSX
            if "ppt/presentation.xml" in names:
                return PPTX
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return None
    return None


def _is_utf8_text(stream: IO[bytes]) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    stream.seek(0)
    try:
        while chunk := stream.read(64 * 1024):
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def detect_type(stream: IO[bytes], name: str) -> str | None:
    """The MIME type the content really is, or None when it is none we know.

    Text has no magic number: UTF-8 without NUL bytes is text, and the name then
    tells plain text, CSV and Markdown apart (they are the same bytes).
    """
    stream.seek(0)
    head = stream.read(HEAD_BYTES)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"PK\x03\x04"):
        stream.seek(0)
        return _zip_type(stream)
    if _is_utf8_text(stream):
        suffix = Path(name).suffix.lower()
        for mime in (CSV, MARKDOWN):
            if suffix in TYPES[mime].extensions:
                return mime
        return TEXT
    return None


def _clean_name(name: str) -> str:
    base = Path(name.replace("\\", "/")).name
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if ch.isprintable())
    return base.strip()[:255] or "file"


# --- Accepting ------------------------------------------------------------------------------


def accept_upload(upload: File[Any], *, max_bytes: int | None = None) -> StoredFile:
    """Check an uploaded file and store it; see the module's docstring."""
    limit = max_upload_bytes() if max_bytes is None else max_bytes
    name = _clean_name(upload.name or "")
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("The file %(name)s is empty.") % {"name": name}, code="empty")
    if size > limit:
        raise ValidationError(
            _("The file %(name)s is %(size)s; the limit is %(limit)s.")
            % {"name": name, "size": human_size(size), "limit": human_size(limit)},
            code="too_big",
        )
    stream: IO[bytes] = upload.file if upload.file is not None else upload
    mime = detect_type(stream, name)
    allowed = allowed_types()
    allowed_labels = ", ".join(sorted({type_label(m) for m in allowed}))
    if mime is None:
        raise ValidationError(
            _("%(name)s is not a file type Solex accepts. Accepted: %(types)s.")
            % {"name": name, "types": allowed_labels},
            code="bad_type",
        )
    if mime not in allowed:
        raise ValidationError(
            _("%(type)s files are not accepted here. Accepted: %(types)s.")
            % {"type": type_label(mime), "types": allowed_labels},
            code="bad_type",
        )
    suffix = Path(name).suffix.lower()
    if suffix not in TYPES[mime].extensions:
        raise ValidationError(
            _(
                "%(name)s is really a %(type)s, not what its name says: "
                "rename it to end in %(ext)s, or choose the right file."
            )
            % {"name": name, "type": type_label(mime), "ext": TYPES[mime].extensions[0]},
            code="name_mismatch",
        )
    digest = hashlib.sha256()
    stream.seek(0)
    counted = 0
    while chunk := stream.read(1024 * 1024):
        digest.update(chunk)
        counted += len(chunk)
        if counted > limit:
            raise ValidationError(
                _("The file %(name)s is over the limit of %(limit)s.")
                % {"name": name, "limit": human_size(limit)},
                code="too_big",
            )
    sha = digest.hexdigest()
    path = f"{sha[:2]}/{sha[2:4]}/{sha}"
    store = storage()
    if not store.exists(path):
        stream.seek(0)
        saved = store.save(path, File(stream))
        if saved != path:  # a concurrent upload of the same content won the race
            store.delete(saved)
    stored = StoredFile.objects.create(
        sha256=sha,
        size=counted,
        content_type=mime,
        original_name=name,
        storage_path=path,
    )
    enqueue_on_commit(extract_text_task, stored.pk)
    return stored


# --- Serving -----------------------------------------------------------------------------------


def content_disposition(name: str) -> str:
    """``attachment`` with an ASCII fallback name and the exact name per RFC 5987."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    ascii_name = re.sub(r"[^A-Za-z0-9._ -]", "_", ascii_name).strip() or "download"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def file_response(stored: StoredFile, *, download_name: str | None = None) -> FileResponse:
    """The file as a download with safe headers; check who may read it before calling."""
    content_type = stored.content_type
    if content_type in TEXT_TYPES:
        content_type += "; charset=utf-8"
    response = FileResponse(storage().open(stored.storage_path, "rb"), content_type=content_type)
    response["Content-Disposition"] = content_disposition(
        _clean_name(download_name or stored.original_name)
    )
    response["Content-Length"] = str(stored.size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Extraction ---------------------------------------------------------------------------------

_WORD = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DRAW = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_SHEET = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ODF_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


def _xml(archive: zipfile.ZipFile, member: str) -> ElementTree.Element:
    info = archive.getinfo(member)
    if info.file_size > MAX_XML_BYTES:
        raise ValueError(_("the document's text part is too large to read"))
    data = archive.read(member)
    # Office XML never declares a DTD: refusing one rules out entity expansion attacks.
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise ValueError(_("the document declares entities, which Solex does not read"))
    return ElementTree.fromstring(data)  # noqa: S314 - no DTD, checked above


def _paragraphs(root: ElementTree.Element, paragraph_tag: str, text_tag: str) -> str:
    lines = []
    for paragraph in root.iter(paragraph_tag):
        line = "".join(node.text or "" for node in paragraph.iter(text_tag))
        if line.strip():
            lines.append(line)
    return "\n".join(lines)


def _office_text(data: IO[bytes], mime: str) -> str:
    with zipfile.ZipFile(data) as archive:
        if mime == DOCX:
            return _paragraphs(_xml(archive, "word/document.xml"), f"{_WORD}p", f"{_WORD}t")
        if mime == PPTX:
            slides = sorted(
                (n for n in archive.namelist() if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)),
                key=lambda n: int(re.sub(r"\D", "", n)),
            )
            return "\n".join(
                _paragraphs(_xml(archive, slide), f"{_DRAW}p", f"{_DRAW}t") for slide in slides
            )
        if mime == XLSX:
            if "xl/sharedStrings.xml" not in archive.namelist():
                return ""
            return _paragraphs(_xml(archive, "xl/sharedStrings.xml"), f"{_SHEET}si", f"{_SHEET}t")
        if mime == ODT:
            root = _xml(archive, "content.xml")
            lines = []
            for tag in ("p", "h"):
                for node in root.iter(f"{{{_ODF_TEXT}}}{tag}"):
                    line = "".join(node.itertext())
                    if line.strip():
                        lines.append(line)
            return "\n".join(lines)
    return ""


def _pdf_text(data: IO[bytes]) -> str:
    from pypdf import PdfReader

    reader = PdfReader(data)
    parts = []
    total = 0
    for page in reader.pages[:MAX_PDF_PAGES]:
        text = page.extract_text() or ""
        parts.append(text)
        total += len(text)
        if total > MAX_TEXT_CHARS:
            break
    return "\n".join(parts)


def _read_text(stored: StoredFile) -> str | None:
    with storage().open(stored.storage_path, "rb") as handle:
        data = io.BytesIO(handle.read())
    if stored.content_type in TEXT_TYPES:
        return data.getvalue().decode("utf-8-sig", errors="replace")
    if stored.content_type == PDF:
        return _pdf_text(data)
    if stored.content_type in (DOCX, PPTX, XLSX, ODT):
        return _office_text(data, stored.content_type)
    return None


def extract_text(stored: StoredFile) -> str | None:
    """Plain text of the file for search, recorded on the row; see the module docstring."""
    if stored.extraction_status == StoredFile.Extraction.EXTRACTED:
        return stored.extracted_text
    twin = (
        StoredFile.objects.filter(
            sha256=stored.sha256, extraction_status=StoredFile.Extraction.EXTRACTED
        )
        .exclude(pk=stored.pk)
        .first()
    )
    text: str | None
    error = ""
    if twin is not None:
        text = twin.extracted_text
        status = StoredFile.Extraction.EXTRACTED
    else:
        try:
            text = _read_text(stored)
        except Exception as exc:  # noqa: BLE001 - any broken file is recorded, never raised
            text = None
            status = StoredFile.Extraction.FAILED
            error = f"{type(exc).__name__}: {exc}"[:300]
        else:
            if text is None:
                status = StoredFile.Extraction.NOT_EXTRACTED
                error = _("%(type)s files have no text to extract.") % {
                    "type": type_label(stored.content_type)
                }
            else:
                text = re.sub(r"[ \t]+", " ", text.replace("\x00", "")).strip()[:MAX_TEXT_CHARS]
                status = StoredFile.Extraction.EXTRACTED
    stored.extracted_text = text or ""
    stored.extraction_status = status
    stored.extraction_error = error
    stored.save(update_fields=["extracted_text", "extraction_status", "extraction_error"])
    return text


@task()
def extract_text_task(stored_file_id: int) -> None:
    """Extract an uploaded file's text in the background (idempotent)."""
    stored = StoredFile.objects.filter(pk=stored_file_id).first()
    if stored is not None:
        extract_text(stored)
