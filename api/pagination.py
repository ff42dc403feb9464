"""Cursor pagination: keyset on the queryset's own sort keys (ending on a unique one), never OFFSET or COUNT.

The cursor is the last row's sort-key values, signed (so it is opaque and cannot be forged into a
query of the wrong type) and bound to the sort it came from. A page costs what the first page costs
at any depth, and rows inserted meanwhile never shift the rows still to come.
"""
import datetime
import decimal

from django.core import signing
from django.db.models import F, OrderBy, Q

from .errors import ApiError

SALT = "api.cursor"
UNIQUE = ("id", "pk", "summary__article_id")  # keys that tell rows apart (summary__article_id: inner join)


def order_keys(queryset):
    """The queryset's order as [(path, descending)], with NULLs last in either direction."""
    keys = []
    for term in queryset.query.order_by:
        if isinstance(term, str):
            keys.append((term.lstrip("-"), term.startswith("-")))
        elif isinstance(term, OrderBy) and isinstance(term.expression, F):
            keys.append((term.expression.name, term.descending))
        else:
            raise TypeError(f"cannot page over the sort term {term!r}")
    if not keys or keys[-1][0] not in UNIQUE:
        keys.append(("id", keys[-1][1] if keys else False))
    return keys


def _nullable(path):
    return path not in ("id", "pk")


def ordered(queryset, keys):
    """The queryset sorted by the keys, NULLs last both ways (as the cursor condition assumes)."""
    def term(path, descending):
        nulls = {"nulls_last": True} if _nullable(path) else {}  # plain on the id, so its index serves it
        return F(path).desc(**nulls) if descending else F(path).asc(**nulls)

    return queryset.order_by(*(term(path, descending) for path, descending in keys))


def after(keys, values):
    """Q of the rows after the one with these key values, in the keys' order (NULLs last)."""
    condition, equal = Q(pk__in=[]), Q()
    for (path, descending), value in zip(keys, values):
        if value is not None:
            later = Q(**{f"{path}__{'lt' if descending else 'gt'}": value})
            if _nullable(path):
                later |= Q(**{f"{path}__isnull": True})
            condition |= equal & later
            equal &= Q(**{path: value})
        else:
            equal &= Q(**{f"{path}__isnull": True})  # among the NULLs, only the later keys can be later
    return condition


def _plain(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def encode(sort, values):
    return signing.dumps({"s": sort, "v": [_plain(value) for value in values]}, salt=SALT)


def decode(cursor, sort):
    try:
        data = signing.loads(cursor, salt=SALT)
    except signing.BadSignature:
        raise ApiError(400, "This cursor is not one the API gave out.", code="bad_cursor", field="cursor") from None
    if data.get("s") != sort:
        raise ApiError(400, "This cursor belongs to another sort: keep the sort it came with.",
                       code="bad_cursor", field="cursor")
    return data["v"]


def page(queryset, sort, cursor=None, limit=50):
    """(rows, next cursor or None): `limit` rows after the cursor in the queryset's order; one query
    (plus the queryset's own prefetches)."""
    keys = order_keys(queryset)
    names = [f"_cursor{index}" for index in range(len(keys))]
    rows = ordered(queryset, keys).annotate(**{name: F(path) for name, (path, _) in zip(names, keys)})
    if cursor:
        values = decode(cursor, sort)
        if len(values) != len(keys):
            raise ApiError(400, "This cursor belongs to another sort.", code="bad_cursor", field="cursor")
        rows = rows.filter(after(keys, values))
    rows = list(rows[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    return rows, encode(sort, [getattr(rows[-1], name) for name in names])


NAME_SORTS = ("name", "-name", "id", "-id")


def by_name(queryset, sort, cursor=None, limit=50):
    """page() over a list sorted by one of NAME_SORTS (ties by id, the same way); an unknown sort is a 422."""
    if sort not in NAME_SORTS:
        raise ApiError(422, f"Unknown sort “{sort}”: use one of {', '.join(NAME_SORTS)}.", field="sort")
    return page(queryset.order_by(sort, F("id").desc() if sort[0] == "-" else "id"), sort, cursor, limit)
