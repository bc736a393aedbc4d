"""Every change to accounts and roles, one function per use case, each audited in its own
transaction."""

import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from joinedup.accounts.api_auth import hash_key
from joinedup.accounts.models import ApiToken, Membership, User
from joinedup.core import audit
from joinedup.core.errors import FieldError
from joinedup.core.models import AuditVerb
from joinedup.core.roles import Role
from joinedup.organisations.models import Organisation


class AccountError(FieldError):
    """A rule of the accounts domain was broken; `field` names the form field at fault."""


def _sync_admin_flags(user: User) -> None:
    """System administrators may use the Django admin; nobody else may."""
    is_admin = Role.SYSTEM_ADMIN in user.active_roles()
    if user.is_staff != is_admin or user.is_superuser != is_admin:
        user.is_staff = user.is_superuser = is_admin
        user.save(update_fields=["is_staff", "is_superuser"])


def _active_admin_count(excluding: User | None = None) -> int:
    admins = Membership.objects.active().filter(role=Role.SYSTEM_ADMIN, user__is_active=True)
    if excluding is not None:
        admins = admins.exclude(user=excluding)
    return admins.values("user").distinct().count()


def invitation_link(*, user: User, base_url: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:invitation_accept", kwargs={"uidb64": uid, "token": token})
    return f"{base_url.rstrip('/')}{path}"


def _send_invitation(*, user: User, invited_by: User, base_url: str) -> None:
    link = invitation_link(user=user, base_url=base_url)
    context = {"user": user, "invited_by": invited_by, "link": link}
    send_mail(
        subject="You have been invited to JoinedUp",
        message=render_to_string("accounts/email/invitation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )


@dataclass(frozen=True)
class Invitation:
    email: str
    full_name: str
    organisation: Organisation
    role: str
    job_title: str = ""


def user_invite(*, actor: User, invitation: Invitation, base_url: str) -> User:
    email = invitation.email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise AccountError(
            "Someone with this email address already has an account: add a role to their "
            "account instead",
            field="email",
            code="duplicate",
        )
    with transaction.atomic():
        user = User.objects.create_user(
            email,
            full_name=invitation.full_name.strip(),
            invited_at=timezone.now(),
            invited_by=actor,
        )
        audit.record(
            actor=actor, verb=AuditVerb.INVITED, target=user, fields=["email", "full_name"]
        )
        membership_grant(
            actor=actor,
            user=user,
            organisation=invitation.organisation,
            role=invitation.role,
            job_title=invitation.job_title,
        )
        transaction.on_commit(
            lambda: _send_invitation(user=user, invited_by=actor, base_url=base_url)
        )
    return user


def invitation_resend(*, actor: User, user: User, base_url: str) -> None:
    if not user.invitation_pending:
        raise AccountError("This person has already accepted their invitation", code="accepted")
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(invited_at=timezone.now())
        audit.record(actor=actor, verb=AuditVerb.INVITED, target=user, detail={"resent": True})
        transaction.on_commit(
            lambda: _send_invitation(user=user, invited_by=actor, base_url=base_url)
        )


def membership_grant(
    *,
    actor: User,
    user: User,
    organisation: Organisation,
    role: str,
    job_title: str = "",
    started_on: date | None = None,
) -> Membership:
    if role not in Role.values:
        raise AccountError("Select a role from the list", field="role")
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                user=user,
                organisation=organisation,
                role=role,
                job_title=job_title.strip(),
                started_on=started_on or timezone.localdate(),
                granted_by=actor,
            )
            audit.record(
                actor=actor,
                verb=AuditVerb.ROLE_GRANTED,
                target=user,
                fields=["memberships"],
                detail={"membership": str(membership.pk), "role": role},
            )
            _sync_admin_flags(user)
    except IntegrityError as error:
        raise AccountError(
            f"{user.display_name} is already a {Role(role).label.lower()} in {organisation}",
            field="role",
            code="duplicate",
        ) from error
    return membership


def membership_end(*, actor: User, membership: Membership) -> Membership:
    with transaction.atomic():
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        if locked.ended_on is not None:
            raise AccountError("This role has already ended", code="ended")
        if locked.role == Role.SYSTEM_ADMIN and _active_admin_count(excluding=locked.user) == 0:
            raise AccountError(
                "You cannot end the last system administrator role: give someone else the role "
                "first",
                code="last_admin",
            )
        locked.ended_on = max(timezone.localdate(), locked.started_on)
        locked.save(update_fields=["ended_on", "updated_at"])
        audit.record(
            actor=actor,
            verb=AuditVerb.ROLE_ENDED,
            target=locked.user,
            fields=["memberships"],
            detail={"membership": str(locked.pk), "role": locked.role},
        )
        _sync_admin_flags(locked.user)
    return locked


def user_update(*, actor: User, user: User, full_name: str, email: str) -> User:
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        raise AccountError(
            "Someone else already uses this email address", field="email", code="duplicate"
        )
    changed = [
        name
        for name, value in (("full_name", full_name.strip()), ("email", email))
        if getattr(user, name) != value
    ]
    if not changed:
        return user
    with transaction.atomic():
        user.full_name = full_name.strip()
        user.email = email
        user.save(update_fields=changed)
        audit.record(actor=actor, verb=AuditVerb.UPDATE, target=user, fields=changed)
    return user


def user_deactivate(*, actor: User, user: User) -> None:
    if user.pk == actor.pk:
        raise AccountError("You cannot deactivate your own account", code="self")
    with transaction.atomic():
        if Role.SYSTEM_ADMIN in user.active_roles() and _active_admin_count(excluding=user) == 0:
            raise AccountError("You cannot deactivate the last system administrator")
        User.objects.filter(pk=user.pk).update(is_active=False)
        audit.record(actor=actor, verb=AuditVerb.DEACTIVATED, target=user, fields=["is_active"])


def user_reactivate(*, actor: User, user: User) -> None:
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=True)
        audit.record(actor=actor, verb=AuditVerb.REACTIVATED, target=user, fields=["is_active"])


def two_factor_reset(*, actor: User, user: User) -> None:
    """For someone who lost their phone: they set up a new authenticator at next sign-in."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        audit.record(actor=actor, verb=AuditVerb.TWO_FACTOR_RESET, target=user)


def two_factor_device_for_setup(*, user: User) -> TOTPDevice:
    """The unconfirmed device a person is setting up; a fresh secret each new attempt."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def two_factor_confirm(*, user: User, device: TOTPDevice, token: str) -> bool:
    with transaction.atomic():
        if not device.verify_token(token):
            audit.record(actor=user, verb=AuditVerb.TWO_FACTOR_FAILED, target=user)
            return False
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit.record(actor=user, verb=AuditVerb.TWO_FACTOR_ENROLLED, target=user)
    return True


def password_changed(*, user: User, by: Any = None) -> None:
    audit.record(
        actor=by or user, verb=AuditVerb.PASSWORD_CHANGED, target=user, fields=["password"]
    )


def api_token_issue(
    *, actor: Any, organisation: Organisation, user: User, name: str
) -> tuple[ApiToken, str]:
    """A new token and its key. The key is returned this once and never stored."""
    if not user.is_active:
        raise AccountError(f"{user.display_name}'s account is deactivated", field="user")
    if not Membership.objects.active().filter(user=user, organisation=organisation).exists():
        raise AccountError(f"{user.display_name} holds no role in {organisation}", field="user")
    # "ju_" marks the key as JoinedUp's for secret scanners, and no key starts with "-".
    key = f"ju_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        token = ApiToken.objects.create(
            organisation=organisation,
            user=user,
            name=name.strip(),
            prefix=key[:12],
            key_hash=hash_key(key),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit.record(
            actor=actor,
            verb=AuditVerb.CREATE,
            target=token,
            detail={"organisation": str(organisation.pk), "user": str(user.pk)},
        )
    return token, key


def api_token_revoke(*, actor: Any, token: ApiToken) -> None:
    with transaction.atomic():
        revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if revoked:
            audit.record(actor=actor, verb=AuditVerb.UPDATE, target=token, fields=["revoked_at"])
