"""Keyset pagination: a page is the rows after (or before) one row's sort-key values, never OFFSET.

Shared by the pages' tables (dossier.tables.KeysetPaginator) and the API (api.pagination). A cursor
is a row's sort-key values, signed (so it is opaque and cannot be forged into a query of the wrong
type) and bound to the sort it came from. Every page costs what the first page costs, at any depth,
and rows inserted meanwhile never shift the rows still to come.
"""
import datetime
import decimal

from django.core import signing
from django.core.exceptions import FieldError
from django.db.models import BooleanField, Count, F, Func, OrderBy, Q, Value
from django.db.models.functions import Coalesce
from django.db.models.sql.constants import LOUTER

UNIQUE = ("id", "pk")


class BadCursor(ValueError):
    """A cursor this site did not give out ("forged"), or one of another sort ("sort") or of another
    number of keys ("keys"): `reason` says which."""

    def __init__(self, reason):
        super().__init__(f"bad cursor: {reason}")
        self.reason = reason


def order_keys(queryset, unique=UNIQUE):
    """The queryset's order as [(path, descending)], ending on a unique key (the id unless it ends on
    one of `unique`)."""
    keys = []
    for term in queryset.query.order_by:
        if isinstance(term, str):
            keys.append((term.lstrip("-"), term.startswith("-")))
        elif isinstance(term, OrderBy) and isinstance(term.expression, F):
            keys.append((term.expression.name, term.descending))
        else:
            raise TypeError(f"cannot page over the sort term {term!r}")
    if not keys or keys[-1][0] not in (*UNIQUE, *unique):
        keys.append(("id", keys[-1][1] if keys else False))
    return keys


def nullable_keys(queryset, keys):
    """For each key, whether a row's value may be NULL (a nullable column, an outer join, an annotation
    that may be NULL); when unsure, True, which is always correct and only slower."""
    query = queryset.query.clone()  # resolving a path may add its joins: not to the caller's query
    return [path not in UNIQUE and _may_be_null(_resolved(query, path), query) for path, _ in keys]


def _resolved(query, path):
    try:
        return query.resolve_ref(path, allow_joins=True)
    except FieldError:
        return None


def _may_be_null(expression, query):
    if expression is None:
        return True
    if hasattr(expression, "target") and hasattr(expression, "alias"):  # a column
        if expression.target.null:
            return True
        alias = expression.alias
        while alias in query.alias_map:  # up the joins to the base table: any outer one may give NULL
            join = query.alias_map[alias]
            if getattr(join, "join_type", None) == LOUTER:
                return True
            alias = getattr(join, "parent_alias", None)
        return False
    if isinstance(expression, Count):
        return False
    if isinstance(expression, Coalesce):
        return all(_may_be_null(part, query) for part in expression.get_source_expressions())
    if isinstance(expression, Value):
        return expression.value is None
    source = getattr(expression, "source", None)  # a Ref to an annotation
    if source is not None:
        return _may_be_null(source, query)
    return True


def ordered(queryset, keys, nullable=None, backwards=False):
    """The queryset sorted by the keys, NULLs last both ways (as after() assumes); `backwards`: the
    reverse order, NULLs first, for reading the rows before a cursor."""
    nullable = nullable or [path not in UNIQUE for path, _ in keys]

    def term(path, descending, may_be_null):
        descending = descending != backwards
        # A key that is never NULL is sorted plainly, so that its index serves the sort.
        nulls = ({"nulls_first": True} if backwards else {"nulls_last": True}) if may_be_null else {}
        return F(path).desc(**nulls) if descending else F(path).asc(**nulls)

    return queryset.order_by(*(term(path, descending, n) for (path, descending), n in zip(keys, nullable)))


class RowAfter(Func):
    """(a, b, ...) > (x, y, ...), or <: one condition that an index on (a, b, ...) seeks to, where
    a chain of ORs would make the database walk every row before the cursor."""

    output_field = BooleanField()

    def __init__(self, paths, values, descending):
        super().__init__(*(F(path) for path in paths))
        self.values, self.operator = list(values), "<" if descending else ">"

    def as_sql(self, compiler, connection, **extra):
        columns, values, column_params, value_params = [], [], [], []
        for column, value in zip(self.get_source_expressions(), self.values):
            sql, params = compiler.compile(column)
            columns.append(sql)
            column_params.extend(params)
            # Typed as the column is: a datetime's ISO text becomes the value the database compares.
            sql, params = compiler.compile(Value(value, output_field=column.output_field))
            values.append(sql)
            value_params.extend(params)
        params = [*column_params, *value_params]
        if len(columns) == 1:
            return f"{columns[0]} {self.operator} {values[0]}", params
        return f"({', '.join(columns)}) {self.operator} ({', '.join(values)})", params


