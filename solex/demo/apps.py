from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "solex.demo"
    label = "demo"
    verbose_name = "Demo data"
