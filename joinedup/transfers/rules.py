"""What an accepted transfer changes elsewhere, as rules other apps ask rather than special
cases they keep: which referrals were handed over (their panel is no longer the child's panel,
so its coordinators no longer need to know who the child is), and whether a transferred case
still needs the family's consent to be discussed at its new panel."""

from typing import Any

from django.db.models import Exists, OuterRef
from django.utils import timezone

from joinedup.transfers.models import Transfer, TransferStatus


def handed_over() -> Exists:
    """For a queryset of referrals: true for a referral whose panel handed the child's case to
    another panel by a transfer accepted after the referral arrived. A later referral to the
    same panel (the child moving back) is not handed over."""
    return Exists(
        Transfer.objects.filter(
            child=OuterRef("child"),
            from_panel=OuterRef("panel"),
            status=TransferStatus.ACCEPTED,
            accepted_at__gte=OuterRef("submitted_at"),
        )
    )


def was_handed_over(*, child: Any, panel_id: Any) -> bool:
    """Whether `panel_id` handed this child's case on at some time."""
    return Transfer.objects.filter(
        child=child, from_panel_id=panel_id, status=TransferStatus.ACCEPTED
    ).exists()


def panel_consent_to_seek(*, child: Any, panel: Any) -> str | None:
    """Why a case transferred to `panel` cannot go on its agenda yet, or None.

    Consent to discussion at the panel does not travel with the case: the family agreed to
    their case being discussed by the panel they were told about, the people of their old
    locality. After a transfer it must be sought again, and only consent to panel discussion
    recorded since the transfer was accepted counts at the new panel."""
    from joinedup.consent import rules as consent_rules
    from joinedup.consent.models import ConsentRecord, Scope

    transfer = (
        Transfer.objects.filter(child=child, to_panel=panel, status=TransferStatus.ACCEPTED)
        .select_related("from_panel")
        .order_by("-accepted_at")
        .first()
    )
    if transfer is None or transfer.accepted_at is None:
        return None
    records = ConsentRecord.objects.filter(
        child=child, scope=Scope.PANEL_DISCUSSION
    ).select_related("household_member")
    standing = consent_rules.standing_of(
        records, scope=Scope.PANEL_DISCUSSION, today=timezone.localdate()
    )
    if any(record.created_at >= transfer.accepted_at for record in standing.in_force):
        return None
    return consent_sought_again_message(transfer)


def consent_sought_again_message(transfer: Transfer) -> str:
    accepted = timezone.localtime(transfer.accepted_at or timezone.now())
    return (
        f"{transfer.child.pseudonym} came to the {transfer.to_panel.name} from the "
        f"{transfer.from_panel.name} on {accepted:%d %B %Y}. The family agreed to their case "
        f"being discussed at the {transfer.from_panel.name}, not at this panel: ask them again, "
        "and record their consent to discussion at the panel, before the case goes on an agenda"
    )
