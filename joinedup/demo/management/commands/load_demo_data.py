from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from joinedup.demo.loader import (
    DEFAULT_SEED,
    DEMO_PASSWORD,
    DemoLogin,
    demo_logins,
    demo_totp_secret,
    load_demo_data,
)


class Command(BaseCommand):
    help = (
        "Load the demo partnership (localities, organisations and one person per role). "
        "Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="Faker seed")
        parser.add_argument("--logins-only", action="store_true", help="Only print the demo logins")

    def handle(self, *args: Any, seed: int, logins_only: bool, **options: Any) -> None:
        logins = demo_logins() if logins_only else load_demo_data(seed=seed)
        if options["verbosity"] == 0:
            return
        if not logins_only:
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.print_logins(logins)

    def print_logins(self, logins: list[DemoLogin]) -> None:
        width = max((len(login.email) for login in logins), default=20)
        self.stdout.write("")
        self.stdout.write(f"Demo logins (every password is: {DEMO_PASSWORD})")
        self.stdout.write("-" * (width + 50))
        for login in logins:
            self.stdout.write(f"{login.email.ljust(width)}  {login.roles}")
        self.stdout.write("-" * (width + 50))
        self.stdout.write(
            "Two-factor: on the code page choose 'Skip for the demo', or add this key to an "
            f"authenticator app: {demo_totp_secret()}"
        )
        self.stdout.write("")
