from datetime import timedelta

import factory
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from joinedup.accounts.models import Membership, User
from joinedup.actions.models import Action
from joinedup.assessments.models import (
    Assessment,
    AssessmentKind,
    Domain,
    OverToYou,
    Respondent,
)
from joinedup.children.models import (
    Child,
    HouseholdMember,
    Involvement,
    InvolvementRole,
    Relationship,
)
from joinedup.consent.models import ConsentRecord, GivenBy, Method, Scope
from joinedup.core.roles import Role
from joinedup.organisations.models import Locality, Organisation, OrganisationKind
from joinedup.panels.models import Meeting, Panel, PanelMember, PanelRole
from joinedup.partnerships.models import (
    LoggedRelationship,
    MemberRole,
    Partnership,
    PartnershipKind,
    PartnershipLevel,
    PartnershipMember,
    Person,
    RelationshipKind,
)
from joinedup.referrals.models import FamilyAware, Referral, Urgency
from joinedup.reviews.models import ReviewKind, ReviewRound

TEST_PASSWORD = "correct horse battery staple"


class LocalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Locality
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Locality {n}")
    slug = factory.Sequence(lambda n: f"locality-{n}")
    postcode_districts = ["BS5"]


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    kind = OrganisationKind.VOLUNTARY
    description = "Supports children and families."


class SchoolFactory(OrganisationFactory):
    kind = OrganisationKind.SCHOOL


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class InvitedUserFactory(UserFactory):
    invited_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_unusable_password")

    @factory.post_generation
    def save_unusable_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.KEYWORKER


class TOTPDeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = "Authenticator app"
    confirmed = True


class PanelFactory(factory.django.DjangoModelFactory):
    """A panel serving one locality, for children aged 8 to 13."""

    class Meta:
        model = Panel
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Panel {n}")
    slug = factory.Sequence(lambda n: f"panel-{n}")

    @factory.post_generation
    def localities(self, create, extracted, **kwargs):
        if create:
            self.localities.set(extracted if extracted is not None else [LocalityFactory()])


class PanelMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PanelMember

    panel = factory.SubFactory(PanelFactory)
    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = PanelRole.COORDINATOR


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    panel = factory.SubFactory(PanelFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(days=14))
    location = "Easton Community Centre"


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    given_name = factory.Faker("first_name", locale="en_GB")
    family_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = factory.Faker("date_between", start_date="-13y", end_date="-8y")
    locality = factory.SubFactory(LocalityFactory)


class InvolvementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Involvement

    child = factory.SubFactory(ChildFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = InvolvementRole.KEYWORKER


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    child = factory.SubFactory(ChildFactory)
    referrer = factory.SubFactory(UserFactory)
    referring_organisation = factory.SubFactory(OrganisationFactory)
    relationship_to_child = "Class teacher"
    what_has_been_tried = "Mentoring at school."
    urgency = Urgency.ROUTINE
    family_aware = FamilyAware.YES


class ParentFactory(factory.django.DjangoModelFactory):
    """A parent with parental responsibility, who may give consent for the child."""

    class Meta:
        model = HouseholdMember

    child = factory.SubFactory(ChildFactory)
    full_name = factory.Faker("name", locale="en_GB")
    relationship = Relationship.MOTHER
    has_parental_responsibility = True


class ConsentRecordFactory(factory.django.DjangoModelFactory):
    """A parent's verbal consent, in force; pass `scope` and, for sharing, `organisation`."""

    class Meta:
        model = ConsentRecord

    child = factory.SubFactory(ChildFactory)
    given_by = GivenBy.PARENT
    household_member = factory.SubFactory(ParentFactory, child=factory.SelfAttribute("..child"))
    scope = Scope.PANEL_DISCUSSION
    method = Method.VERBAL
    witness_name = "Wendy Witness"
    given_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=7))


class DomainFactory(factory.django.DjangoModelFactory):
    """An assessment domain of a panel's own list; pass `panel=None` for the default list."""

    class Meta:
        model = Domain

    panel = factory.SubFactory(PanelFactory)
    key = factory.Sequence(lambda n: f"domain_{n}")
    name = factory.Sequence(lambda n: f"Area of life {n}")
    description = "What to think about for this area."
    order = factory.Sequence(lambda n: n)


class AssessmentFactory(factory.django.DjangoModelFactory):
    """A draft initial assessment with no domains to rate; services start real ones."""

    class Meta:
        model = Assessment

    child = factory.SubFactory(ChildFactory)
    kind = AssessmentKind.INITIAL
    version = 1
    organisation = factory.SubFactory(OrganisationFactory)
    assessed_on = factory.LazyFunction(timezone.localdate)


class OverToYouFactory(factory.django.DjangoModelFactory):
    """The child's own "Over to You", with one answer."""

    class Meta:
        model = OverToYou

    child = factory.SubFactory(ChildFactory)
    respondent = Respondent.CHILD
    answers = factory.LazyFunction(lambda: {"school_like": "agree"})
    in_their_words = "I like football."
    helped_by = "My keyworker"
    filled_on = factory.LazyFunction(timezone.localdate)


