from django.apps import AppConfig


class ExpertiseConfig(AppConfig):
    name = "solex.expertise"
    label = "expertise"
    verbose_name = "Expertise"
