from django.apps import AppConfig


class TransfersConfig(AppConfig):
    name = "joinedup.transfers"
    verbose_name = "Transfers"

    def ready(self) -> None:
        # Transfers appear on the child's timeline.
        from joinedup.transfers import timeline  # noqa: F401
