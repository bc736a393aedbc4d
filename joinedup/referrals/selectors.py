from typing import Any

from django.http import Http404

from joinedup.core import audit
from joinedup.referrals.models import Referral


@audit.audited_read(fields=("child", "status", "eligibility", "signposting"))
def referrals_made_by(*, viewer: Any) -> list[Referral]:
    return list(
        Referral.objects.filter(referrer=viewer)
        .select_related("child", "child__locality", "referring_organisation")
        .order_by("-submitted_at")
    )


@audit.audited_read(fields=("child", "status", "eligibility", "signposting"))
def referral_made_by(*, viewer: Any, referral_id: Any) -> Referral:
    referral = (
        Referral.objects.filter(referrer=viewer, pk=referral_id)
        .select_related("child", "child__locality", "referring_organisation")
        .first()
    )
    if referral is None:
        raise Http404("No referral of yours with this id.")
    return referral
