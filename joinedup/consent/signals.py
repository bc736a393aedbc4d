"""Sent the moment consent is withdrawn, inside the withdrawal's transaction.

Receivers (the panels app takes the case off future agendas) get `child`, `scope`,
`organisation` (None unless the scope is sharing with a named organisation), `actor` and
`record`. A receiver that fails rolls the withdrawal back with it, so a withdrawal is never
recorded without everything that follows from it; services that share or discuss a child's
case still call `consent_in_force` themselves and never rely on this signal alone.
"""

from django.dispatch import Signal

consent_withdrawn = Signal()
