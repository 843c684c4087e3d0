from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "solex.core"
    label = "core"
    verbose_name = "Core"
