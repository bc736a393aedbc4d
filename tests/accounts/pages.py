"""Reading what a person sees on a page: the GOV.UK error summary, messages, the signed-in
state, and the codes an authenticator app would show."""

import html
import re
from typing import Any

from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from joinedup.accounts.models import User

_SUMMARY = re.compile(r'<div class="govuk-error-summary".*?</ul>', re.DOTALL)
_ITEM = re.compile(r'<li><a href="([^"]*)">(.*?)</a></li>', re.DOTALL)


def error_summary(response: HttpResponse) -> list[tuple[str, str]]:
    """(link target, message) for each item of the page's error summary; [] if none."""
    match = _SUMMARY.search(response.content.decode())
    if match is None:
        return []
    return [(href, html.unescape(text).strip()) for href, text in _ITEM.findall(match.group(0))]


def summary_names_field(response: HttpResponse, field_id: str, label: str = "") -> bool:
    """Whether an error summary item links to the field (or its first radio or checkbox), or
    mentions the field's label."""
    for href, text in error_summary(response):
        if href in (f"#{field_id}", f"#{field_id}_0"):
            return True
        if label and label.lower() in text.lower():
            return True
    return False


def summary_text(response: HttpResponse) -> str:
    return " | ".join(text for _, text in error_summary(response))


def messages_shown(response: HttpResponse) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def signed_in_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def _code_at(device: TOTPDevice, steps_from_now: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + steps_from_now * device.step
    return f"{totp.token():0{device.digits}d}"


def current_code(device: TOTPDevice) -> str:
    """The code the person's authenticator app shows now."""
    return _code_at(device)


def a_wrong_code(device: TOTPDevice) -> str:
    """A code no clock drift the device tolerates could make right."""
    near = {_code_at(device, step) for step in range(-2, 3)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in near)


def confirmed_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user, confirmed=True)


def page_title(response: HttpResponse) -> str:
    match = re.search(r"<title>(.*?)</title>", response.content.decode(), re.DOTALL)
    return html.unescape(match.group(1)).strip() if match else ""


def audit_trail_text(**filters: Any) -> str:
    """Everything the audit trail holds, as one string, to search for what must never be in it."""
    from joinedup.core.models import AuditEntry

    return repr(list(AuditEntry.objects.filter(**filters).values()))
