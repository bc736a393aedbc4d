from django.apps import AppConfig


class PanelsConfig(AppConfig):
    name = "joinedup.panels"
    verbose_name = "Panels"
