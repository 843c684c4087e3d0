from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "solex.knowledge"
    label = "knowledge"
    verbose_name = "Knowledge"
