"""The retention periods JoinedUp starts with, and why. Each partnership sets its own on the
Retention page (an information governance officer); these are configurable defaults drawn from
what UK children's and youth services' retention schedules commonly say, not legal advice.
Plain data with no imports from the app, so migration 0002 can seed from it for ever."""

# record type -> (months after the case closed, keep at least until this age or None, why)
DEFAULT_PERIODS: dict[str, tuple[int, int | None, str]] = {
    "closed_case": (
        72,
        25,
        "Early help and family support records are commonly kept until the child's 25th "
        "birthday, or six years after the case closed if that is later (the IRMS retention "
        "guidelines for local authorities; the 25th birthday lets a young adult ask for their "
        "records and covers the time limit for claims about their childhood).",
    ),
    "referral_not_accepted": (
        24,
        None,
        "A referral that led to no support is kept for two years, so that a second referral "
        "from another agency can be seen as a pattern, then anonymised.",
    ),
    "referral": (
        72,
        25,
        "Part of the case file: kept as long as the closed case.",
    ),
    "consent": (
        72,
        25,
        "Evidence that sharing was lawful: kept as long as the case it covers, so that a "
        "later question about who shared what can be answered.",
    ),
    "assessment": (
        72,
        25,
        "Part of the case file: kept as long as the closed case.",
    ),
    "panel": (
        72,
        25,
        "The panel's decisions and reasons about the child: kept as long as the closed case.",
    ),
    "plan": (
        72,
        25,
        "Part of the case file: kept as long as the closed case.",
    ),
    "action": (
        72,
        None,
        "What agencies agreed to do: kept six years after the case closed, for complaints.",
    ),
    "safeguarding": (
        72,
        25,
        "Child-protection concerns are kept at least until the child's 25th birthday. "
        "Records that may be relevant to an inquiry into child abuse must not be destroyed "
        "while a moratorium applies: lengthen this period if one does.",
    ),
    "notification": (
        12,
        None,
        "Inbox notices name children by reference and pseudonym only and are reminders, not "
        "records: deleted a year after they were sent.",
    ),
    "audit_event": (
        72,
        None,
        "Who saw or changed a child's data is kept at least as long as the data itself. The "
        "audit trail is append-only, so the job reports entries past this period for the "
        "database operator to archive; it never changes them.",
    ),
}
