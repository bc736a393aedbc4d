from django.apps import AppConfig


class RecordsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "joinedup.records"
    verbose_name = "Retention and rights"

    def ready(self) -> None:
        # Corrections, restrictions and anonymisation appear on the child's timeline.
        from joinedup.records import timeline  # noqa: F401
