from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "solex.search"
    label = "search"
    verbose_name = "Search"
