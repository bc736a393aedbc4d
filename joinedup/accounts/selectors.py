from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django_otp.plugins.otp_totp.models import TOTPDevice

from joinedup.accounts.models import Membership, User
from joinedup.core import audit
from joinedup.core.permissions import has_role
from joinedup.core.roles import Role
from joinedup.organisations.models import Organisation

USER_LIST_FIELDS = ("full_name", "email", "memberships")


def _require_admin(viewer: Any) -> None:
    if not has_role(viewer, Role.SYSTEM_ADMIN):
        raise PermissionDenied("Only system administrators can manage people and roles.")


def _with_roles_and_two_factor(users: QuerySet[User]) -> QuerySet[User]:
    return users.annotate(
        has_authenticator=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
    ).prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.active().select_related("organisation"),
            to_attr="current_memberships",
        )
    )


@audit.audit_exempt(reason="Returns an unevaluated queryset; the page audits the rows it shows.")
def user_search(
    *, viewer: Any, q: str = "", organisation: Organisation | None = None, role: str = ""
) -> QuerySet[User]:
    _require_admin(viewer)
    users = User.objects.all()
    if q:
        users = users.filter(Q(full_name__icontains=q) | Q(email__icontains=q))
    active = Membership.objects.active()
    if organisation is not None:
        users = users.filter(pk__in=active.filter(organisation=organisation).values("user"))
    if role:
        users = users.filter(pk__in=active.filter(role=role).values("user"))
    return _with_roles_and_two_factor(users.order_by("full_name", "email"))


@audit.audited_read(fields=USER_LIST_FIELDS)
def user_page_rows(*, viewer: Any, users: list[User]) -> list[User]:
    """The people shown on one page of the list, recorded as read."""
    _require_admin(viewer)
    return users


@audit.audited_read(fields=("full_name", "email", "memberships", "two_factor", "status"))
def user_detail(*, viewer: Any, user_id: Any) -> User:
    _require_admin(viewer)
    users = _with_roles_and_two_factor(User.objects.all()).prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("organisation", "granted_by").order_by(
                "-ended_on", "organisation__name"
            ),
            to_attr="all_memberships",
        )
    )
    return get_object_or_404(users, pk=user_id)


@audit.audit_exempt(reason="A person reading their own account.")
def own_account(*, viewer: Any) -> User:
    return _with_roles_and_two_factor(User.objects.filter(pk=viewer.pk)).get()


@audit.audited_read(fields=("user", "role", "job_title"))
def organisation_people(*, viewer: Any, organisation: Organisation) -> list[Membership]:
    """Who holds which role in an organisation: visible to every signed-in partner, so that
    workers can find the right person to talk to."""
    return list(
        Membership.objects.active()
        .filter(organisation=organisation, user__is_active=True)
        .select_related("user")
        .order_by("user__full_name", "role")
    )


@audit.audit_exempt(reason="Looks up one role by id for the administrator's form; no display.")
def membership_for_admin(*, viewer: Any, membership_id: Any) -> Membership:
    _require_admin(viewer)
    return get_object_or_404(
        Membership.objects.select_related("user", "organisation"), pk=membership_id
    )
