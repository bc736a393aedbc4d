from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.urls import URLPattern, URLResolver, get_resolver

from joinedup.core.permissions import policy_for


def iter_view_names(
    patterns: list[Any] | None = None, namespace: str = ""
) -> Iterator[tuple[str, URLPattern]]:
    """Every named page of the URLconf as ("namespace:name", pattern)."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            prefix = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            yield from iter_view_names(pattern.url_patterns, prefix)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else (pattern.name or "")
            yield name, pattern


@register(Tags.security, Tags.urls)
def every_page_has_an_access_policy(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    return [
        Error(
            f"The page {name or pattern.pattern!s} has no entry in core.permissions.PAGE_POLICY.",
            hint="Name the URL and declare who may open it.",
            id="joinedup.E001",
        )
        for name, pattern in iter_view_names()
        if not name or policy_for(name) is None
    ]


@register(Tags.security, deploy=True)
def secret_key_is_set(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if settings.SECRET_KEY.startswith("django-insecure-joinedup"):
        return [
            Warning(
                "SECRET_KEY is the development key.",
                hint="Set the SECRET_KEY environment variable (see docs/configuration.md).",
                id="joinedup.W001",
            )
        ]
    return []
