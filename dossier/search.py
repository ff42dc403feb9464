"""Full-text search on an article's title, outlet and authors: SQLite FTS5, PostgreSQL GIN.

Both index the article's folded search columns (dossier.folding), and a query is folded the same
way, so case, accents, Turkish i and Arabic or Persian letter forms never keep a word from its match.
Every word must match, the last one as a prefix (typing "ista" finds "İstanbul"). A query is
built from the folded words alone, quoted, so nothing a user types is read as query syntax.

SQLite: an FTS5 table over the article table's columns (external content), kept current by triggers,
so that bulk inserts, updates and deletes keep it exact with no code of their own. PostgreSQL: a GIN
index on the tsvector of the three columns, weighted A, B, C so that a search can keep to one column.
"""
from collections import defaultdict

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import BooleanField, Expression, F
from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver

from .bulk import batches, update_rows
from .folding import search_text, search_words
from .models import Article, Author, Outlet

COLUMNS = ("search_title", "search_outlet", "search_authors")
WEIGHTS = dict(zip(COLUMNS, "ABC"))
FTS_TABLE = "dossier_article_search"
_TRIGGERS = {f"{FTS_TABLE}_{suffix}" for suffix in ("insert", "delete", "update")}

# The index's own expression: a query must repeat it exactly for PostgreSQL to use the index. The
# columns hold folded words joined by spaces, which the simple configuration keeps as they are; it
# also keeps their positions, without which a lexeme has no weight to keep a search to its column.
TSVECTOR = " || ".join(
    f"setweight(to_tsvector('simple'::regconfig, {{{column}}}), '{weight}')" for column, weight in WEIGHTS.items()
)


def sqlite_index_sql():
    """The FTS5 table over the article's search columns and the triggers that keep it current."""
    columns = ", ".join(COLUMNS)
    new, old = (", ".join(f"{row}.{column}" for column in COLUMNS) for row in ("new", "old"))
    insert = f"INSERT INTO {FTS_TABLE}(rowid, {columns}) VALUES (new.id, {new});"
    delete = f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {columns}) VALUES ('delete', old.id, {old});"
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5({columns}, "
        "content='dossier_article', content_rowid='id')",
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_insert AFTER INSERT ON dossier_article BEGIN {insert} END",
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_delete AFTER DELETE ON dossier_article BEGIN {delete} END",
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_update AFTER UPDATE OF {columns} ON dossier_article "
        f"BEGIN {delete} {insert} END",
    ]


_INDEXED = TSVECTOR.format(**{column: column for column in COLUMNS})
POSTGRESQL_INDEX = f"CREATE INDEX IF NOT EXISTS article_search_idx ON dossier_article USING gin (({_INDEXED}))"


def create_index(connection):
    """Build the search index over the articles there are (one statement a part: set-based at any size)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for statement in sqlite_index_sql():
                cursor.execute(statement)
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
        elif connection.vendor == "postgresql":
            cursor.execute(POSTGRESQL_INDEX)


def drop_index(connection):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name in sorted(_TRIGGERS):
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
        elif connection.vendor == "postgresql":
            cursor.execute("DROP INDEX IF EXISTS article_search_idx")


def restore_triggers(sender=None, using=DEFAULT_DB_ALIAS, verbosity=1, stdout=None, **kwargs):
    """post_migrate: a migration that rebuilds the article table on SQLite (as altering a column does)
    drops its triggers with it; put them back and rebuild the index. One query when they are there."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name IN (%s, %s, %s, %s)",
                       [FTS_TABLE, *sorted(_TRIGGERS)])
        present = {name for (name,) in cursor.fetchall()}
    if FTS_TABLE not in present or present >= _TRIGGERS:
        return  # before the search migration, or all in place
    create_index(connection)
    if verbosity >= 1 and stdout is not None:
        stdout.write("  Restored the article search triggers and rebuilt the search index.")


