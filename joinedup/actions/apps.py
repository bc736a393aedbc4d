from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "joinedup.actions"
    verbose_name = "Actions"

    def ready(self) -> None:
        # Actions about a child appear on the child's timeline.
        from joinedup.actions import timeline  # noqa: F401
