from django.urls import URLPattern, URLResolver, path

from solex.intake import views

app_name = "intake"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.quarantine, name="quarantine"),
    path("<int:message_id>/", views.message_detail, name="message-detail"),
    path("<int:message_id>/raw/", views.message_raw, name="message-raw"),
    path("<int:message_id>/release/", views.message_release, name="message-release"),
    path("<int:message_id>/delete/", views.message_delete, name="message-delete"),
]
