from django.apps import AppConfig


class ChildrenConfig(AppConfig):
    name = "joinedup.children"
    label = "children"
    verbose_name = "Children"
