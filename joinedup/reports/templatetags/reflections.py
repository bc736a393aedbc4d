"""The way into the meeting pulse: on a person's home page, the meetings of the last 14 days
they attended and have not reflected on; on a meeting's page, a link for those who attended."""

from typing import Any

from django import template

from joinedup.reports import reflection_selectors, reflection_services
from joinedup.reports.models_reflections import PulseGiven

register = template.Library()


@register.inclusion_tag("reports/includes/pulses_due.html")
def pulses_due(user: Any) -> dict[str, Any]:
    return {"meetings": reflection_selectors.meetings_to_reflect_on(viewer=user)}


@register.inclusion_tag("reports/includes/pulse_link.html")
def pulse_link(meeting: Any, user: Any) -> dict[str, Any]:
    may_give = (
        reflection_services.is_open(meeting)
        and reflection_services.attended(user, meeting)
        and not PulseGiven.objects.filter(meeting=meeting, user=user).exists()
    )
    return {"meeting": meeting, "may_give": may_give}
