from django.urls import URLPattern, URLResolver, path

from solex.collaboration import views

app_name = "collaboration"
urlpatterns: list[URLPattern | URLResolver] = [
    path("<int:action_group_id>/", views.detail, name="action-group-detail"),
]
