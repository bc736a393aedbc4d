from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "joinedup.actions"
    verbose_name = "Actions"
