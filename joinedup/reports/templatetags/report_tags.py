from typing import Any

from django import template

register = template.Library()


@register.filter
def get(mapping: Any, key: str) -> Any:
    """`mapping|get:key`: the value for `key`, or None (for dicts keyed by figure)."""
    if not mapping:
        return None
    return mapping.get(key)


@register.filter
def get_item(sequence: Any, index: int) -> Any:
    """`sequence|get_item:i`: the i-th item, or None."""
    try:
        return sequence[index]
    except (IndexError, TypeError):
        return None


@register.filter
def has_hidden(table: Any) -> bool:
    """Whether any cell or total of a published table is not shown."""
    cells = [cell for _, row in table.rows for cell in row]
    cells += [*table.row_totals, *table.column_totals]
    if table.grand_total is not None:
        cells.append(table.grand_total)
    return any(cell.value is None for cell in cells)
