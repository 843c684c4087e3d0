from django.urls import URLPattern, URLResolver, path

from solex.discussions import views

app_name = "discussions"
urlpatterns: list[URLPattern | URLResolver] = [
    path("<int:discussion_id>/", views.detail, name="discussion-detail"),
]
