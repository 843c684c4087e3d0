from django.urls import path

from solex.communities import views

app_name = "communities"
urlpatterns = [
    path("", views.community_list, name="community-list"),
    path("new/", views.community_request, name="community-request"),
    path("requests/", views.community_request_list, name="community-request-list"),
    path(
        "requests/<int:pk>/approve/",
        views.community_request_approve,
        name="community-request-approve",
    ),
    path(
        "requests/<int:pk>/decline/",
        views.community_request_decline,
        name="community-request-decline",
    ),
    path("crisis/", views.crisis_launch, name="crisis-launch"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("<slug:slug>/", views.community_detail, name="community-detail"),
    path("<slug:slug>/charter/", views.community_charter, name="community-charter"),
    path("<slug:slug>/edit/", views.community_edit, name="community-edit"),
    path("<slug:slug>/join/", views.community_join, name="community-join"),
    path("<slug:slug>/leave/", views.community_leave, name="community-leave"),
    path("<slug:slug>/delivery/", views.membership_delivery, name="membership-delivery"),
    path("<slug:slug>/join-requests/", views.join_request_list, name="join-request-list"),
    path("<slug:slug>/join-requests/new/", views.join_request_create, name="join-request-create"),
    path(
        "<slug:slug>/join-requests/<int:pk>/approve/",
        views.join_request_approve,
        name="join-request-approve",
    ),
    path(
        "<slug:slug>/join-requests/<int:pk>/decline/",
        views.join_request_decline,
        name="join-request-decline",
    ),
    path("<slug:slug>/members/", views.member_list, name="member-list"),
    path("<slug:slug>/members/<int:user_id>/roles/", views.member_roles, name="member-roles"),
    path("<slug:slug>/members/<int:user_id>/remove/", views.member_remove, name="member-remove"),
    path("<slug:slug>/invite/", views.community_invite, name="community-invite"),
    path(
        "<slug:slug>/invitations/<int:invitation_id>/withdraw/",
        views.invitation_withdraw,
        name="invitation-withdraw",
    ),
    path("<slug:slug>/audit/", views.community_audit, name="community-audit"),
]
