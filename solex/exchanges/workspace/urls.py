from django.urls import path

from solex.exchanges.workspace import views

app_name = "workspace"
urlpatterns = [
    path("", views.queue, name="queue"),
    path(
        "communities/<slug:slug>/members/<str:username>/welcome/",
        views.member_welcome,
        name="member-welcome",
    ),
]
