"""Preparing the panel pack of a meeting with 15 cases, each with a completed assessment, the
child's and a parent's "Over to You" and two written views, through the Django test client
(middleware, sessions and all), for a member outside the team around the children: the
slower reader, whose pack has every name taken out of the free text.

Runs against a fresh SQLite database in a temporary folder, never the configured one."""

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from benchmarks.common import migrated_database, p95

TARGETS = {"html_median_s": 2.0, "pdf_median_s": 5.0}
CASES = 15
EVIDENCE = (
    "{given} walks out of lessons when frustrated and calms down with the learning mentor. "
    "His mother {mother} says evenings are harder since the move to {street}."
)


def _setup_django(directory: str) -> None:
    os.environ.pop("DATABASE_URL", None)
    os.environ["SQLITE_PATH"] = str(migrated_database(Path(directory) / "bench.sqlite3"))
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "joinedup.settings")
    import django
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment()


def _person(name: str, role: str, organisation: Any) -> Any:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from joinedup.accounts.models import Membership, User

    user = User.objects.create(email=f"{name.lower().replace(' ', '.')}@bench.test", full_name=name)
    Membership.objects.create(user=user, organisation=organisation, role=role, job_title="Worker")
    TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    return user


def _build() -> tuple[Any, Any]:
    """The meeting and a member outside the team around every child on its agenda."""
    from django.utils import timezone

    from joinedup.assessments.models import (
        Assessment,
        AssessmentKind,
        AssessmentStatus,
        Domain,
        DomainRating,
        OverToYou,
        Respondent,
        SeriousHarm,
    )
    from joinedup.children.models import Address, Child, HouseholdMember, Involvement
    from joinedup.core.roles import Role
    from joinedup.organisations.models import Locality, Organisation
    from joinedup.panels import pack_services
    from joinedup.panels.models import AgendaItem, Meeting, Panel, PanelMember, PanelRole
    from joinedup.referrals.models import Referral

    locality = Locality.objects.create(name="Easton", slug="easton", postcode_districts=["BS5"])
    school = Organisation.objects.create(name="Bench Primary", slug="bench-primary", kind="school")
    project = Organisation.objects.create(name="Bench Youth", slug="bench-youth", kind="voluntary")
    police = Organisation.objects.create(name="Bench Police", slug="bench-police", kind="police")
    panel = Panel.objects.create(name="Bench panel", slug="bench")
    panel.localities.add(locality)
    member = _person("Pat Member", Role.PANEL_MEMBER, police)
    PanelMember.objects.create(panel=panel, user=member, organisation=police, role=PanelRole.MEMBER)
    mentor = _person("Mo Mentor", Role.REFERRER, school)
    keyworker = _person("Kay Worker", Role.KEYWORKER, project)
    meeting = Meeting.objects.create(panel=panel, starts_at=timezone.now() + timedelta(days=7))
    domains = list(Domain.objects.filter(panel__isnull=True, is_active=True))
    for number in range(CASES):
        given, family = f"Given{number}", f"Family{number}"
        mother_name, street = f"Mum{number} {family}", f"{number} Bench Street"
        child = Child.objects.create(
            given_name=given,
            family_name=family,
            date_of_birth=date(2015, 1, 1 + number),
            locality=locality,
            school=school,
        )
        mother = HouseholdMember.objects.create(
            child=child, full_name=mother_name, relationship="mother"
        )
        Address.objects.create(child=child, line_1=street, postcode="BS5 0AA")
        text = EVIDENCE.format(given=given, mother=mother_name, street=street)
        referral = Referral.objects.create(
            child=child,
            referrer=mentor,
            referring_organisation=school,
            relationship_to_child="Learning mentor",
            what_has_been_tried=text,
            urgency="soon",
            family_aware="yes",
            panel=panel,
        )
        item = AgendaItem.objects.create(meeting=meeting, child=child, referral=referral)
        assessment = Assessment.objects.create(
            child=child,
            kind=AssessmentKind.INITIAL,
            version=1,
            status=AssessmentStatus.COMPLETED,
            completed_at=timezone.now(),
            organisation=school,
            assessed_on=timezone.localdate(),
            protective_factors=text,
            serious_harm=SeriousHarm.NONE,
        )
        DomainRating.objects.bulk_create(
            DomainRating(assessment=assessment, domain=domain, rating=2, evidence=text)
            for domain in domains
        )
        for respondent, household_member in ((Respondent.CHILD, None), (Respondent.PARENT, mother)):
            OverToYou.objects.create(
                child=child,
                respondent=respondent,
                household_member=household_member,
                answers={"school_like": "agree", "family_get_on": "agree"},
                in_their_words=text,
                helped_by="The learning mentor",
                filled_on=timezone.localdate(),
            )
        for author, organisation in ((mentor, school), (keyworker, project)):
            Involvement.objects.create(
                child=child, organisation=organisation, worker=author, role="keyworker"
            )
            pack_services.contribution_submit(
                actor=author,
                item=item,
                given=pack_services.ContributionGiven(view=text * 3, will_attend=False),
            )
    return meeting, member


def _signed_in_client(user: Any) -> Any:
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    return client


def _timings(request: Callable[[], Any], repeats: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds per request. Both are kept: on a machine shared with other
    work the wall clock mostly measures the queue for the processor."""
    request()  # templates, fonts and the session settle on a first request
    wall, cpu = [], []
    for _ in range(repeats):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = request()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        assert response.status_code == 200, response.status_code
    return sorted(wall), sorted(cpu)


def run(quick: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as directory:
        _setup_django(directory)
        from django.urls import reverse

        started = time.perf_counter()
        meeting, member = _build()
        build_seconds = time.perf_counter() - started
        client = _signed_in_client(member)
        html_url = reverse("panels:pack", kwargs={"meeting_id": meeting.pk})
        pdf_url = reverse("panels:pack_pdf", kwargs={"meeting_id": meeting.pk})
        html, html_cpu = _timings(lambda: client.get(html_url), 10 if quick else 30)
        pdf, pdf_cpu = _timings(lambda: client.get(pdf_url), 3 if quick else 10)
        pdf_bytes = len(client.get(pdf_url).content)
    html_median, pdf_median = statistics.median(html), statistics.median(pdf)
    return {
        "cases": CASES,
        "build_s": round(build_seconds, 1),
        "html_runs": len(html),
        "html_median_s": round(html_median, 3),
        "html_p95_s": round(p95(html), 3),
        "html_cpu_median_s": round(statistics.median(html_cpu), 3),
        "pdf_runs": len(pdf),
        "pdf_median_s": round(pdf_median, 3),
        "pdf_p95_s": round(p95(pdf), 3),
        "pdf_cpu_median_s": round(statistics.median(pdf_cpu), 3),
        "pdf_kb": round(pdf_bytes / 1024, 1),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "cpus": os.cpu_count(),
        "targets": TARGETS,
        "met": {
            "html_median_s": html_median < TARGETS["html_median_s"],
            "pdf_median_s": pdf_median < TARGETS["pdf_median_s"],
        },
    }
