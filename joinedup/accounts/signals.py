"""Sign-in events go in the audit trail. Django and Axes announce them only as signals."""

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from joinedup.core import audit
from joinedup.core.models import AuditVerb


@receiver(user_logged_in)
def _signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit.record(actor=user, verb=AuditVerb.SIGN_IN, target=user)


@receiver(user_logged_out)
def _signed_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit.record(actor=user, verb=AuditVerb.SIGN_OUT, target=user)


@receiver(user_login_failed)
def _sign_in_failed(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    # The password is never recorded; the address typed in is, so a pattern can be seen.
    attempted = str(credentials.get("username") or credentials.get("email") or "")[:254]
    audit.record(actor=None, verb=AuditVerb.SIGN_IN_FAILED, actor_label=attempted or "anonymous")


@receiver(user_locked_out)
def _locked_out(sender: Any, request: Any, username: str | None = None, **kwargs: Any) -> None:
    audit.record(actor=None, verb=AuditVerb.LOCKED_OUT, actor_label=(username or "")[:254])
