from django.apps import AppConfig


class CollaborationConfig(AppConfig):
    name = "solex.collaboration"
    label = "collaboration"
    verbose_name = "Collaboration"