def after(keys, values, nullable=None, backwards=False):
    """Q of the rows after the one with these key values in the keys' order, NULLs last (`backwards`:
    of the rows before it, which is after it in the reverse order, NULLs first).

    Where the keys left to compare share a direction and are never NULL (the id, a title, an import
    time) they are compared as one row value, which walks an index and stops.
    """
    nullable = nullable or [path not in UNIQUE for path, _ in keys]
    keys = [(path, descending != backwards) for path, descending in keys]
    condition, equal = Q(pk__in=[]), Q()
    for index, ((path, descending), value, may_be_null) in enumerate(zip(keys, values, nullable)):
        rest = keys[index:]
        if not any(nullable[index:]) and None not in values[index:] and len({d for _, d in rest}) == 1:
            return condition | (equal & Q(RowAfter([p for p, _ in rest], values[index:], descending)))
        if value is not None:
            later = Q(**{f"{path}__{'lt' if descending else 'gt'}": value})
            if may_be_null and not backwards:
                later |= Q(**{f"{path}__isnull": True})  # NULLs come last
            condition |= equal & later
            equal &= Q(**{path: value})
        else:
            if backwards:  # NULLs come first: every value is after them
                condition |= equal & Q(**{f"{path}__isnull": False})
            equal &= Q(**{f"{path}__isnull": True})  # among the NULLs, only the later keys can be later
    return condition


def _plain(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def encode(sort, values, salt, **extra):
    """A signed cursor holding a row's key values, bound to `sort` (anything JSON can hold)."""
    return signing.dumps({"s": sort, "v": [_plain(value) for value in values], **extra}, salt=salt)


def decode(cursor, sort, salt, keys=None):
    """The cursor's data ({"v": values, ...}); BadCursor when it was not signed here or is of another
    sort, or holds another number of values than `keys`."""
    try:
        data = signing.loads(cursor, salt=salt)
    except signing.BadSignature:
        raise BadCursor("forged") from None
    if not isinstance(data, dict) or data.get("s") != sort:
        raise BadCursor("sort")
    if not isinstance(data.get("v"), list) or (keys is not None and len(data["v"]) != len(keys)):
        raise BadCursor("keys")
    return data


def rows(queryset, keys, values=None, limit=50, backwards=False, nullable=None):
    """Up to limit + 1 rows after the key values (or before them, nearest first), each annotated with
    its key values as `_cursor0`, `_cursor1`, ... (see key_values()).

    One query plus prefetches; two on the one page where a nullable first key's values give way to
    its NULLs, since each run is read by its own walk of the index and a condition spanning both
    ("below this score, or no score") makes the database walk every row before the cursor.
    """
    nullable = nullable or [path not in UNIQUE for path, _ in keys]
    names = [f"_cursor{index}" for index in range(len(keys))]
    page = ordered(queryset, keys, nullable, backwards).annotate(
        **{name: F(path) for name, (path, _) in zip(names, keys)}
    )
    if values is None:
        return list(page[: limit + 1])
    if not nullable[0] or len(keys) == 1:
        return list(page.filter(after(keys, values, nullable, backwards))[: limit + 1])
    path, rest = keys[0][0], (keys[1:], values[1:], nullable[1:])
    if values[0] is None:  # among the NULLs; going back, the values come after them
        within = page.filter(Q(**{f"{path}__isnull": True}) & after(*rest, backwards=backwards))
        then = page.filter(**{f"{path}__isnull": False}) if backwards else None
    else:  # among the values; going forward, the NULLs come after them
        within = page.filter(Q(**{f"{path}__isnull": False}) & after(keys, values, [False, *rest[2]], backwards))
        then = None if backwards else page.filter(**{f"{path}__isnull": True})
    found = list(within[: limit + 1])
    if then is not None and len(found) <= limit:
        found += then[: limit + 1 - len(found)]
    return found


def key_values(row, keys):
    """The key values rows() annotated on a row, for its cursor."""
    return [getattr(row, f"_cursor{index}") for index in range(len(keys))]
