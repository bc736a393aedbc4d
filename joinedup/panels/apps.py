from django.apps import AppConfig


class PanelsConfig(AppConfig):
    name = "joinedup.panels"
    verbose_name = "Panels"

    def ready(self) -> None:
        from joinedup.panels import receivers  # noqa: F401  (connects the signal receivers)
