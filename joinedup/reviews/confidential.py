"""The one rule for showing confidential answers: a figure drawn from fewer answers than
`JOINEDUP_PARTNERSHIP_REVIEW_MIN_ANSWERS` (default 3) is not shown, because with two answers
each person can work out the other's from the total and their own."""

from django.conf import settings


def min_answers() -> int:
    return max(2, int(settings.JOINEDUP_PARTNERSHIP_REVIEW_MIN_ANSWERS))


def enough(count: int) -> bool:
    return count >= min_answers()
