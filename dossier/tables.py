import django_tables2 as tables
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from django_tables2.rows import BoundRows


class BoundedPaginator(Paginator):
    """Pages through the first MAX_ROWS rows only, so that counting them and reaching the deepest page
    cost the same however large the table grows. Past that, narrow the filter, reverse the sort or export.
    """

    MAX_ROWS = 1000

    @cached_property
    def found(self):
        """Rows the table holds, counted up to one past MAX_ROWS (in any order: the count is the same)."""
        data = self.object_list.data.data  # the table's queryset, or a list
        if isinstance(data, QuerySet):
            return data.order_by()[: self.MAX_ROWS + 1].count()
        return len(data)

    @property
    def capped(self):
        return self.found > self.MAX_ROWS

    @cached_property
    def count(self):
        return min(self.found, self.MAX_ROWS)

    def page(self, number):
        """The page's rows, their ids found first: rows skipped over on the way are never read whole."""
        rows = self.object_list
        queryset = rows.data.data
        if not isinstance(queryset, QuerySet) or queryset.query.group_by is not None:
            return super().page(number)  # a list, or grouped rows: each row is computed anyway
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(queryset.values_list("pk", flat=True)[bottom:top])
        records = queryset.in_bulk(ids)
        # A row can stop matching between the two reads (a review submitted meanwhile): it is left out.
        return self._get_page(BoundRows([records[pk] for pk in ids if pk in records], rows.table), number, self)


class BoundedTable(tables.Table):
    """A table whose ?per_page= stays between 1 and MAX_PER_PAGE, whatever the URL says.

    A table whose rows can number in the hundred thousands sets `paginator_class = BoundedPaginator`.
    """

    MAX_PER_PAGE = 100
    paginator_class = Paginator
    label = "Table"  # the name of the box it scrolls in (templates/_table.html), for screen readers

    def paginate(self, paginator_class=None, per_page=None, page=1, *args, **kwargs):
        # The table's own paginator: list views hand in Django's plain Paginator as their default.
        per_page = min(max(int(per_page or 50), 1), self.MAX_PER_PAGE)
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
