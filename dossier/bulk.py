"""Chunked reads and multi-row INSERTs: the one home for whole-corpus passes and bulk writes."""
import functools
from itertools import islice

from django.db import connections

BATCH = 500  # ids per query: under SQLite's limit on query parameters


def batches(items, size=BATCH):
    """Lists of at most `size` items (ids, rows) from an iterable: for whole-corpus passes."""
    items = iter(items)
    while batch := list(islice(items, size)):
        yield batch


def insert_rows(model, columns, rows, batch_size=5000, ignore_conflicts=False):
    """Plain multi-row INSERTs: for passages, building a model instance per row costs more than the insert.
    ignore_conflicts: a row whose unique key is taken is skipped (both databases' ON CONFLICT DO NOTHING)."""
    connection = connections[model.objects.db]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({}){}".format(
        quote(model._meta.db_table), ", ".join(map(quote, columns)), ", ".join(["%s"] * len(columns)),
        " ON CONFLICT DO NOTHING" if ignore_conflicts else "",
    )
    rows = iter(rows)
    with connection.cursor() as cursor:
        while batch := list(islice(rows, batch_size)):
            cursor.executemany(sql, batch)


def database_values(model, fields):
    """A function from an instance to its values of `fields`, ready for the driver: dates and times adapted as
    Django's own writes adapt them, plain text, numbers and keys as they are, anything else through the field."""
    connection = connections[model.objects.db]
    plain = ("CharField", "TextField", "URLField", "PositiveIntegerField", "IntegerField", "BigIntegerField",
             "PositiveSmallIntegerField", "BooleanField", "ForeignKey", "AutoField", "BigAutoField")
    adapters = []
    for field in fields:
        kind = field.get_internal_type()
        if kind in plain:
            adapters.append((field.attname, None))
        elif kind in ("DateTimeField", "DateField"):
            adapt = getattr(connection.ops, f"adapt_{kind.lower()}_value")
            # A bulk write's rows mostly share their times (imported_at): each adapted once.
            adapters.append((field.attname, functools.lru_cache(maxsize=1024)(adapt)))
        else:
            adapters.append((field.attname, lambda value, field=field: field.get_db_prep_save(value, connection)))

    def values(instance):
        return [getattr(instance, name) if adapt is None else adapt(getattr(instance, name))
                for name, adapt in adapters]
    return values


def create_instances(instances, batch_size=500):
    """New instances of a model whose ids the database assigns, by multi-row INSERTs, each given its id:
    bulk_create without its per-value preparation, which costs more than the insert for an import's
    thousands of rows. Runs no save() nor signal."""
    if not instances:
        return instances
    model = type(instances[0])
    connection = connections[model.objects.db]
    quote = connection.ops.quote_name
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    values = database_values(model, fields)
    placeholders = "({})".format(", ".join(["%s"] * len(fields)))
    head = "INSERT INTO {} ({}) VALUES ".format(
        quote(model._meta.db_table), ", ".join(quote(field.column) for field in fields))
    with connection.cursor() as cursor:
        for batch in batches(instances, batch_size):
            # As bulk_create does on both databases, the ids come back in the rows' order.
            cursor.execute(head + ", ".join([placeholders] * len(batch)) + f" RETURNING {quote(model._meta.pk.column)}",
                           [value for instance in batch for value in values(instance)])
            for instance, (pk,) in zip(batch, cursor.fetchall(), strict=True):
                instance.pk = pk
                instance._state.adding, instance._state.db = False, connection.alias
    return instances


def update_rows(model, columns, rows, batch_size=5000):
    """UPDATE by primary key, one statement run over many rows: each row is (*values, pk)."""
    connection = connections[model.objects.db]
    quote = connection.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        quote(model._meta.db_table), ", ".join(f"{quote(column)} = %s" for column in columns),
        quote(model._meta.pk.column),
    )
    rows = iter(rows)
    with connection.cursor() as cursor:
        while batch := list(islice(rows, batch_size)):
            cursor.executemany(sql, batch)
