from django.apps import AppConfig


class ExchangesConfig(AppConfig):
    name = "solex.exchanges"
    label = "exchanges"
    verbose_name = "Exchanges"
