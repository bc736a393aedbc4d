"""One open safeguarding concern, raised by the demo keyworker about a child on their caseload
and routed to the designated safeguarding lead of the keyworker's organisation, so that the
lead's inbox has something to show. Loaded once. Every person is made up."""

from joinedup.accounts.models import User
from joinedup.children.need_to_know import current_involvements
from joinedup.organisations.models import Organisation
from joinedup.safeguarding.models import SafeguardingConcern
from joinedup.safeguarding.services import concern_raise

WHAT_HAPPENED = (
    "At the after-school club he told me that when his mum's partner has been drinking he "
    "gets shouted at and pushed, and that last week he was pushed into a door. He asked me "
    "not to tell anyone."
)
WHY_WORRIED = (
    "He had a fresh bruise above his left eye. He did not want to go home at the end of the "
    "session and waited outside until the centre closed."
)


def load_demo_safeguarding(*, raiser: tuple[User, Organisation]) -> None:
    keyworker, organisation = raiser
    if SafeguardingConcern.objects.filter(raised_by=keyworker).exists():
        return
    involvement = (
        current_involvements()
        .filter(worker=keyworker, organisation=organisation)
        .select_related("child")
        .order_by("-child__family_name", "-child__given_name")
        .first()
    )
    if involvement is None:
        return
    concern_raise(
        actor=keyworker,
        child=involvement.child,
        organisation=organisation,
        details=WHAT_HAPPENED,
        why_worried=WHY_WORRIED,
    )
