import inspect

import django_tables2 as tables
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.formats import localize
from django.utils.functional import cached_property
from django.utils.html import format_html
from django_tables2.rows import BoundRows
from django_tables2.utils import Accessor

from . import pagination


class KeysetPage:
    """One page of a KeysetPaginator: its rows, and the cursors of the pages before and after it."""

    def __init__(self, object_list, paginator, next_cursor=None, previous_cursor=None):
        self.object_list, self.paginator = object_list, paginator
        self.next_cursor, self.previous_cursor = next_cursor, previous_cursor

    def __len__(self):
        return len(self.object_list)

    def has_next(self):
        return self.next_cursor is not None

    def has_previous(self):
        return self.previous_cursor is not None

    def has_other_pages(self):
        return self.has_next() or self.has_previous()


class KeysetPaginator:
    """Pages by keyset: the next page is the rows after the last row's sort keys (the previous one,
    the rows before the first row's), so every page costs what the first page costs at any depth.

    The table's queryset may be in any order of fields or annotations (ending on the id); the count
    is exact up to COUNT_LIMIT and "COUNT_LIMIT+" above it, one bounded count per request.
    A cursor this site did not give out, or one of another sort, shows the first page and says so.
    """

    COUNT_LIMIT = 10_000
    SALT = "dossier.tables.cursor"
    BAD_CURSOR = "That page link is out of date or damaged (or belongs to another sort): this is the first page."

    def __init__(self, rows, per_page, cursor=None, unique=()):
        self.rows, self.per_page, self.cursor, self.unique = rows, per_page, cursor, unique
        self.message = None  # why the page asked for was not shown, if it was not

    @property
    def queryset(self):
        queryset = self.rows.data.data  # the table's queryset, sorted by the table
        if not queryset.query.order_by:  # the model's own order, made explicit so that it can be keyed
            queryset = queryset.order_by(*queryset.model._meta.ordering)
        return queryset

    @cached_property
    def found(self):
        """Rows the table holds, counted up to one past COUNT_LIMIT (in any order: the count is the same)."""
        return self.queryset.order_by().values("pk")[: self.COUNT_LIMIT + 1].count()

    @property
    def capped(self):
        """More rows than COUNT_LIMIT: the count reads "10,000+"."""
        return self.found > self.COUNT_LIMIT

    @property
    def count(self):
        return min(self.found, self.COUNT_LIMIT)

    def page(self, number=None):
        """The page the cursor points to (the first page without one); `number` is ignored: a keyset
        page has no number. One query (plus prefetches); the count is read only if the page shows it."""
        queryset = self.queryset
        keys = pagination.order_keys(queryset, self.unique)
        sort = [[path, descending] for path, descending in keys]
        nullable = pagination.nullable_keys(queryset, keys)
        values, backwards = None, False
        if self.cursor:
            try:
                data = pagination.decode(self.cursor, sort, self.SALT, keys)
                values, backwards = data["v"], bool(data.get("b"))
            except pagination.BadCursor:
                self.message = self.BAD_CURSOR
        try:
            rows = pagination.rows(queryset, keys, values, self.per_page, backwards, nullable)
        except (ValueError, TypeError, ValidationError):  # signed, but not of the key's type: not ours
            self.message, values, backwards = self.BAD_CURSOR, None, False
            rows = pagination.rows(queryset, keys, None, self.per_page, False, nullable)
        more = len(rows) > self.per_page
        rows = rows[: self.per_page]
        if backwards:
            rows.reverse()
            if len(rows) < self.per_page:  # back at the start, rows gone meanwhile: a full first page
                return self._page(queryset, keys, sort, nullable)
            if not more:  # nothing before these: they are the first page
                return self._made(rows, keys, sort, has_next=True, has_previous=False)
            return self._made(rows, keys, sort, has_next=True, has_previous=True)
        return self._made(rows, keys, sort, has_next=more, has_previous=values is not None and bool(rows))

    def _page(self, queryset, keys, sort, nullable):
        rows = pagination.rows(queryset, keys, None, self.per_page, False, nullable)
        return self._made(rows[: self.per_page], keys, sort, len(rows) > self.per_page, False)

    def _made(self, rows, keys, sort, has_next, has_previous):
        def cursor(row, **extra):
            return pagination.encode(sort, pagination.key_values(row, keys), self.SALT, **extra)

        return KeysetPage(
            BoundRows(rows, self.rows.table), self,
            next_cursor=cursor(rows[-1]) if has_next and rows else None,
            previous_cursor=cursor(rows[0], b=1) if has_previous and rows else None,
        )


