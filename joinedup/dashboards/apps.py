from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "joinedup.dashboards"
    verbose_name = "Dashboards"
