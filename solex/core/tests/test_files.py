"""Uploads are checked by content, stored once outside the web root, served safely."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from solex.core import files
from solex.core.documents import PNG_PIXEL, make_docx, make_odt, make_pdf
from solex.core.models import StoredFile

pytestmark = pytest.mark.django_db


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_a_pdf_is_stored_outside_the_web_root_and_its_text_extracted() -> None:
    stored = files.accept_upload(upload("brief.pdf", make_pdf(["Cash transfers in Malawi"])))
    assert stored.content_type == files.PDF
    assert stored.size > 0 and len(stored.sha256) == 64
    path = Path(settings.SOLEX_FILES_DIR) / stored.storage_path
    assert path.is_file()
    assert not path.resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert not path.resolve().is_relative_to(Path(settings.STATIC_ROOT).resolve())
    text = files.extract_text(stored)
    assert text is not None and "Cash transfers in Malawi" in text
    stored.refresh_from_db()
    assert stored.extraction_status == StoredFile.Extraction.EXTRACTED
    assert "Malawi" in stored.extracted_text


@pytest.mark.parametrize(
    ("name", "data", "mime", "words"),
    [
        ("notes.docx", make_docx(["Seed banks after the drought"]), files.DOCX, "Seed banks"),
        ("notes.odt", make_odt(["Water user associations"]), files.ODT, "Water user"),
        ("notes.txt", "Résumé of the field visit".encode(), files.TEXT, "Résumé"),
        ("table.csv", b"district,households\nZomba,120\n", files.CSV, "Zomba"),
        ("readme.md", b"# Lessons\n\nKeep it short.", files.MARKDOWN, "Lessons"),
    ],
)
def test_documents_are_recognised_and_their_text_extracted(
    name: str, data: bytes, mime: str, words: str
) -> None:
    stored = files.accept_upload(upload(name, data))
    assert stored.content_type == mime
    text = files.extract_text(stored)
    assert text is not None and words in text


def test_an_image_is_accepted_but_has_no_text() -> None:
    stored = files.accept_upload(upload("map.png", PNG_PIXEL))
    assert stored.content_type == files.PNG
    assert files.extract_text(stored) is None
    stored.refresh_from_db()
    assert stored.extraction_status == StoredFile.Extraction.NOT_EXTRACTED
    assert "no text" in stored.extraction_error


def test_a_broken_pdf_is_recorded_as_failed_not_raised() -> None:
    stored = files.accept_upload(upload("broken.pdf", b"%PDF-1.4\nthis is not a real pdf"))
    assert files.extract_text(stored) is None
    stored.refresh_from_db()
    assert stored.extraction_status == StoredFile.Extraction.FAILED
    assert stored.extraction_error


def test_a_program_named_like_a_pdf_is_refused() -> None:
    with pytest.raises(ValidationError, match="not a file type Solex accepts"):
        files.accept_upload(upload("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\xff\xff"))
    assert not StoredFile.objects.exists()


def test_a_file_whose_content_disagrees_with_its_name_is_refused() -> None:
    with pytest.raises(ValidationError, match="really a PNG image"):
        files.accept_upload(upload("report.pdf", PNG_PIXEL))


def test_a_plain_zip_is_refused() -> None:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("a.txt", "hello")
    with pytest.raises(ValidationError, match="not a file type"):
        files.accept_upload(upload("archive.docx", data.getvalue()))


def test_oversize_and_empty_files_are_refused_with_the_limit() -> None:
    with pytest.raises(ValidationError, match="the limit is 1.0 KB"):
        files.accept_upload(upload("big.txt", b"a" * 2000), max_bytes=1024)
    with (
        override_settings(SOLEX_MAX_UPLOAD_BYTES=100),
        pytest.raises(ValidationError, match="limit"),
    ):
        files.accept_upload(upload("big.txt", b"a" * 200))
    with pytest.raises(ValidationError, match="empty"):
        files.accept_upload(upload("empty.txt", b""))


def test_types_outside_the_allowed_list_are_refused() -> None:
    with (
        override_settings(SOLEX_UPLOAD_TYPES=["application/pdf"]),
        pytest.raises(ValidationError, match="PNG image files are not accepted"),
    ):
        files.accept_upload(upload("map.png", PNG_PIXEL))


def test_identical_content_is_stored_once_but_keeps_each_name() -> None:
    data = make_pdf(["Same content"])
    first = files.accept_upload(upload("first.pdf", data))
    second = files.accept_upload(upload("second.pdf", data))
    assert first.storage_path == second.storage_path
    assert (first.original_name, second.original_name) == ("first.pdf", "second.pdf")
    files.extract_text(first)
    assert files.extract_text(second) == files.extract_text(first)


def test_names_are_cleaned_of_paths() -> None:
    stored = files.accept_upload(upload("../../etc/notes.txt", b"hello"))
    assert stored.original_name == "notes.txt"


def test_the_download_is_an_attachment_with_safe_headers() -> None:
    stored = files.accept_upload(upload("Évaluation finale.pdf", make_pdf(["Final"])))
    response = files.file_response(stored)
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert 'filename="Evaluation finale.pdf"' in disposition
    assert "filename*=UTF-8''%C3%89valuation%20finale.pdf" in disposition
    assert b"".join(response.streaming_content).startswith(b"%PDF-")  # type: ignore[arg-type]


def test_text_is_served_as_utf8_text_never_as_html() -> None:
    stored = files.accept_upload(upload("page.txt", b"<script>alert(1)</script>"))
    response = files.file_response(stored, download_name="other.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert 'filename="other.txt"' in response["Content-Disposition"]


def test_extraction_runs_as_a_task_after_commit(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        stored = files.accept_upload(upload("a.txt", b"Rainwater harvesting"))
    stored.refresh_from_db()
    assert stored.extraction_status == StoredFile.Extraction.EXTRACTED
    assert stored.extracted_text == "Rainwater harvesting"


def test_human_size() -> None:
    assert files.human_size(512) == "512 bytes"
    assert files.human_size(2_500_000) == "2.4 MB"
