from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "solex.intake"
    label = "intake"
    verbose_name = "Mail intake"
