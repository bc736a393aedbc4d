from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from joinedup.core.forms import GovukDateField, GovukForm
from joinedup.organisations.models import Locality, Organisation, Sector
from joinedup.panels.models import Panel
from joinedup.partnerships.map import MapFilters
from joinedup.partnerships.models import (
    MemberRole,
    Partnership,
    PartnershipKind,
    PartnershipLevel,
    Person,
    RelationshipKind,
)


class PartnershipSearchForm(GovukForm):
    q = forms.CharField(label="Name", required=False, max_length=100)
    kind = forms.ChoiceField(
        label="Kind",
        required=False,
        choices=[("", "Any kind"), *PartnershipKind.choices],
        error_messages={"invalid_choice": "Select a kind from the list"},
    )
    level = forms.ChoiceField(
        label="Level",
        required=False,
        choices=[("", "Any level"), *PartnershipLevel.choices],
        error_messages={"invalid_choice": "Select a level from the list"},
    )
    locality = forms.ModelChoiceField(
        label="Locality",
        required=False,
        queryset=Locality.objects.order_by("name"),
        empty_label="Any locality",
        to_field_name="slug",
        error_messages={"invalid_choice": "Select a locality from the list"},
    )


class PartnershipForm(GovukForm):
    name = forms.CharField(label="Name", max_length=200)
    kind = forms.ChoiceField(
        label="Kind of partnership",
        choices=[("", "Choose a kind"), *PartnershipKind.choices],
        error_messages={"invalid_choice": "Select a kind of partnership from the list"},
    )
    purpose = forms.CharField(
        label="Purpose",
        max_length=2000,
        widget=forms.Textarea,
        help_text="What the partnership is for, in a sentence or two.",
    )
    level = forms.ChoiceField(
        label="Level",
        choices=[("", "Choose a level"), *PartnershipLevel.choices],
        error_messages={"invalid_choice": "Select a level from the list"},
        help_text="Where it sits: keyworkers, a panel, a local or the city-wide steering group.",
    )
    locality = forms.ModelChoiceField(
        label="Locality (optional)",
        required=False,
        queryset=Locality.objects.order_by("name"),
        empty_label="City-wide",
        help_text="Leave as city-wide if it works across the whole city.",
        error_messages={"invalid_choice": "Select a locality from the list"},
    )
    parent = forms.ModelChoiceField(
        label="Part of (optional)",
        required=False,
        queryset=Partnership.objects.order_by("name"),
        empty_label="Not part of another partnership",
        help_text="The partnership this one reports to, if it is a sub-group or a local group.",
        error_messages={"invalid_choice": "Select a partnership from the list"},
    )
    terms_of_reference = forms.CharField(
        label="Terms of reference (optional)",
        required=False,
        max_length=8000,
        widget=forms.Textarea,
        help_text="Membership, decision making, quorum and how often it meets.",
    )
    panel = forms.ModelChoiceField(
        label="Panel (optional)",
        required=False,
        queryset=Panel.objects.order_by("name"),
        empty_label="Not a panel",
        help_text="For a panel: its meetings and attendance are kept in the panel's pages.",
        error_messages={"invalid_choice": "Select a panel from the list"},
    )
    is_active = forms.BooleanField(
        label="Still meeting",
        required=False,
        initial=True,
        help_text="Untick when a partnership stops meeting. Its history is kept.",
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        # Several people share a name across organisations; say whose.
        if obj.organisation is None:
            return obj.name
        return f"{obj.name} ({obj.organisation})"


class MemberAddForm(GovukForm):
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.filter(is_active=True).order_by("name"),
        empty_label="Choose an organisation",
        error_messages={"invalid_choice": "Select an organisation from the list"},
    )
    person = PersonChoiceField(
        label="Who represents it (optional)",
        required=False,
        queryset=Person.objects.select_related("organisation").order_by("name"),
        empty_label="Not named yet",
        help_text="An organisation can join before it names its representative.",
        error_messages={"invalid_choice": "Select a person from the list"},
    )
    role = forms.ChoiceField(
        label="Role",
        choices=MemberRole.choices,
        initial=MemberRole.MEMBER,
        error_messages={"invalid_choice": "Select a role from the list"},
    )
    delegated_authority = forms.BooleanField(
        label="Has delegated authority",
        required=False,
        help_text="They can commit their organisation's money, staff or services at meetings.",
    )
    joined_on = GovukDateField(
        label="Date they joined (optional)",
        required=False,
        help_text="Leave empty for today. For example, 27 3 2026",
    )


class QuietModelChoiceField(forms.ModelChoiceField):
    """A choice that is not even an id gets the same message as an unknown one, rather than
    the database's words about UUIDs."""

    def to_python(self, value: Any) -> Any:
        try:
            return super().to_python(value)
        except ValidationError:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None


def _organisations() -> Any:
    # A native select: typing the first letters jumps to an organisation, which keeps a list
    # of hundreds usable by keyboard and screen reader, as on the project's other forms.
    return Organisation.objects.filter(is_active=True).order_by("name")


