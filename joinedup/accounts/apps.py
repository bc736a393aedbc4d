from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "joinedup.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        from joinedup.accounts import signals  # noqa: F401  (audits sign-in and lockouts)
