from django.http import HttpRequest, HttpResponse

from solex.exchanges.views import exchange_page


def detail(request: HttpRequest, action_group_id: int) -> HttpResponse:
    """Until this kind has its own page, show the shared exchange page."""
    return exchange_page(request, action_group_id)
