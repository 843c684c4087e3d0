"""Files on knowledge items: text extracted for search, downloads checked and counted."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from solex.accounts.models import User
from solex.accounts.testing import TEST_PASSWORD, make_partner, make_staff
from solex.communities.models import Community, Visibility
from solex.communities.testing import add_member, make_community
from solex.knowledge.models import ItemAttachment, KnowledgeItem

pytestmark = pytest.mark.django_db

FORM = {
    "title": "Community radio for early warning",
    "summary": "Radio stations relayed flood warnings to villages without phone coverage.",
    "problem": "Text alerts never reached villages without coverage.",
    "approach": "Warnings were read on community radio every hour.",
    "results": "Evacuations began two hours earlier.",
    "conditions": "A local station with a generator.",
    "audience": "community",
}


def logged_in(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=TEST_PASSWORD)
    return client


def docx(text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "word/document.xml",
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>",
        )
    return buffer.getvalue()


@pytest.fixture
def member() -> User:
    return make_staff("mara")


@pytest.fixture
def community(member: User) -> Community:
    community = make_community("Disaster risk", slug="drr")
    add_member(community, member)
    return community


@pytest.fixture
def contribute(django_capture_on_commit_callbacks: Any) -> Callable[..., KnowledgeItem]:
    """Contribute a good practice with a file, running the text extraction it schedules."""

    def run(member: User, community: Community, upload: SimpleUploadedFile) -> KnowledgeItem:
        url = reverse("knowledge:contribute", args=[community.slug, "good_practice"])
        with django_capture_on_commit_callbacks(execute=True):
            response = logged_in(member).post(url, {**FORM, "attachment": upload})
        assert response.status_code == 302
        return KnowledgeItem.objects.get()

    return run


@pytest.mark.parametrize(
    ("name", "data", "word"),
    [
        ("warnings.txt", b"Hourly bulletins in Kiswahili.", "Kiswahili"),
        ("warnings.docx", docx("Generator fuel budget"), "Generator fuel budget"),
    ],
)
def test_an_attachments_text_is_extracted_for_search(
    member: User, community: Community, contribute: Any, name: str, data: bytes, word: str
) -> None:
    item = contribute(member, community, SimpleUploadedFile(name, data))
    attachment = ItemAttachment.objects.select_related("file").get(item=item)
    assert attachment.file is not None
    assert attachment.text_status == "extracted"
    assert word in attachment.file.extracted_text
    page = logged_in(member).get(item.get_absolute_url()).content.decode()
    assert name in page and "text not extracted" not in page


def test_a_file_that_is_not_what_its_name_says_leaves_the_item_saved(
    member: User, community: Community, contribute: Any
) -> None:
    item = contribute(
        member, community, SimpleUploadedFile("report.pdf", b"plain words, not a PDF")
    )
    attachment = ItemAttachment.objects.get(item=item)
    assert attachment.file is None and "not what its name says" in attachment.refusal
    page = logged_in(member).get(item.get_absolute_url(), follow=True).content.decode()
    assert "text not extracted" in page


def test_a_file_that_cannot_be_parsed_is_kept_and_marked(
    member: User, community: Community, contribute: Any
) -> None:
    item = contribute(
        member, community, SimpleUploadedFile("broken.pdf", b"%PDF-1.4\nthis is not a real pdf")
    )
    attachment = ItemAttachment.objects.select_related("file").get(item=item)
    assert attachment.file is not None and attachment.text_status == "not extracted"
    assert "text not extracted" in logged_in(member).get(item.get_absolute_url()).content.decode()


def test_downloads_are_checked_and_counted(
    member: User, community: Community, contribute: Any
) -> None:
    item = contribute(member, community, SimpleUploadedFile("notes.txt", b"Field notes"))
    attachment = ItemAttachment.objects.get(item=item)
    url = reverse("knowledge:attachment-download", args=[attachment.pk])
    response = logged_in(member).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == b"Field notes"  # type: ignore[attr-defined]
    item.refresh_from_db()
    assert item.download_count == 1
    # An organisation community's file: not for partners or anonymous visitors.
    assert Client().get(url).status_code == 404
    assert logged_in(make_partner("pat")).get(url).status_code == 404
    assert item.community.visibility == Visibility.ORGANISATION


def test_a_refused_file_has_nothing_to_download(
    member: User, community: Community, contribute: Any
) -> None:
    item = contribute(member, community, SimpleUploadedFile("report.pdf", b"not a pdf"))
    attachment = ItemAttachment.objects.get(item=item)
    url = reverse("knowledge:attachment-download", args=[attachment.pk])
    assert logged_in(member).get(url).status_code == 404
