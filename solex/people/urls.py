from django.urls import URLPattern, path

from solex.people import views

app_name = "people"
urlpatterns: list[URLPattern] = [
    path("", views.directory, name="directory"),
    # Before "<username>/": these two words are not profiles.
    path("who-knows/", views.who_knows, name="who-knows"),
    path("expertise-gaps/", views.expertise_gaps, name="expertise-gaps"),
    path("<str:username>/", views.profile, name="profile"),
    path("<str:username>/edit/", views.profile_edit, name="profile-edit"),
    path("<str:username>/data/", views.data_export, name="data-export"),
    path("<str:username>/erase/", views.erase, name="erase"),
    path("<str:username>/expertise/", views.expertise_declare, name="expertise-declare"),
    path(
        "<str:username>/expertise/<int:claim_id>/withdraw/",
        views.expertise_withdraw,
        name="expertise-withdraw",
    ),
    path(
        "<str:username>/expertise/<int:claim_id>/endorse/",
        views.expertise_endorse,
        name="expertise-endorse",
    ),
    path(
        "<str:username>/expertise/<int:claim_id>/endorsement/withdraw/",
        views.endorsement_withdraw,
        name="endorsement-withdraw",
    ),
]
