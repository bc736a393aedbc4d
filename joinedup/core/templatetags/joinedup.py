from typing import Any

from django import template

from joinedup.core.permissions import may_open, policy_for

register = template.Library()


@register.filter
def can_open(user: Any, view_name: str) -> bool:
    """Whether to offer a link: asks the access policy, so templates never decide access."""
    access = policy_for(view_name)
    if access is None or not getattr(user, "is_authenticated", False):
        return False
    return may_open(user, access)
