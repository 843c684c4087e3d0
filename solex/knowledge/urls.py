from django.urls import path

from solex.knowledge import views

app_name = "knowledge"
urlpatterns = [
    path("", views.item_list, name="item-list"),
    path("items/<int:pk>/", views.item_detail, name="item-detail"),
    path(
        "after-action-reviews/<slug:slug>/",
        views.after_action_review,
        name="after-action-review",
    ),
]
