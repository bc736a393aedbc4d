from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from joinedup.core import audit
from joinedup.panels.models import AgendaItem, PanelMember
from joinedup.referrals.models import IdentityStatus, PossibleMatch, Referral, ReferralStatus


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


def _coordinated_by(viewer: Any) -> QuerySet[Referral]:
    return Referral.objects.filter(panel__in=PanelMember.objects.panels_coordinated_by(viewer))


# The inbox's views, in the order a coordinator works through them.
INBOX_VIEWS: dict[str, tuple[str, Q]] = {
    "to_check": ("Who is this child?", Q(identity_status=IdentityStatus.TO_CHECK)),
    "safeguarding": ("Safeguarding", Q(status=ReferralStatus.SAFEGUARDING)),
    "deferred": ("Decided later", Q(identity_status=IdentityStatus.DEFERRED)),
    "not_eligible": ("Not eligible", Q(status=ReferralStatus.NOT_ELIGIBLE)),
    "all": ("All", Q()),
}


@audit.audit_exempt(reason="Counts referrals per inbox view; reads no record's contents.")
def referral_inbox_counts(*, viewer: Any) -> dict[str, int]:
    referrals = _coordinated_by(viewer)
    return {
        name: referrals.filter(condition).count() for name, (_, condition) in INBOX_VIEWS.items()
    }


class InboxPage(list[Referral]):
    """The referrals on one page (a list, so each is audited) with Django's page for links."""

    def __init__(self, referrals: list[Referral], page: Page[Referral]) -> None:
        super().__init__(referrals)
        self.page = page


@audit.audited_read(fields=("child", "status", "identity_status", "urgency"))
def referral_inbox(*, viewer: Any, view: str, page: int | str = 1, per_page: int = 25) -> InboxPage:
    """One page of the referrals sent to the panels the viewer coordinates, most urgent
    first within each day. Returns the page's referrals; `inbox_page` gives the pager."""
    _, condition = INBOX_VIEWS.get(view, INBOX_VIEWS["all"])
    referrals = (
        _coordinated_by(viewer)
        .filter(condition)
        .select_related("child", "child__locality", "referring_organisation", "panel")
        .order_by("-submitted_at")
    )
    paginator = Paginator(referrals, per_page)
    current = paginator.get_page(page)
    return InboxPage(list(current.object_list), current)


@audit.audited_read(
    fields=(
        "child",
        "concerns",
        "what_has_been_tried",
        "urgency",
        "family_aware",
        "safeguarding_details",
        "possible_matches",
    )
)
def referral_for_coordinator(*, viewer: Any, referral_id: Any, purpose: str = "") -> Referral:
    """A referral to one of the viewer's panels, with the child and any possible existing
    records of the same child. Reading those candidates is audited as a read of each."""
    referral = (
        _coordinated_by(viewer)
        .filter(pk=referral_id)
        .select_related(
            "child",
            "child__school",
            "child__locality",
            "referring_organisation",
            "referrer",
            "panel",
            "identity_decided_by",
            "identity_merge",
        )
        .prefetch_related(
            "concerns",
            Prefetch(
                "agenda_items",
                queryset=AgendaItem.objects.select_related("meeting").order_by(
                    "meeting__starts_at"
                ),
            ),
            "child__addresses",
            "child__household",
            Prefetch(
                "possible_matches",
                queryset=PossibleMatch.objects.select_related(
                    "candidate", "candidate__school", "candidate__locality"
                ).prefetch_related("candidate__addresses", "candidate__referrals"),
            ),
        )
        .first()
    )
    if referral is None:
        raise Http404("No referral to a panel you coordinate with this id.")
    candidates = [match.candidate for match in referral.possible_matches.all()]
    if candidates:
        audit.record_reads(
            actor=viewer,
            targets=candidates,
            fields=("given_name", "family_name", "date_of_birth", "address", "school"),
            purpose="Checking whether a referred child is already known",
        )
    return referral
