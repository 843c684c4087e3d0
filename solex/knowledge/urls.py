from django.urls import path

from solex.knowledge import views
from solex.knowledge.consolidated import views as consolidated

app_name = "knowledge"
urlpatterns = [
    path("", views.item_list, name="item-list"),
    path("items/<int:pk>/", views.item_detail, name="item-detail"),
    path(
        "after-action-reviews/<slug:slug>/",
        views.after_action_review,
        name="after-action-review",
    ),
    path("consolidated-replies/<int:pk>/", consolidated.detail, name="consolidated-reply"),
    path(
        "queries/<int:exchange_id>/consolidated-reply/",
        consolidated.editor,
        name="consolidated-reply-editor",
    ),
]
