import pytest
from django.core.exceptions import ValidationError
from django.urls import URLResolver, get_resolver

from solex.accounts.models import User
from solex.communities.actions import create_community
from solex.communities.models import RESERVED_SLUGS, Community


def test_every_fixed_page_under_communities_is_a_reserved_address() -> None:
    communities = next(
        entry
        for entry in get_resolver().url_patterns
        if isinstance(entry, URLResolver) and str(entry.pattern) == "communities/"
    )
    fixed = {
        str(entry.pattern).split("/")[0]
        for entry in communities.url_patterns
        if str(entry.pattern) and not str(entry.pattern).startswith("<")
    }
    assert fixed == RESERVED_SLUGS


@pytest.mark.django_db
def test_a_community_cannot_take_the_address_of_a_page(staff: User) -> None:
    staff.is_staff = True  # the KM team may create communities directly
    staff.save(update_fields=["is_staff"])
    with pytest.raises(ValidationError) as error:
        create_community(actor=staff, fields={"name": "New", "purpose": "Anything."})
    assert "slug" in error.value.message_dict
    assert not Community.objects.filter(slug="new").exists()
