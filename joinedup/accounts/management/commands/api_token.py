from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from joinedup.accounts import services
from joinedup.accounts.models import ApiToken, User
from joinedup.organisations.models import Organisation


class Command(BaseCommand):
    help = "Issue or revoke an organisation's API token. The key is printed once, on issue."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        issue = sub.add_parser("issue", help="Issue a token")
        issue.add_argument("--organisation", required=True, help="the organisation's slug")
        issue.add_argument("--user", required=True, help="email of the person who answers for it")
        issue.add_argument("--name", required=True, help="what the token is for, e.g. 'School MIS'")
        revoke = sub.add_parser("revoke", help="Revoke a token")
        revoke.add_argument("prefix", help="the start of the key (up to 12 characters)")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "issue":
            organisation = Organisation.objects.filter(slug=options["organisation"]).first()
            user = User.objects.filter(email__iexact=options["user"]).first()
            if organisation is None:
                raise CommandError(f"No organisation with the slug {options['organisation']!r}")
            if user is None:
                raise CommandError(f"No person with the email address {options['user']!r}")
            try:
                token, key = services.api_token_issue(
                    actor=None, organisation=organisation, user=user, name=options["name"]
                )
            except services.AccountError as error:
                raise CommandError(error.message) from error
            self.stdout.write(f"Token {token} issued. Its key, shown only now:\n{key}")
            return
        given = options["prefix"]
        matches = list(
            ApiToken.objects.filter(prefix__startswith=given[:12], revoked_at__isnull=True)
        )
        if not matches:
            raise CommandError(f"No active token starts with {options['prefix']!r}")
        if len(matches) > 1:
            raise CommandError("More than one token starts with that: give all 12 characters")
        active = matches[0]
        services.api_token_revoke(actor=None, token=active)
        self.stdout.write(f"Token {active} revoked.")
