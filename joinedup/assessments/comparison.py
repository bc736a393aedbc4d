"""Change per domain between two versions of a child's assessment. Ratings say how far an area
of the child's life is associated with the concerns, so a lower rating is better."""

from dataclasses import dataclass

from joinedup.assessments.models import Assessment, Domain, DomainRating


@dataclass(frozen=True)
class DomainChange:
    domain: Domain
    before: DomainRating | None
    after: DomainRating | None

    @property
    def direction(self) -> str:
        """ "better", "same" or "worse"; "" when either version has no rating for it."""
        if self.before is None or self.after is None:
            return ""
        if self.before.rating is None or self.after.rating is None:
            return ""
        if self.after.rating < self.before.rating:
            return "better"
        if self.after.rating > self.before.rating:
            return "worse"
        return "same"


def domain_changes(earlier: Assessment, later: Assessment) -> list[DomainChange]:
    """One row per domain rated in either version: the later version's domains in its order,
    then any the later version no longer rates. Uses the ratings already prefetched."""
    before = {rating.domain_id: rating for rating in earlier.ratings.all()}
    after = {rating.domain_id: rating for rating in later.ratings.all()}
    rows = [
        DomainChange(domain=rating.domain, before=before.get(domain_id), after=rating)
        for domain_id, rating in after.items()
    ]
    rows += [
        DomainChange(domain=rating.domain, before=rating, after=None)
        for domain_id, rating in before.items()
        if domain_id not in after
    ]
    return rows
