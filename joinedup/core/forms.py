"""Forms render as GOV.UK Frontend components, with an error summary that names each field."""

from typing import Any

from django import forms

from joinedup.core.models import AuditVerb
from joinedup.core.selectors import AuditSearch
from joinedup.core.validators import no_markup


class GovukFormMixin:
    template_name = "core/forms/govuk_form.html"
    default_error_messages_by_field: dict[str, dict[str, str]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form: Any = self
        for name, field in form.fields.items():
            label = str(field.label or name.replace("_", " ").capitalize())
            if (
                field.error_messages.get("required")
                == forms.Field.default_error_messages["required"]
            ):
                field.error_messages["required"] = _required_message(field, label)
            # Passwords may hold any character (NCSC guidance): they are never shown.
            if isinstance(field, forms.CharField) and not isinstance(
                field.widget, forms.PasswordInput
            ):
                if no_markup not in field.validators:
                    field.validators.append(no_markup)
                if field.max_length:
                    field.error_messages["max_length"] = (
                        f"{label} must be {field.max_length} characters or fewer"
                    )
            for code, message in self.default_error_messages_by_field.get(name, {}).items():
                field.error_messages[code] = message

    def error_summary(self) -> list[dict[str, str]]:
        form: Any = self
        items: list[dict[str, str]] = []
        for name, errors in form.errors.items():
            if name not in form.fields:
                name = next(iter(form.fields), name)
            anchor = f"#{form[name].auto_id}" if name in form.fields else "#main-content"
            if name in form.fields and _is_choice_group(form.fields[name]):
                anchor = f"#{form[name].auto_id}_0" if form[name].auto_id else anchor
            items.extend({"href": anchor, "text": str(error)} for error in errors)
        return items


def _is_choice_group(field: forms.Field) -> bool:
    return isinstance(field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple)


def _required_message(field: forms.Field, label: str) -> str:
    lowered = f"{label[0].lower()}{label[1:]}"
    if _is_choice_group(field) or isinstance(field.widget, forms.Select):
        return f"Select {lowered}"
    return f"Enter {lowered}"


class GovukForm(GovukFormMixin, forms.Form):
    pass


class GovukModelForm(GovukFormMixin, forms.ModelForm):
    pass


class AuditSearchForm(GovukForm):
    actor = forms.CharField(label="Who (email address contains)", required=False, max_length=254)
    verb = forms.ChoiceField(label="What happened", required=False)
    target_type = forms.ChoiceField(label="Kind of record", required=False)
    target_id = forms.CharField(label="Record ID", required=False, max_length=64)
    purpose = forms.CharField(label="Purpose contains", required=False, max_length=200)
    request_id = forms.CharField(label="Request ID", required=False, max_length=36)
    date_from = forms.DateField(
        label="From date",
        required=False,
        help_text="For example, 2026-11-01",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label="To date",
        required=False,
        help_text="For example, 2026-11-30",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    default_error_messages_by_field = {
        "date_from": {"invalid": "From date must be a real date, like 2026-11-01"},
        "date_to": {"invalid": "To date must be a real date, like 2026-11-30"},
    }

    def __init__(self, *args: Any, target_types: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        verb: Any = self.fields["verb"]
        verb.choices = [("", "Anything"), *AuditVerb.choices]
        target_type: Any = self.fields["target_type"]
        target_type.choices = [("", "Any"), *[(t, t) for t in target_types]]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "To date must be the same as or after the from date")
        return cleaned

    def to_search(self) -> AuditSearch:
        return AuditSearch(
            **{
                name: self.cleaned_data.get(name) or ""
                for name in ("actor", "verb", "target_type", "target_id", "purpose", "request_id")
            },
            date_from=self.cleaned_data.get("date_from"),
            date_to=self.cleaned_data.get("date_to"),
        )
