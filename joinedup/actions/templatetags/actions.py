from typing import Any

from django import template

from joinedup.actions import selectors

register = template.Library()


@register.inclusion_tag("actions/_for_meeting.html", takes_context=True)
def meeting_actions(context: dict[str, Any], meeting: Any) -> dict[str, Any]:
    """The meeting page's actions section: `{% load actions %}{% meeting_actions meeting %}`."""
    return {
        "meeting": meeting,
        "meeting_actions": selectors.actions_for_meeting(
            viewer=context["request"].user, meeting=meeting
        ),
    }
