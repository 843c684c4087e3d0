"""The exchanges' attachment and draft routes in the authorization matrix (see table.py).

The exchange is the world's open query asked by "member" (test_matrix.py); here it
gets a file on the query itself.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from solex.communities.models import Community
from solex.core.models import StoredFile
from solex.exchanges.models import Attachment, Draft
from solex.exchanges.testing import make_attachment
from tests.authz.table import ANY, MODERATORS, REDIRECTS, Route, row

A401 = 401

# fmt: off
PAGES: dict[str, Route] = {
    # Saving a draft answers with the page it came from (302), for whoever may use the form.
    "exchanges:exchange-ask-draft": Route(
        "POST", row(302, 403, 403, 302, 302, 302, 302, 403), {"body": "Half a question"},
        login_required=True),
    "exchanges:exchange-reply-draft": Route(
        "POST", REDIRECTS, {"body": "Half a reply"}, login_required=True),
    # A download is the file itself, not a page: no community name to look for in it
    # (shows_invited_community only turns that check off; invisible is still 404).
    "exchanges:attachment-download": Route("GET", ANY, shows_invited_community=True),
    "exchanges:exchange-library": Route("GET", MODERATORS, login_required=True),
}
API: dict[str, Route] = {
    # Sent as JSON, so without a file: those who may attach are told to choose one (409).
    "POST /exchanges/{exchange_id}/attachments": Route(
        "POST", row(A401, 403, 403, 409, 403, 409, 409, 409), login_required=True),
    "GET /exchanges/attachments/{attachment_id}": Route(
        "GET", ANY, shows_invited_community=True),
}
# fmt: on

COUNTED: list[type[Model]] = [Attachment, Draft, StoredFile]


def build(world: Any, visibility: str, community: Community) -> dict[str, str]:
    exchange = world.exchanges[visibility]
    attachment = make_attachment(
        exchange, name="field-notes.txt", data=b"Notes from the field visit to Zomba."
    )
    return {"attachment_id": str(attachment.pk)}
