from django.urls import path

from solex.exchanges import views

app_name = "exchanges"
urlpatterns = [
    path("in/<slug:slug>/", views.community_exchanges, name="community-exchanges"),
    path("in/<slug:slug>/ask/", views.exchange_ask, name="exchange-ask"),
    path("in/<slug:slug>/ask/draft/", views.exchange_ask_draft, name="exchange-ask-draft"),
    path("in/<slug:slug>/similar/", views.exchange_similar, name="exchange-similar"),
    path("in/<slug:slug>/direct/", views.exchange_direct, name="exchange-direct"),
    path("in/<slug:slug>/settings/", views.exchange_settings, name="exchange-settings"),
    path("<int:exchange_id>/", views.exchange_detail, name="exchange-detail"),
    path("<int:exchange_id>/reply/", views.exchange_reply, name="exchange-reply"),
    path("<int:exchange_id>/reply/draft/", views.exchange_reply_draft, name="exchange-reply-draft"),
    path("files/<int:attachment_id>/", views.attachment_download, name="attachment-download"),
    path("<int:exchange_id>/sharpen/", views.exchange_sharpen, name="exchange-sharpen"),
    path("<int:exchange_id>/release/", views.exchange_release, name="exchange-release"),
    path("<int:exchange_id>/route/", views.exchange_route, name="exchange-route"),
    path("<int:exchange_id>/close/", views.exchange_close, name="exchange-close"),
    path("<int:exchange_id>/merge/", views.exchange_merge, name="exchange-merge"),
    path("<int:exchange_id>/hand-off/", views.exchange_hand_off, name="exchange-hand-off"),
    path("<int:exchange_id>/lock/", views.exchange_lock, name="exchange-lock"),
    path("<int:exchange_id>/unlock/", views.exchange_unlock, name="exchange-unlock"),
    path("<int:exchange_id>/connect/", views.exchange_connect, name="exchange-connect"),
    path("<int:exchange_id>/publish/", views.exchange_publish, name="exchange-publish"),
    path("<int:exchange_id>/library/", views.exchange_library, name="exchange-library"),
    path("replies/<int:reply_id>/helpful/", views.reply_helpful, name="reply-helpful"),
    path("replies/<int:reply_id>/edit/", views.reply_edit, name="reply-edit"),
    path("replies/<int:reply_id>/hide/", views.reply_hide, name="reply-hide"),
    path("replies/<int:reply_id>/show/", views.reply_show, name="reply-show"),
]
