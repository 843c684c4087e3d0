from django.urls import URLPattern, URLResolver, path

from solex.consultations import views

app_name = "consultations"
urlpatterns: list[URLPattern | URLResolver] = [
    path("<int:consultation_id>/", views.detail, name="consultation-detail"),
]
