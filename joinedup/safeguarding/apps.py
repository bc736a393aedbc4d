from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "joinedup.safeguarding"
    verbose_name = "Safeguarding"
