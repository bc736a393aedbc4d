from django.apps import AppConfig


class RecordsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "joinedup.records"
    verbose_name = "Retention and rights"