class BoundedTable(tables.Table):
    """A table whose ?per_page= stays between 1 and MAX_PER_PAGE, whatever the URL says.

    A table whose rows can number in the hundred thousands sets `paginator_class = KeysetPaginator`:
    its pages then follow ?cursor= (prefixed as the table's other parameters) rather than ?page=.

    Its rows render with one format_html() each (rows_html()), from one template per page built
    from its columns: django-tables2's generic cells and template loops cost a fifth of a millisecond
    a row, and these pages are held to 25 ms. A column with its own markup defines
    `row_cell(bound_column)` (see row_cell() below); a table of columns this cannot render sets
    `formats_rows = False` and gets django-tables2's rows.
    """

    MAX_PER_PAGE = 100
    paginator_class = Paginator
    unique_keys = ()  # sort keys besides the id that tell rows apart (KeysetPaginator)
    label = "Table"  # the name of the box it scrolls in (templates/_table.html), for screen readers
    formats_rows = True  # templates/_table.html renders rows_html() rather than django-tables2's rows

    def rows_html(self):
        """The page's rows, one <tr> each, a cell under each visible header (tests check they line up)."""
        cells = [self.row_cell(column) for column in self.columns]
        template = "<tr>" + "".join(cell_template for cell_template, _ in cells) + "</tr>"
        values = [cell_values for _, cell_values in cells]
        for row in self.paginated_rows:
            record, arguments = row.record, []
            for cell_values in values:
                arguments += cell_values(record)
            yield format_html(template, *arguments)

    def row_cell(self, bound_column):
        """(the cell's format_html() template, a function of the record giving the template's values).

        What django-tables2 would show in the cell: the accessor's value (a choice's label), the
        column's default when empty, else render_<name>() or the column's render(), localised as a
        template would, inside the column's link; the <td> takes the column's attributes.
        """
        column = bound_column.column
        if hasattr(column, "row_cell"):
            return column.row_cell(bound_column)
        if column.attrs.get("td") and any(callable(value) for value in column.attrs["td"].values()):
            raise TypeError(f"{bound_column.name}: attributes computed per cell need formats_rows = False")
        attrs = bound_column.attrs["td"].as_html().replace("{", "{{").replace("}", "}}")  # code, not user text
        opening = f"<td {attrs}>" if attrs else "<td>"
        value, default, empty = self._cell_value(bound_column), bound_column.default, column.empty_values
        render, link, localized = _by_name(bound_column.render), column.link, column.localize
        if link and isinstance(link.url, LinkById) and not link.attrs:  # its path reversed once for the page
            before, after = link.url.around_id(self.data.model)

            def link(shown, record, **arguments):
                return format_html('<a href="{}/{}/{}">{}</a>', before, record.pk, after, shown)

        def content(record):
            cell_value = value(record)
            if cell_value in empty:
                return (default,)
            arguments = {"value": cell_value, "record": record, "column": column, "bound_column": bound_column,
                         "table": self}
            shown = render(arguments)
            if not isinstance(shown, str):
                shown = localize(shown, use_l10n=localized)
            return (link(shown, **arguments) if link else shown,)

        return opening + "{}</td>", content

    def _cell_value(self, bound_column):
        accessor = Accessor(bound_column.accessor)
        model = getattr(self.data, "model", None)
        try:
            field = accessor.get_field(model) if model is not None else None
        except FieldDoesNotExist:
            field = None
        if getattr(field, "choices", None):  # as django-tables2 does: the choice's label
            def value(record):
                owner, name = accessor.penultimate(record)
                display = getattr(owner, f"get_{name}_display", None)
                return display() if display else accessor.resolve(record, quiet=True)
            return value
        return lambda record: accessor.resolve(record, quiet=True)

    @property
    def prefixed_cursor_field(self):
        return f"{self.prefix}cursor"

    @property
    def keyset(self):
        return issubclass(self.paginator_class, KeysetPaginator)

    def paginate(self, paginator_class=None, per_page=None, page=1, *args, **kwargs):
        # The table's own paginator: list views hand in Django's plain Paginator as their default.
        per_page = min(max(int(per_page or 50), 1), self.MAX_PER_PAGE)
        if self.keyset:
            request = getattr(self, "request", None)
            cursor = request.GET.get(self.prefixed_cursor_field) if request is not None else None
            self.paginator = self.paginator_class(self.rows, per_page, cursor, self.unique_keys)
            self.page = self.paginator.page()
            return self
        return super().paginate(self.paginator_class, per_page, page, *args, **kwargs)

    @property
    def order_by(self):
        return self._order_by

    @order_by.setter
    def order_by(self, value):
        """Sort by the named columns; names of no column are dropped ("?sort=reviewer__password").

        When nothing is left the table keeps its default sort, as if no sort was asked for.
        """
        tables.Table.order_by.fset(self, value)
        if value and not self._order_by and self._meta.order_by:
            tables.Table.order_by.fset(self, self._meta.order_by)


class LinkById:
    """A column's linkify= to the page of a URL that takes the record's id, as in "/outlets/7/".

    `url_name` is the URL's name, or a function of the table's model giving it. BoundedTable.rows_html()
    reverses it once for the page (reverse() per row costs more than the row's other cells).
    """

    def __init__(self, url_name):
        self.url_name = url_name

    def name(self, model):
        return self.url_name(model) if callable(self.url_name) else self.url_name

    def __call__(self, record):
        return reverse(self.name(type(record)), args=[record.pk])

    def around_id(self, model):
        """The URL's path before and after the id ("/outlets", "")."""
        path = reverse(self.name(model), args=[0])
        if "/0/" not in path:
            raise ValueError(f"{self.name(model)}: the id is not a segment of its path ({path})")
        before, _, after = path.rpartition("/0/")
        return before, after


def _by_name(function):
    """`function` called with those of the named arguments it takes (inspected once, not per cell)."""
    parameters = inspect.signature(function).parameters
    if any(parameter.kind is parameter.VAR_KEYWORD for parameter in parameters.values()):
        return lambda arguments: function(**arguments)
    names = [name for name in parameters if name != "self"]
    return lambda arguments: function(**{name: arguments[name] for name in names if name in arguments})


# Every sort ends on the id, so rows with equal values (a whole import shares one
# imported_at) keep one order across pages.
class ArticleColumns(BoundedTable):
    """Columns every list of articles shows the same way: subclass it and name the ones you show."""

    # dir="auto": an outlet's name may be written right to left.
    outlet = tables.Column(order_by=("outlet__name", "id"), default="—", attrs={"td": {"dir": "auto"}})
    language = tables.Column(order_by=("language", "id"), default="—")
    word_count = tables.Column(
        verbose_name="Words", order_by=("word_count", "id"),
        attrs={"td": {"class": "number"}, "th": {"class": "number"}},
    )
