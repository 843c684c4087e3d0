from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from solex.api import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("solex.core.urls")),
    path("accounts/", include("solex.accounts.urls")),
    path("communities/", include("solex.communities.urls")),
    path("people/", include("solex.people.urls")),
    path("knowledge/", include("solex.knowledge.urls")),
    path("exchanges/", include("solex.exchanges.urls")),
    path("notifications/", include("solex.notifications.urls")),
    path("facilitation/", include("solex.exchanges.workspace.urls")),
    path("consultations/", include("solex.consultations.urls")),
    path("discussions/", include("solex.discussions.urls")),
    path("collaboration/", include("solex.collaboration.urls")),
    path("search/", include("solex.search.urls")),
    path("mail/", include("solex.digests.urls")),
    path("quarantine/", include("solex.intake.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "solex.core.errors.bad_request"
handler403 = "solex.core.errors.permission_denied"
handler404 = "solex.core.errors.page_not_found"
handler500 = "solex.core.errors.server_error"
