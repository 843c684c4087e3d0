"""The action groups API: the whole workflow, and bad input answered in JSON, never 500."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from solex.accounts.models import User
from solex.accounts.testing import make_staff
from solex.collaboration.models import Task
from solex.communities.testing import add_member, make_community
from solex.exchanges.testing import make_exchange

pytestmark = pytest.mark.django_db


def _call(user: User, method: str, path: str, data: dict[str, Any] | None = None) -> Any:
    client = Client()
    client.force_login(user)
    return client.generic(
        method,
        f"/api/v1/action-groups{path}",
        json.dumps(data or {}),
        content_type="application/json",
    )


def test_an_action_group_through_the_api() -> None:
    community = make_community("Health Network", slug="health", visibility="public")
    lead, ana = make_staff("lead"), make_staff("ana")
    add_member(community, lead)
    add_member(community, ana)
    make_staff("outsider")
    query = make_exchange(community, author=ana, title="Urban immunisation microplans?")
    today = timezone.localdate()
    base = {
        "title": "Microplanning task team",
        "purpose": "Adapt the microplan.",
        "kind": "task_team",
        "starts_on": (today + datetime.timedelta(days=3)).isoformat(),
        "ends_on": (today + datetime.timedelta(days=60)).isoformat(),
    }
    refused = _call(lead, "POST", f"/from/{query.pk}", {**base, "members": ["ana", "outsider"]})
    assert refused.status_code == 409 and "Outsider" in refused.json()["detail"]
    started = _call(lead, "POST", f"/from/{query.pk}", {**base, "members": ["ana"]})
    assert started.status_code == 201, started.content
    group = started.json()
    assert group["source"] == query.pk and {m["username"] for m in group["members"]} == {
        "lead",
        "ana",
    }
    path = f"/{group['id']}"

    early = _call(
        lead, "POST", f"{path}/tasks", {"title": "Collect templates", "due_on": today.isoformat()}
    )
    assert early.status_code == 409 and "before the group starts" in early.json()["detail"]
    task = _call(lead, "POST", f"{path}/tasks", {"title": "Collect templates", "owner": "ana"})
    assert task.status_code == 201
    done = _call(ana, "PATCH", f"/tasks/{task.json()['id']}", {"status": "done"})
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert Task.objects.get().owner == ana
    linked = _call(
        ana, "POST", f"{path}/deliverables", {"title": "Tool", "url": "https://example.org/tool"}
    )
    assert linked.status_code == 201
    closed = _call(
        lead,
        "POST",
        f"{path}/close",
        {"outcome": "Adopted in two districts.", "publish": True, "summary": "Adopted."},
    )
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed" and closed.json()["outcome_item"] is not None
    again = _call(lead, "POST", f"{path}/tasks", {"title": "After"})
    assert again.status_code == 409
