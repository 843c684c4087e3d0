from django.urls import path

from solex.knowledge import views
from solex.knowledge.consolidated import views as consolidated

app_name = "knowledge"
urlpatterns = [
    path("", views.item_list, name="item-list"),
    path("items/<int:pk>/", views.item_detail, name="item-detail"),
    path("items/<int:pk>/edit/", views.item_edit, name="item-edit"),
    path("items/<int:pk>/versions/", views.item_versions, name="item-versions"),
    path("items/<int:pk>/versions/<int:number>/", views.item_version, name="item-version"),
    path("items/<int:pk>/useful/", views.item_useful, name="item-useful"),
    path("items/<int:pk>/review/", views.item_review, name="item-review"),
    path(
        "attachments/<int:knowledge_attachment_id>/",
        views.attachment_download,
        name="attachment-download",
    ),
    path("review/", views.review_queue, name="review-queue"),
    path("portal/", views.portal, name="portal"),
    path("portal/feed.atom", views.portal_feed, name="portal-feed"),
    path("in/<slug:slug>/contribute/", views.contribute_choose, name="contribute-choose"),
    path("in/<slug:slug>/contribute/<slug:kind>/", views.contribute, name="contribute"),
    path("in/<slug:slug>/handovers/new/", views.handover_create, name="handover-create"),
    path("handovers/<int:handover_id>/", views.handover_detail, name="handover-detail"),
    path("handovers/<int:handover_id>/sign/", views.handover_sign, name="handover-sign"),
    path("handovers/<int:handover_id>/publish/", views.handover_publish, name="handover-publish"),
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
