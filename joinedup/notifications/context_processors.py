from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from joinedup.core.middleware import two_factor_satisfied
from joinedup.notifications import selectors


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    """The header's count of unread notices: one query, and only on a page that shows it."""
    user: Any = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not two_factor_satisfied(request):
        return {"unread_notifications": None}
    return {"unread_notifications": SimpleLazyObject(lambda: selectors.unread_count(viewer=user))}
