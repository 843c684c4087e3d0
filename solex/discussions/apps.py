from django.apps import AppConfig


class DiscussionsConfig(AppConfig):
    name = "solex.discussions"
    label = "discussions"
    verbose_name = "Discussions"
