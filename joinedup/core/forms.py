"""Forms render as GOV.UK Frontend components, with an error summary that names each field."""

from datetime import date
from typing import Any

from django import forms

from joinedup.core.errors import FieldError
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
            if name in form.fields and isinstance(form.fields[name].widget, GovukDateWidget):
                anchor = f"#{form[name].auto_id}_day"
            items.extend({"href": anchor, "text": str(error)} for error in errors)
        return items


def _is_choice_group(field: forms.Field) -> bool:
    return isinstance(field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple)


def _required_message(field: forms.Field, label: str) -> str:
    lowered = f"{label[0].lower()}{label[1:]}"
    if _is_choice_group(field) or isinstance(field.widget, forms.Select):
        return f"Select {lowered}"
    return f"Enter {lowered}"


def add_domain_error(form: Any, error: FieldError) -> None:
    """Show a service's refusal beside the field it names, or above the form when the
    form has no such field."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


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


class GovukDateWidget(forms.MultiWidget):
    """GOV.UK's date input: day, month and year boxes in one fieldset."""

    template_name = "core/forms/date_widget.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        numeric = {"inputmode": "numeric", "spellcheck": "false"}
        super().__init__(
            widgets={
                "day": forms.TextInput(attrs={**numeric, "class": "govuk-input--width-2"}),
                "month": forms.TextInput(attrs={**numeric, "class": "govuk-input--width-2"}),
                "year": forms.TextInput(attrs={**numeric, "class": "govuk-input--width-4"}),
            },
            attrs=attrs,
        )

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        # "id_date_of_birth_day" rather than "_0", as GOV.UK's error summary links expect.
        for part, subwidget in zip(
            ("day", "month", "year"), context["widget"]["subwidgets"], strict=True
        ):
            if subwidget["attrs"].get("id"):
                subwidget["attrs"]["id"] = f"{context['widget']['attrs']['id']}_{part}"
        return context

    def id_for_label(self, id_: str) -> str:
        return f"{id_}_day" if id_ else id_

    def decompress(self, value: Any) -> list[Any]:
        if value:
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovukDateField(forms.MultiValueField):
    widget = GovukDateWidget

    def __init__(self, *, label: str, **kwargs: Any) -> None:
        self.lowered = f"{label[0].lower()}{label[1:]}"
        super().__init__(
            fields=tuple(forms.CharField(required=False) for _ in range(3)),
            require_all_fields=False,
            label=label,
            **kwargs,
        )

    def compress(self, data_list: list[Any]) -> date | None:
        if not data_list or not any(data_list):
            if self.required:
                raise forms.ValidationError(f"Enter {self.lowered}", code="required")
            return None
        parts = dict(zip(("day", "month", "year"), data_list, strict=False))
        missing = [name for name, value in parts.items() if not value]
        if missing:
            raise forms.ValidationError(
                f"{self.lowered.capitalize()} must include a {' and '.join(missing)}",
                code="incomplete",
            )
        try:
            day, month, year = (int(str(parts[name]).strip()) for name in ("day", "month", "year"))
            if year < 1000:
                raise ValueError("two-digit year")
            return date(year, month, day)
        except (ValueError, OverflowError) as error:
            raise forms.ValidationError(
                f"{self.lowered.capitalize()} must be a real date, like 27 3 2015",
                code="invalid",
            ) from error
