from django.urls import path

from solex.digests import views

app_name = "digests"
urlpatterns = [
    path("unsubscribe/<str:key>/", views.unsubscribe, name="unsubscribe"),
    path("settings/", views.preferences, name="preferences"),
    path("settings/resume/", views.reenable, name="reenable"),
    path("in/<slug:slug>/top5/", views.top_five, name="top-five"),
]
