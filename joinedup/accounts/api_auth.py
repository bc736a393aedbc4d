import hashlib
from typing import Any

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from joinedup.accounts.models import ApiToken, Membership


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class OrganisationTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Token <key>`. The request acts as the token's person, for the token's
    organisation, and only while that person still holds a role there."""

    keyword = "Token"

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).decode(errors="replace")
        scheme, _, key = header.partition(" ")
        # Authentication scheme names are case-insensitive (RFC 9110).
        if scheme.lower() != self.keyword.lower():
            return None
        key = key.strip()
        token = (
            ApiToken.objects.select_related("user", "organisation")
            .filter(key_hash=hash_key(key), revoked_at__isnull=True)
            .first()
            if key
            else None
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("The token is not valid or has been revoked.")
        if (
            not Membership.objects.active()
            .filter(user=token.user, organisation=token.organisation)
            .exists()
        ):
            raise exceptions.AuthenticationFailed(
                "The token's person no longer holds a role in its organisation."
            )
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class OrganisationTokenScheme(OpenApiAuthenticationExtension):
    """Describes the token to the OpenAPI schema."""

    target_class = OrganisationTokenAuthentication
    name = "organisationToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>`, issued to your organisation by its administrator.",
        }
