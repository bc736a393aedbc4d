from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "joinedup.tracking"
    label = "tracking"
    verbose_name = "Tracking: duplication and gaps"
