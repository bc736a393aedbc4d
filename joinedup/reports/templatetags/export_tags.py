"""For the report page's download links (reports/_export_links.html)."""

from typing import Any

from django import template

from joinedup.core.permissions import PAGE_POLICY, may_open

register = template.Library()


@register.filter
def may_export(user: Any) -> bool:
    """Whether the person may download the quarterly return and the steering group report
    (the page policy of reports:return_csv; which scopes, builder_selectors.may_see_scope)."""
    return bool(getattr(user, "is_authenticated", False)) and may_open(
        user, PAGE_POLICY["reports:return_csv"]
    )
