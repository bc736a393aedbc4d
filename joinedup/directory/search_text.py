"""The words each service can be found by, kept with the service: its name, description,
provider and needs, in lower case, in one column (Service.search_text). Searching one column
with one pattern per word reads the services table once; matching each word against four
columns, two of them in other tables, cost several times more over 20,000 services.

Whatever changes those words refreshes the column in the same transaction: the directory's
services (editing, both imports, the needs taxonomy, the demo) call `search_text_refresh`;
`manage.py directory_search_rebuild` mends rows written any other way."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import QuerySet

from joinedup.directory.models import Service, ServiceTerm

BATCH = 500


def search_text(name: str, description: str, provider: str, needs: Iterable[str]) -> str:
    return "\n".join((name, description, provider, *needs)).lower()


def search_text_refresh(services: QuerySet[Service] | None = None) -> int:
    """Works out the search text of `services` (every service when None) from what is saved
    now, and writes the ones that changed. Returns how many changed."""
    chosen = Service.objects.all() if services is None else services
    rows = list(
        chosen.order_by().values_list("pk", "name", "description", "provider__name", "search_text")
    )
    needs: dict[object, list[str]] = defaultdict(list)
    links = ServiceTerm.objects.filter(service__in=chosen.order_by().values("pk"))
    for service_id, need in links.order_by("term__name").values_list("service_id", "term__name"):
        needs[service_id].append(need)
    changed = []
    for pk, name, description, provider, stored in rows:
        text = search_text(name, description, provider, needs.get(pk, ()))
        if text != stored:
            changed.append(Service(pk=pk, search_text=text))
    Service.objects.bulk_update(changed, ["search_text"], batch_size=BATCH)
    return len(changed)