class PersonSearchForm(GovukForm):
    q = forms.CharField(
        label="Name or job title",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    organisation = forms.ModelChoiceField(
        label="Organisation",
        required=False,
        queryset=Organisation.objects.order_by("name"),
        empty_label="Any organisation",
        to_field_name="slug",
        error_messages={"invalid_choice": "Select an organisation from the list"},
    )


class PersonForm(GovukForm):
    name = forms.CharField(
        label="Full name",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    role_title = forms.CharField(
        label="Job title (optional)",
        required=False,
        max_length=150,
        help_text="For example, “Senior youth worker”.",
    )
    email = forms.EmailField(
        label="Work email (optional)",
        required=False,
        max_length=254,
        help_text="A work address only. People here are work contacts, never children or families.",
        error_messages={"invalid": "Enter an email address like name@example.org"},
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    organisation = QuietModelChoiceField(
        label="Organisation (optional)",
        required=False,
        queryset=Organisation.objects.order_by("name"),
        empty_label="Not with a partner organisation",
        help_text="The organisation they work for.",
        error_messages={"invalid_choice": "Select an organisation from the list"},
    )


class RelationshipSearchForm(GovukForm):
    organisation = forms.ModelChoiceField(
        label="Organisation",
        required=False,
        queryset=Organisation.objects.order_by("name"),
        empty_label="Any organisation",
        to_field_name="slug",
        error_messages={"invalid_choice": "Select an organisation from the list"},
    )
    kind = forms.ChoiceField(
        label="Kind of work",
        required=False,
        choices=[("", "Any kind"), *RelationshipKind.choices],
        error_messages={"invalid_choice": "Select a kind of work from the list"},
    )


class RelationshipForm(GovukForm):
    from_organisation = QuietModelChoiceField(
        label="One organisation",
        queryset=_organisations(),
        empty_label="Choose an organisation",
        help_text="Often your own organisation, or the one you brought in.",
        error_messages={
            "required": "Select the first organisation",
            "invalid_choice": "Select an organisation from the list",
        },
    )
    to_organisation = QuietModelChoiceField(
        label="The other organisation",
        queryset=_organisations(),
        empty_label="Choose an organisation",
        error_messages={
            "required": "Select the other organisation",
            "invalid_choice": "Select an organisation from the list",
        },
    )
    kind = forms.ChoiceField(
        label="What kind of work was it?",
        choices=RelationshipKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what kind of work it was",
            "invalid_choice": "Select what kind of work it was",
        },
    )
    happened_on = GovukDateField(
        label="Date it happened",
        help_text="For example, 27 3 2026. Today or earlier.",
    )
    description = forms.CharField(
        label="What happened",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A sentence about the organisations, for example “The adventure playground "
        "worker now runs a session at the school's after-school club”. Do not name children "
        "or families.",
        error_messages={
            "required": "Describe what happened, in a sentence",
            "max_length": "What happened must be 500 characters or fewer",
        },
    )
    partnership = QuietModelChoiceField(
        label="Through a partnership (optional)",
        required=False,
        queryset=Partnership.objects.filter(is_active=True).order_by("name"),
        empty_label="Not through a partnership",
        help_text="The panel, steering group or forum where it came about, if any.",
        error_messages={"invalid_choice": "Select a partnership from the list"},
    )


class MapFilterForm(GovukForm):
    """The map's and the table's filters, as a GET form, so that the table works without
    JavaScript and a filtered view can be bookmarked or shared."""

    q = forms.CharField(
        label="Find by name",
        required=False,
        max_length=100,
        help_text="An organisation, a person or a partnership.",
    )
    locality = forms.ModelChoiceField(
        label="Locality",
        required=False,
        queryset=Locality.objects.order_by("name"),
        empty_label="All localities",
        to_field_name="slug",
        error_messages={"invalid_choice": "Select a locality from the list"},
    )
    sector = forms.ChoiceField(
        label="Sector",
        required=False,
        choices=[("", "All sectors"), *Sector.choices],
        error_messages={"invalid_choice": "Select a sector from the list"},
    )
    level = forms.ChoiceField(
        label="Level",
        required=False,
        choices=[("", "All levels"), *PartnershipLevel.choices],
        error_messages={"invalid_choice": "Select a level from the list"},
    )
    partnership = forms.ModelChoiceField(
        label="Partnership",
        required=False,
        queryset=Partnership.objects.filter(is_active=True).order_by("name"),
        empty_label="All partnerships",
        to_field_name="slug",
        error_messages={"invalid_choice": "Select a partnership from the list"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.input_type = "search"

    def filters(self) -> MapFilters:
        """The valid choices as the map module takes them (names, as NetworkData holds them)."""
        data = self.cleaned_data
        locality, partnership, sector = (
            data.get("locality"),
            data.get("partnership"),
            data.get("sector"),
        )
        return MapFilters(
            locality=locality.name if locality else "",
            sector=str(Sector(sector).label) if sector else "",
            level=data.get("level") or "",
            partnership=str(partnership.pk) if partnership else "",
            q=data.get("q") or "",
        )
