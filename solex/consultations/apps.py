from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "solex.consultations"
    label = "consultations"
    verbose_name = "Consultations"
