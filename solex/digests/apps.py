from django.apps import AppConfig


class DigestsConfig(AppConfig):
    name = "solex.digests"
    label = "digests"
    verbose_name = "Digests"
