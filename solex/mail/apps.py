from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "solex.mail"
    label = "mail"
    verbose_name = "Mail"
