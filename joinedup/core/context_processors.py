from typing import Any

from django.conf import settings
from django.http import HttpRequest

from joinedup.core.middleware import two_factor_satisfied
from joinedup.core.navigation import navigation_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user: Any = getattr(request, "user", None)
    context: dict[str, Any] = {"demo_mode": settings.JOINEDUP_DEMO, "navigation": []}
    if user is None or not user.is_authenticated or not two_factor_satisfied(request):
        return context
    current = request.resolver_match.view_name if request.resolver_match else ""
    context["navigation"] = [
        {
            "label": link.label,
            "url": link.url,
            "current": current in (link.url_name, *link.also_current),
        }
        for link in navigation_for(user)
    ]
    return context
