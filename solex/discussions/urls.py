from django.urls import URLPattern, URLResolver

app_name = "discussions"
urlpatterns: list[URLPattern | URLResolver] = []
