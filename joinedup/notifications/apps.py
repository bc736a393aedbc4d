from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "joinedup.notifications"
    verbose_name = "Notifications"
