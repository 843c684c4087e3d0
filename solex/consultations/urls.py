from django.urls import URLPattern, URLResolver, path

from solex.consultations import views

app_name = "consultations"
urlpatterns: list[URLPattern | URLResolver] = [
    path("in/<slug:slug>/", views.community_list, name="community-consultations"),
    path("start/<slug:slug>/", views.start, name="consultation-start"),
    path("<int:consultation_id>/", views.detail, name="consultation-detail"),
    path(
        "<int:consultation_id>/versions/<int:number>/file/",
        views.attachment,
        name="consultation-attachment",
    ),
    path("<int:consultation_id>/comment/", views.comment, name="consultation-comment"),
    path("<int:consultation_id>/new-version/", views.new_version, name="consultation-new-version"),
    path("<int:consultation_id>/close/", views.close, name="consultation-close"),
    path("<int:consultation_id>/responses/", views.responses, name="responses"),
    path("<int:consultation_id>/summary/edit/", views.summary_editor, name="summary-editor"),
    path("<int:consultation_id>/summary/", views.summary, name="summary"),
]
