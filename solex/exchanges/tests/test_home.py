import pytest
from django.test import Client

from solex.accounts.models import User
from solex.communities.models import Role
from solex.communities.testing import add_member, make_community
from solex.exchanges.models import Status
from solex.exchanges.testing import make_exchange

pytestmark = pytest.mark.django_db


def test_a_facilitator_finds_the_way_to_their_queue_from_the_home_page(
    client: Client, staff: User
) -> None:
    community = make_community("Health CoP")
    add_member(community, staff, Role.FACILITATOR)
    make_exchange(community, status=Status.TRIAGE)
    make_exchange(community, status=Status.TRIAGE)
    client.force_login(staff)

    page = client.get("/").content.decode()

    assert "2 queries wait for triage." in page
    assert 'href="/facilitation/"' in page


def test_members_without_a_facilitation_role_see_no_queue(client: Client, staff: User) -> None:
    add_member(make_community("Health CoP"), staff, Role.EXPERT)
    client.force_login(staff)

    assert "facilitation queue" not in client.get("/").content.decode()