class Matches(Expression):
    """True for the articles whose search columns (or the one column given) hold every folded word."""

    output_field = BooleanField()

    def __init__(self, words, column=None):
        super().__init__()
        self.words, self.column = list(words), column
        self.source = [F("pk"), *(F(name) for name in COLUMNS)]

    def get_source_expressions(self):
        return self.source

    def set_source_expressions(self, exprs):
        self.source = list(exprs)

    def as_sql(self, compiler, connection):
        pk, *columns = (compiler.compile(expression) for expression in self.source)
        if connection.vendor == "sqlite":
            sql, params = pk
            # Ordered by import (the table's default order), SQLite should walk that index and test each id
            # against the matches, stopping after the page: flat for any number of matches. Left to itself it
            # reads every match's row for its import time, behind the body (10,000 articles: 57 ms for a word
            # in 3,566 articles, 1 ms walking). The unary + keeps it off the rowid lookup. Any other order (a
            # score, the bounded count) starts from the matches, which is cheapest when there are few.
            walk = "+" if _ordered_by_import(compiler.query) else ""
            return (f"{walk}{sql} IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)",
                    [*params, self.fts5_query()])
        if connection.vendor == "postgresql":
            sql = TSVECTOR.format(**{name: column_sql for name, (column_sql, _) in zip(COLUMNS, columns)})
            return f"({sql}) @@ to_tsquery('simple'::regconfig, %s)", [self.tsquery()]
        raise NotImplementedError(f"Search is built for SQLite and PostgreSQL, not {connection.vendor}.")

    def fts5_query(self):
        """ "w1" "w2"* (each word quoted: a folded word holds no quote), kept to the column if one is named."""
        *whole, last = self.words
        query = " ".join([*(f'"{word}"' for word in whole), f'"{last}"*'])
        return f"{self.column} : ({query})" if self.column else query

    def tsquery(self):
        """'w1' & 'w2':* (a folded word holds no quote or backslash), with the column's weight if one is named."""
        weight = WEIGHTS[self.column] if self.column else ""
        *whole, last = self.words
        return " & ".join([*(f"'{word}':{weight}" if weight else f"'{word}'" for word in whole),
                           f"'{last}':*{weight}"])


def _ordered_by_import(query):
    ordering = query.order_by or (query.get_meta().ordering if query.default_ordering else ())
    return bool(ordering) and isinstance(ordering[0], str) and ordering[0].lstrip("-") == "imported_at"


def search(queryset, text, column=None):
    """The queryset kept to the articles matching the text (in one column of COLUMNS, if given); the
    queryset as it is when the text has no word (empty, or punctuation only)."""
    words = search_words(text)
    return queryset.filter(Matches(words, column)) if words else queryset


def refresh_authors(article_ids):
    """Fold the current author names of these articles into their search column: two queries a batch."""
    through = Article.authors.through
    for batch in batches(article_ids):
        names = defaultdict(list)
        for article_id, name in (through.objects.filter(article_id__in=batch).order_by("pk")
                                 .values_list("article_id", "author__name")):
            names[article_id].append(name)
        update_rows(Article, ["search_authors"], ((search_text(" ".join(names[pk])), pk) for pk in batch))


_pending_clear = {}


@receiver(m2m_changed, sender=Article.authors.through)
def authors_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """An article's authors added, removed or cleared (from either side): refold its authors' column."""
    if action == "pre_clear" and reverse:
        _pending_clear[id(instance)] = list(instance.articles.values_list("pk", flat=True))
    elif action in ("post_add", "post_remove", "post_clear"):
        if not reverse:
            refresh_authors([instance.pk])
        else:
            refresh_authors(sorted(pk_set) if action != "post_clear" else _pending_clear.pop(id(instance), []))


@receiver(post_save, sender=Outlet)
def outlet_saved(sender, instance, created, update_fields=None, **kwargs):
    """An outlet renamed: its articles' outlet column follows (one UPDATE)."""
    if created or (update_fields is not None and "name" not in update_fields):
        return
    folded = search_text(instance.name)
    Article.objects.filter(outlet=instance).exclude(search_outlet=folded).update(search_outlet=folded)


@receiver(post_save, sender=Author)
def author_saved(sender, instance, created, update_fields=None, **kwargs):
    """An author renamed: the authors' column of each of their articles follows."""
    if created or (update_fields is not None and "name" not in update_fields):
        return
    refresh_authors(list(Article.authors.through.objects.filter(author=instance).order_by("article_id")
                         .values_list("article_id", flat=True)))
