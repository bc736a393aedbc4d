"""Information-governance events on the child's timeline (joinedup.children.timeline): a
correction of the record, a restriction of processing and its lifting, and anonymisation after
the retention period. Old and new values are not repeated: they may be names."""

from typing import Any

from django.db.models import Min

from joinedup.children import timeline
from joinedup.records.models import Rectification, Restriction, RetentionApplied


def _name(user: Any) -> str:
    return user.display_name if user is not None else ""


@timeline.source
def rights(context: timeline.TimelineContext) -> list[timeline.Event]:
    child = context.child
    events = [
        timeline.Event(
            at=correction.created_at,
            kind=timeline.Kind.RECORD,
            what=f"{correction.what_corrected} corrected, as asked by {correction.requested_by}",
            who=_name(correction.recorded_by),
            person_id=correction.recorded_by_id,
        )
        for correction in Rectification.objects.filter(child=child).select_related(
            "recorded_by", "household_member"
        )
    ]
    for restriction in Restriction.objects.filter(child=child).select_related(
        "started_by", "lifted_by"
    ):
        events.append(
            timeline.Event(
                at=restriction.created_at,
                kind=timeline.Kind.RECORD,
                what="Processing restricted: no agenda, referral or plan while it stands",
                who=_name(restriction.started_by),
                person_id=restriction.started_by_id,
            )
        )
        if restriction.lifted_at is not None:
            events.append(
                timeline.Event(
                    at=restriction.lifted_at,
                    kind=timeline.Kind.RECORD,
                    what="Restriction of processing lifted",
                    who=_name(restriction.lifted_by),
                    person_id=restriction.lifted_by_id,
                )
            )
    anonymised = RetentionApplied.objects.filter(child=child).aggregate(at=Min("applied_at"))
    if anonymised["at"] is not None:
        events.append(
            timeline.Event(
                at=anonymised["at"],
                kind=timeline.Kind.RECORD,
                what="Anonymised after the retention period: names and details removed",
            )
        )
    return events
