from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "joinedup.organisations"
    label = "organisations"
    verbose_name = "Organisations and localities"
