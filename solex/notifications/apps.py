from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "solex.notifications"
    label = "notifications"
    verbose_name = "Notifications"
