"""Partner organisations and the localities they work in: anyone signed in finds them; only a
system administrator adds or changes them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from joinedup.core.models import AuditEntry, AuditVerb
from joinedup.core.roles import Role
from joinedup.organisations.models import Locality, Organisation, OrganisationKind
from tests.accounts.pages import summary_names_field, summary_text
from tests.conftest import make_person, sign_in_client
from tests.factories import LocalityFactory, MembershipFactory, OrganisationFactory, UserFactory

ORGANISATIONS = reverse("organisations:organisation_list")
LOCALITIES = reverse("organisations:locality_list")


def organisation_url(name: str, organisation: Organisation) -> str:
    return reverse(f"organisations:{name}", kwargs={"slug": organisation.slug})


def names_listed(response) -> set[str]:
    return {organisation.name for organisation in response.context["page"].object_list}


@pytest.fixture
def easton(db) -> Locality:
    return LocalityFactory(name="Easton", slug="easton", postcode_districts=["BS5"])


@pytest.fixture
def lawrence_hill(db) -> Locality:
    return LocalityFactory(name="Lawrence Hill", slug="lawrence-hill", postcode_districts=["BS2"])


@pytest.fixture
def partners(easton, lawrence_hill) -> dict[str, Organisation]:
    youth_club = OrganisationFactory(
        name="Easton Youth Club",
        kind=OrganisationKind.YOUTH_SERVICE,
        description="Evening sessions and detached youth work.",
    )
    youth_club.localities.add(easton)
    mosque = OrganisationFactory(
        name="Lawrence Hill Mosque", kind=OrganisationKind.FAITH, description="Mentoring."
    )
    mosque.localities.add(lawrence_hill)
    police = OrganisationFactory(
        name="Avon and Somerset Police", kind=OrganisationKind.POLICE, description="Policing."
    )
    return {"youth_club": youth_club, "mosque": mosque, "police": police}


def test_keyworker_lists_every_partner_organisation(sign_in, keyworker, partners):
    response = sign_in(keyworker).get(ORGANISATIONS)

    assert response.status_code == 200
    assert {"Easton Youth Club", "Lawrence Hill Mosque", "Avon and Somerset Police"} <= (
        names_listed(response)
    )


def test_keyworker_filters_organisations_by_kind(sign_in, keyworker, partners):
    response = sign_in(keyworker).get(ORGANISATIONS, {"kind": OrganisationKind.FAITH})

    assert names_listed(response) == {"Lawrence Hill Mosque"}


def test_filtering_by_locality_includes_city_wide_organisations(
    sign_in, keyworker, partners, easton
):
    response = sign_in(keyworker).get(ORGANISATIONS, {"locality": easton.slug})

    listed = names_listed(response)
    assert {"Easton Youth Club", "Avon and Somerset Police"} <= listed
    assert "Lawrence Hill Mosque" not in listed


def test_an_organisation_in_two_localities_is_listed_once(sign_in, keyworker, partners, easton):
    partners["mosque"].localities.add(easton)

    response = sign_in(keyworker).get(ORGANISATIONS, {"locality": easton.slug})

    names = [organisation.name for organisation in response.context["page"].object_list]
    assert names.count("Lawrence Hill Mosque") == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [("mosque", {"Lawrence Hill Mosque"}), ("DETACHED youth", {"Easton Youth Club"})],
    ids=["by-name", "by-what-it-does"],
)
def test_keyworker_searches_organisations_by_text(sign_in, keyworker, partners, text, expected):
    response = sign_in(keyworker).get(ORGANISATIONS, {"q": text})

    assert names_listed(response) == expected


def test_organisations_that_left_the_partnership_are_not_listed(sign_in, keyworker, partners):
    partners["mosque"].is_active = False
    partners["mosque"].save()

    response = sign_in(keyworker).get(ORGANISATIONS)

    assert "Lawrence Hill Mosque" not in names_listed(response)


def test_organisation_page_shows_who_holds_which_role_and_audits_each_person_shown(
    sign_in, keyworker, partners
):
    youth_club = partners["youth_club"]
    rosa = UserFactory(full_name="Rosa Referrer")
    shown = [
        MembershipFactory(user=rosa, organisation=youth_club, role=Role.REFERRER),
        MembershipFactory(
            user=rosa, organisation=youth_club, role=Role.KEYWORKER, job_title="Youth worker"
        ),
        MembershipFactory(organisation=youth_club, role=Role.PANEL_MEMBER),
    ]
    MembershipFactory(
        organisation=youth_club,
        role=Role.KEYWORKER,
        user=UserFactory(full_name="Gone Worker"),
        started_on="2020-01-01",
        ended_on="2021-01-01",
    )
    MembershipFactory(
        organisation=youth_club, user=UserFactory(full_name="Dee Activated", is_active=False)
    )
    client = sign_in(keyworker)

    response = client.get(organisation_url("organisation_detail", youth_club))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Rosa Referrer" in page and "Youth worker" in page and "Referrer" in page
    assert "Gone Worker" not in page
    assert "Dee Activated" not in page
    reads = AuditEntry.objects.filter(
        verb=AuditVerb.READ, target_type="accounts.membership", actor=keyworker
    )
    assert sorted(reads.values_list("target_id", flat=True)) == sorted(
        str(membership.pk) for membership in shown
    )


def test_admin_adds_an_organisation_working_in_two_localities(
    sign_in, admin_user, easton, lawrence_hill
):
    response = sign_in(admin_user).post(
        reverse("organisations:organisation_create"),
        {
            "name": "Barton Hill Settlement",
            "kind": OrganisationKind.COMMUNITY,
            "description": "A community centre.",
            "localities": [easton.pk, lawrence_hill.pk],
            "website": "barton-hill.example.org",
            "telephone": "0117 496 0000",
            "is_active": "on",
        },
    )

    settlement = Organisation.objects.get(name="Barton Hill Settlement")
    assert response.status_code == 302
    assert response.url == organisation_url("organisation_detail", settlement)
    assert settlement.slug == "barton-hill-settlement"
    assert set(settlement.localities.all()) == {easton, lawrence_hill}
    assert settlement.website == "https://barton-hill.example.org"
    entry = AuditEntry.objects.get(verb=AuditVerb.CREATE, target_id=str(settlement.pk))
    assert entry.actor == admin_user
    assert entry.target_type == "organisations.organisation"


def test_admin_changes_an_organisation_and_the_audit_lists_what_changed(
    sign_in, admin_user, partners, lawrence_hill
):
    youth_club = partners["youth_club"]

    response = sign_in(admin_user).post(
        organisation_url("organisation_edit", youth_club),
        {
            "name": youth_club.name,
            "kind": OrganisationKind.VOLUNTARY,
            "description": youth_club.description,
            "localities": [lawrence_hill.pk],
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    youth_club.refresh_from_db()
    assert youth_club.kind == OrganisationKind.VOLUNTARY
    assert list(youth_club.localities.all()) == [lawrence_hill]
    entry = AuditEntry.objects.get(verb=AuditVerb.UPDATE, target_id=str(youth_club.pk))
    assert sorted(entry.fields) == ["kind", "localities"]


def test_the_edit_page_starts_with_the_organisations_current_details(sign_in, admin_user, partners):
    response = sign_in(admin_user).get(organisation_url("organisation_edit", partners["mosque"]))

    assert response.status_code == 200
    assert 'value="Lawrence Hill Mosque"' in response.content.decode()


@pytest.mark.parametrize("name", ["easton youth club", "EASTON YOUTH CLUB", " Easton Youth Club "])
def test_a_second_organisation_with_the_same_name_is_refused_on_the_name_field(
    sign_in, admin_user, partners, name
):
    count = Organisation.objects.count()

    response = sign_in(admin_user).post(
        reverse("organisations:organisation_create"),
        {"name": name, "kind": OrganisationKind.VOLUNTARY},
    )

    assert response.status_code == 200
    assert summary_names_field(response, "id_name")
    assert "already exists" in summary_text(response)
    assert Organisation.objects.count() == count


def test_renaming_an_organisation_to_another_ones_name_is_refused(sign_in, admin_user, partners):
    mosque = partners["mosque"]

    response = sign_in(admin_user).post(
        organisation_url("organisation_edit", mosque),
        {"name": "easton youth club", "kind": mosque.kind},
    )

    assert response.status_code == 200
    assert summary_names_field(response, "id_name")
    mosque.refresh_from_db()
    assert mosque.name == "Lawrence Hill Mosque"


@pytest.mark.parametrize("name", ["New", "Localities", "Edit"])
def test_an_organisation_named_like_a_page_address_gets_its_own_slug_and_its_page_opens(
    sign_in, admin_user, name
):
    client = sign_in(admin_user)

    client.post(
        reverse("organisations:organisation_create"),
        {"name": name, "kind": OrganisationKind.COMMUNITY},
    )

    organisation = Organisation.objects.get(name=name)
    assert organisation.slug != name.lower()
    detail = client.get(organisation_url("organisation_detail", organisation))
    assert detail.status_code == 200
    assert detail.context["organisation"] == organisation
    assert client.get(reverse("organisations:organisation_create")).status_code == 200


def test_two_organisations_whose_names_slugify_alike_get_different_slugs(sign_in, admin_user):
    client = sign_in(admin_user)
    for name in ("St. Mark's Church", "St Marks Church"):
        client.post(
            reverse("organisations:organisation_create"),
            {"name": name, "kind": OrganisationKind.FAITH},
        )

    slugs = set(Organisation.objects.filter(name__startswith="St").values_list("slug", flat=True))
    assert len(slugs) == 2


@pytest.mark.parametrize("persona", ["keyworker", "ig_officer", "strategic_manager"])
def test_people_who_are_not_administrators_cannot_add_or_change_organisations(
    request, sign_in, partners, persona
):
    client = sign_in(request.getfixturevalue(persona))
    mosque = partners["mosque"]
    count = Organisation.objects.count()
    create = reverse("organisations:organisation_create")
    edit = organisation_url("organisation_edit", mosque)
    data = {"name": "Sneaky Group", "kind": OrganisationKind.OTHER}

    answers = [
        client.get(create).status_code,
        client.post(create, data).status_code,
        client.get(edit).status_code,
        client.post(edit, data).status_code,
        client.get(reverse("organisations:locality_create")).status_code,
    ]

    assert answers == [403] * 5
    assert Organisation.objects.count() == count
    mosque.refresh_from_db()
    assert mosque.name == "Lawrence Hill Mosque"


def test_locality_list_counts_the_active_organisations_in_each_locality(
    sign_in, keyworker, partners, easton
):
    closed = OrganisationFactory(name="Closed Group", is_active=False)
    closed.localities.add(easton)
    partners["mosque"].localities.add(easton)

    response = sign_in(keyworker).get(LOCALITIES)

    counts = {
        locality.name: locality.organisation_count for locality in response.context["localities"]
    }
    assert counts == {"Easton": 2, "Lawrence Hill": 1}
    assert "Avon and Somerset Police" in [o.name for o in response.context["city_wide"]]


def test_locality_page_lists_its_organisations_and_postcode_districts(
    sign_in, keyworker, partners, easton
):
    response = sign_in(keyworker).get(
        reverse("organisations:locality_detail", kwargs={"slug": easton.slug})
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Easton Youth Club" in page
    assert "Lawrence Hill Mosque" not in page
    assert "BS5" in page


def test_an_unknown_locality_or_organisation_is_not_found(sign_in, keyworker):
    client = sign_in(keyworker)

    assert client.get(reverse("organisations:locality_detail", args=["nowhere"])).status_code == 404
    assert (
        client.get(reverse("organisations:organisation_detail", args=["nobody"])).status_code == 404
    )


def test_admin_adds_a_locality_and_postcode_districts_are_tidied(sign_in, admin_user):
    response = sign_in(admin_user).post(
        reverse("organisations:locality_create"),
        {
            "name": "Easton and Lawrence Hill",
            "postcode_districts": "bs5, BS2, bs5",
            "wards": "Easton, Lawrence Hill",
        },
    )

    locality = Locality.objects.get(name="Easton and Lawrence Hill")
    assert response.status_code == 302
    assert response.url == reverse("organisations:locality_detail", args=[locality.slug])
    assert locality.postcode_districts == ["BS5", "BS2"]
    assert locality.wards == ["Easton", "Lawrence Hill"]
    assert AuditEntry.objects.filter(verb=AuditVerb.CREATE, target_id=str(locality.pk)).exists()


def test_admin_changes_a_locality(sign_in, admin_user, easton):
    response = sign_in(admin_user).post(
        reverse("organisations:locality_edit", args=[easton.slug]),
        {"name": "Easton", "postcode_districts": "BS5, BS6"},
    )

    assert response.status_code == 302
    easton.refresh_from_db()
    assert easton.postcode_districts == ["BS5", "BS6"]
    assert AuditEntry.objects.filter(verb=AuditVerb.UPDATE, target_id=str(easton.pk)).exists()


def test_a_postcode_district_that_is_not_one_is_refused_on_that_field(sign_in, admin_user):
    count = Locality.objects.count()

    response = sign_in(admin_user).post(
        reverse("organisations:locality_create"),
        {"name": "Somewhere", "postcode_districts": "BS5, XYZ"},
    )

    assert response.status_code == 200
    assert summary_names_field(response, "id_postcode_districts")
    assert "XYZ" in summary_text(response)
    assert Locality.objects.count() == count


def test_a_second_locality_with_the_same_name_is_refused(sign_in, admin_user, easton):
    response = sign_in(admin_user).post(
        reverse("organisations:locality_create"), {"name": "EASTON"}
    )

    assert response.status_code == 200
    assert summary_names_field(response, "id_name")
    assert Locality.objects.count() == 1


def _queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _organisations_in(locality: Locality, count: int) -> None:
    for _ in range(count):
        OrganisationFactory().localities.add(locality)


def test_locality_list_runs_the_same_number_of_queries_as_organisations_grow(
    sign_in, keyworker, easton, lawrence_hill
):
    client = sign_in(keyworker)
    _organisations_in(easton, 1)
    client.get(LOCALITIES)
    few = _queries_for(client, LOCALITIES)

    _organisations_in(easton, 20)
    _organisations_in(lawrence_hill, 20)
    OrganisationFactory.create_batch(10)  # city-wide
    many = _queries_for(client, LOCALITIES)

    assert many == few


def test_organisation_list_runs_the_same_number_of_queries_as_organisations_grow(
    sign_in, keyworker, easton
):
    client = sign_in(keyworker)
    _organisations_in(easton, 2)
    client.get(ORGANISATIONS)
    few = _queries_for(client, ORGANISATIONS)

    _organisations_in(easton, 20)
    many = _queries_for(client, ORGANISATIONS)

    assert many == few


def test_people_without_a_role_can_still_find_organisations(client, db, partners):
    nobody = make_person(None)

    response = sign_in_client(client, nobody).get(ORGANISATIONS)

    assert response.status_code == 200


def test_an_invalid_filter_lists_nothing_rather_than_everything(client, keyworker, sign_in):
    OrganisationFactory(name="Should Not Be Listed")
    response = sign_in(keyworker).get(
        reverse("organisations:organisation_list"), {"locality": "nowhere"}
    )
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert b"Should Not Be Listed" not in response.content