class ActionFactory(factory.django.DjangoModelFactory):
    """An open action due in a week, straight into the database (no rules checked): pass
    `meeting` and the panel is taken from it."""

    class Meta:
        model = Action

    title = factory.Sequence(lambda n: f"Book a home visit {n}")
    owner = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=7))
    panel = factory.LazyAttribute(lambda o: o.meeting.panel if o.meeting else None)
    meeting = None


class TaxonomyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "directory.Taxonomy"

    name = factory.Sequence(lambda n: f"Needs {n}")
    description = "What children and families need help with."


class TaxonomyTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "directory.TaxonomyTerm"

    taxonomy = factory.SubFactory(TaxonomyFactory)
    name = factory.Sequence(lambda n: f"Need {n}")
    description = factory.LazyAttribute(lambda term: f"Help with {term.name.lower()}.")
    code = factory.Sequence(lambda n: f"need-{n}")


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "directory.Provider"

    name = factory.Sequence(lambda n: f"Provider {n}")
    description = "Runs activities and support for young people."


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "directory.Service"
        # Saving again after the hook would write back the search text from before it.
        skip_postgeneration_save = True

    provider = factory.SubFactory(ProviderFactory)
    name = factory.Sequence(lambda n: f"Service {n}")
    description = "Weekly sessions for young people."
    minimum_age = 8
    maximum_age = 17
    how_to_refer = "Telephone the service and ask for the duty worker."
    reviewed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def search_words(service, create, extracted, **kwargs):
        # As the directory's services do after every write (joinedup/directory/search_text.py).
        if create:
            _refresh_search_text(service.pk)


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "directory.Location"

    name = factory.Sequence(lambda n: f"Community centre {n}")
    address_1 = factory.Sequence(lambda n: f"{n} Stapleton Road")
    city = "Bristol"
    postal_code = "BS5 0AA"
    postcode_district = "BS5"
    latitude = 51.4633
    longitude = -2.5705


class ServiceAtLocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "directory.ServiceAtLocation"

    service = factory.SubFactory(ServiceFactory)
    location = factory.SubFactory(LocationFactory)


class FundingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "directory.Funding"

    service = factory.SubFactory(ServiceFactory)
    source = "Children's Fund"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=365))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=120))


class FunderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "funding.Funder"

    name = factory.Sequence(lambda n: f"Funder {n}")
    kind = "local_authority"


class FundingStreamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "funding.FundingStream"

    funder = factory.SubFactory(FunderFactory)
    name = factory.Sequence(lambda n: f"Stream {n}")
    amount = 50_000
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=365))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=120))


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "funding.Post"

    title = factory.Sequence(lambda n: f"Support worker {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    hours_per_week = 37


class ServiceTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "directory.ServiceTerm"
        skip_postgeneration_save = True

    service = factory.SubFactory(ServiceFactory)
    term = factory.SubFactory(TaxonomyTermFactory)

    @factory.post_generation
    def search_words(link, create, extracted, **kwargs):
        if create:
            _refresh_search_text(link.service_id)


def _refresh_search_text(service_id):
    from joinedup.directory.models import Service
    from joinedup.directory.search_text import search_text_refresh

    search_text_refresh(Service.objects.filter(pk=service_id))


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    name = factory.Sequence(lambda n: f"Partnership {n}")
    slug = factory.Sequence(lambda n: f"partnership-{n}")
    kind = PartnershipKind.FORUM
    purpose = "Partners working together for children in the area."
    level = PartnershipLevel.OTHER


class PersonFactory(factory.django.DjangoModelFactory):
    """Someone who represents an organisation (a work contact)."""

    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Representative {n}")
    role_title = "Manager"
    organisation = factory.SubFactory(OrganisationFactory)


class PartnershipMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnershipMember

    partnership = factory.SubFactory(PartnershipFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    person = factory.SubFactory(PersonFactory, organisation=factory.SelfAttribute("..organisation"))
    role = MemberRole.MEMBER
    joined_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))


class ReviewRoundFactory(factory.django.DjangoModelFactory):
    """A round of a partnership review, open from today for four weeks."""

    class Meta:
        model = ReviewRound

    partnership = factory.SubFactory(PartnershipFactory)
    kind = ReviewKind.HEALTH
    title = factory.Sequence(lambda n: f"Round {n}")
    opens_on = factory.LazyFunction(timezone.localdate)
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=28))
    opened_by = factory.SubFactory(UserFactory)


class LoggedRelationshipFactory(factory.django.DjangoModelFactory):
    """An introduction or joint work between two organisations, from the relationship log."""

    class Meta:
        model = LoggedRelationship

    from_organisation = factory.SubFactory(OrganisationFactory)
    to_organisation = factory.SubFactory(OrganisationFactory)
    kind = RelationshipKind.INTRODUCTION
    happened_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=7))
    description = "Introduced the playworker to the school's after-school club."
    logged_by = factory.SubFactory(UserFactory)
