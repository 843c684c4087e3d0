from django.urls import URLPattern, URLResolver, path

from solex.discussions import views

app_name = "discussions"
urlpatterns: list[URLPattern | URLResolver] = [
    path("in/<slug:slug>/", views.community_list, name="community-discussions"),
    path("in/<slug:slug>/start/", views.start, name="discussion-start"),
    path("<int:discussion_id>/", views.detail, name="discussion-detail"),
    path("<int:discussion_id>/post/", views.post, name="discussion-post"),
    path("<int:discussion_id>/invite/", views.invite, name="discussion-invite"),
    path("<int:discussion_id>/summary/", views.summary, name="discussion-summary"),
    path("<int:discussion_id>/close/", views.close, name="discussion-close"),
    path("<int:discussion_id>/synthesis/", views.synthesis, name="discussion-synthesis"),
]
