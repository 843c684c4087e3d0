from django.apps import AppConfig


class CommunitiesConfig(AppConfig):
    name = "solex.communities"
    label = "communities"
    verbose_name = "Communities"
