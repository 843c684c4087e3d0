from django.urls import URLPattern, URLResolver, path

from solex.intake import views

app_name = "intake"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.quarantine, name="quarantine"),
    path("<int:pk>/", views.message_detail, name="message-detail"),
    path("<int:pk>/raw/", views.message_raw, name="message-raw"),
    path("<int:pk>/release/", views.message_release, name="message-release"),
    path("<int:pk>/delete/", views.message_delete, name="message-delete"),
]
