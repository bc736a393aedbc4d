from datetime import date, datetime

from django import template
from django.utils import timezone

register = template.Library()


def _local(day: date | datetime) -> date:
    return timezone.localtime(day).date() if isinstance(day, datetime) else day


def _days(number: int) -> str:
    return f"{number} day{'' if number == 1 else 's'}"


@register.filter
def in_words(day: date | datetime | None) -> str:
    """A date as people say it on a dashboard: "overdue by 3 days", "today", "in 5 days"."""
    if day is None:
        return ""
    difference = (_local(day) - timezone.localdate()).days
    if difference < 0:
        return f"overdue by {_days(-difference)}"
    if difference == 0:
        return "today"
    if difference == 1:
        return "tomorrow"
    return f"in {_days(difference)}"


@register.filter
def ago_in_words(day: date | datetime | None) -> str:
    """How long ago, for what has already happened: "3 days ago", "today"."""
    if day is None:
        return ""
    difference = (timezone.localdate() - _local(day)).days
    if difference <= 0:
        return "today"
    if difference == 1:
        return "yesterday"
    return f"{_days(difference)} ago"
