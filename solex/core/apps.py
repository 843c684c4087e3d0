from django.apps import AppConfig
from django.core import checks


class CoreConfig(AppConfig):
    name = "solex.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from solex.core.clients import check_trusted_proxies
        from solex.core.schedule import check_periodic_tasks

        checks.register(check_periodic_tasks)
        checks.register(check_trusted_proxies)
