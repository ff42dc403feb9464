"""Chunked reads and multi-row INSERTs: the one home for whole-corpus passes and bulk writes."""
from itertools import islice

from django.db import connections

BATCH = 500  # ids per query: under SQLite's limit on query parameters


def batches(items, size=BATCH):
    """Lists of at most `size` items (ids, rows) from an iterable: for whole-corpus passes."""
    items = iter(items)
    while batch := list(islice(items, size)):
        yield batch


def insert_rows(model, columns, rows, batch_size=5000):
    """Plain multi-row INSERTs: for passages, building a model instance per row costs more than the insert."""
    connection = connections[model.objects.db]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table), ", ".join(map(quote, columns)), ", ".join(["%s"] * len(columns))
    )
    rows = iter(rows)
    with connection.cursor() as cursor:
        while batch := list(islice(rows, batch_size)):
            cursor.executemany(sql, batch)


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
