from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "solex.accounts"
    label = "accounts"
    verbose_name = "Accounts"
