from django.urls import URLPattern, URLResolver, path

from solex.search import views

app_name = "search"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.search, name="search"),
    path("topics/<slug:topic_slug>/", views.topic, name="topic"),
]
