"""Connected components over the links at or above a threshold."""

from collections.abc import Iterable, Sequence


def connected_components(
    record_ids: Sequence[str], links: Iterable[tuple[str, str]]
) -> dict[str, str]:
    """The cluster of each record, named by its smallest record_id."""
    parent = {record_id: record_id for record_id in record_ids}

    def root(record_id: str) -> str:
        while parent[record_id] != record_id:
            parent[record_id] = parent[parent[record_id]]
            record_id = parent[record_id]
        return record_id

    for first, second in links:
        first_root, second_root = root(first), root(second)
        if first_root != second_root:
            parent[max(first_root, second_root)] = min(first_root, second_root)
    return {record_id: root(record_id) for record_id in record_ids}
