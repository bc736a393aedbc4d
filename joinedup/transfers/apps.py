from django.apps import AppConfig


class TransfersConfig(AppConfig):
    name = "joinedup.transfers"
    verbose_name = "Transfers"
