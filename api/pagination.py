"""Cursor pagination for the API: dossier.pagination's keyset on the queryset's own sort keys (ending on
a unique one), never OFFSET or COUNT, with the API's errors.

The cursor is the last row's sort-key values, signed and bound to the sort it came from.
"""
from django.db.models import F

from dossier import pagination as keyset

from .errors import ApiError

SALT = "api.cursor"
UNIQUE = ("id", "pk", "summary__article_id")  # keys that tell rows apart (summary__article_id: inner join)

_BAD_CURSOR = {
    "forged": "This cursor is not one the API gave out.",
    "sort": "This cursor belongs to another sort: keep the sort it came with.",
    "keys": "This cursor belongs to another sort.",
}


def order_keys(queryset):
    """The queryset's order as [(path, descending)], with NULLs last in either direction."""
    return keyset.order_keys(queryset, UNIQUE)


def encode(sort, values):
    return keyset.encode(sort, values, SALT)


def decode(cursor, sort, keys=None):
    try:
        return keyset.decode(cursor, sort, SALT, keys)["v"]
    except keyset.BadCursor as bad:
        raise ApiError(400, _BAD_CURSOR[bad.reason], code="bad_cursor", field="cursor") from None


def page(queryset, sort, cursor=None, limit=50):
    """(rows, next cursor or None): `limit` rows after the cursor in the queryset's order; one query
    (plus the queryset's own prefetches)."""
    keys = order_keys(queryset)
    values = decode(cursor, sort, keys) if cursor else None
    rows = keyset.rows(queryset, keys, values, limit, nullable=keyset.nullable_keys(queryset, keys))
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    return rows, encode(sort, keyset.key_values(rows[-1], keys))


NAME_SORTS = ("name", "-name", "id", "-id")


def by_name(queryset, sort, cursor=None, limit=50):
    """page() over a list sorted by one of NAME_SORTS (ties by id, the same way); an unknown sort is a 422."""
    if sort not in NAME_SORTS:
        raise ApiError(422, f"Unknown sort “{sort}”: use one of {', '.join(NAME_SORTS)}.", field="sort")
    return page(queryset.order_by(sort, F("id").desc() if sort[0] == "-" else "id"), sort, cursor, limit)
