"""The subject access copy on paper: any section of the export as readable HTML, with every
other person's name marked for the officer's review before release."""

import re
from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _label(key: str) -> str:
    return key.replace("_", " ").capitalize()


def _text(value: Any, flagged: list[str]) -> str:
    if value is None or value == "":
        return "None"
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    text = str(escape(str(value)))
    for name in sorted(flagged, key=len, reverse=True):
        escaped = re.escape(str(escape(name)))
        text = re.sub(
            rf"(?<!\w)({escaped})(?!\w)",
            r'<mark class="app-third-party">\1 [other person: review]</mark>',
            text,
            flags=re.I,
        )
    return text.replace("\n", "<br>")


def _html(value: Any, flagged: list[str]) -> str:
    if isinstance(value, dict):
        if not value:
            return '<p class="app-empty">None recorded.</p>'
        rows = "".join(
            f"<dt>{escape(_label(key))}</dt><dd>{_html(item, flagged)}</dd>"
            for key, item in value.items()
        )
        return f'<dl class="app-record">{rows}</dl>'
    if isinstance(value, list):
        if not value:
            return '<p class="app-empty">None recorded.</p>'
        if all(not isinstance(item, dict | list) for item in value):
            return ", ".join(_text(item, flagged) for item in value)
        return "".join(
            f'<div class="app-record-item">{_html(item, flagged)}</div>' for item in value
        )
    return _text(value, flagged)


@register.simple_tag
def sar_section(value: Any, flagged: list[str]) -> SafeString:
    # Every value is escaped in _text before any markup is added around it.
    return mark_safe(_html(value, flagged))  # noqa: S308


@register.filter
def section_of(data: dict[str, Any], key: str) -> Any:
    return data.get(key)
