"""Editors' pages: the articles table with scores, an article's summary and comparison, the rankings
of outlets and authors and their profiles.
"""
from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET
from django_tables2 import RequestConfig, SingleTableView

from dossier.models import Article, Job, Outlet
from dossier.roles import RoleRequiredMixin
from dossier.tasks import own_job
from dossier.views import FilteredTableView

from annotations import aggregates, totals
from annotations.access import ONLY_SCORE_READERS, SCORE_READERS, can_annotate, can_see_every_review, score_readers_only
from annotations.filters import CredibilityFilter
from annotations.models import Orphan, ScoredArticle
from annotations.reports import article_report
from annotations.signals import first_answer, table_selection
from annotations.tables import SELECT, CredibilityTable, RankingTable

from .exports import table_download


class CredibilityListView(FilteredTableView):
    """The articles table with their scores, for editors and admins; reviewers land on their queue."""

    roles, denied_message = SCORE_READERS, ONLY_SCORE_READERS
    table_class, filterset_class = CredibilityTable, CredibilityFilter
    template_name = "annotations/article_list.html"

    def dispatch(self, request, *args, **kwargs):
        if can_annotate(request.user) and not can_see_every_review(request.user):
            return redirect("annotations:queue")
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return ScoredArticle.objects.for_table()

    def get_table(self, **kwargs):
        table = super().get_table(**kwargs)
        # An app built on annotations (campaigns) may take rows picked here: each row gets a checkbox.
        self.selection = first_answer(table_selection, user=self.request.user)
        if self.selection:
            table.columns.show(SELECT)
        return table

    def get(self, request, *args, **kwargs):
        if "_export" in request.GET:  # django-tables2's ExportMixin convention
            return table_download(request, request.GET["_export"])
        # ?job=: the big export this page started, its progress and then its file (dossier/_job.html).
        self.job = own_job(request)
        if self.job is not None and self.job.kind != Job.Kind.EXPORT:
            raise Http404("No such export.")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        paginator = context["table"].paginator
        # A big export answers with its job's page, which a link marked `download` would save as a file. Past
        # the count's bound the row count is unknown: the links are plain, and the export decides.
        context["background_export"] = paginator.capped or paginator.count > settings.DOSSIER_EXPORT_TASK_ROWS
        context["job"] = self.job
        if self.selection:
            # The filter the page shows, for "every row matching these filters" (no page, sort, export or job).
            query = self.request.GET.copy()
            for key in ("page", "cursor", "per_page", "sort", "_export", "job"):
                query.pop(key, None)
            context["selection"] = {**self.selection, "filter": query.urlencode()}
        return context


@require_GET
@score_readers_only
def article_summary(request, pk):
    article = get_object_or_404(Article.objects.select_related("outlet", "summary").prefetch_related("authors"), pk=pk)
    return render(request, "annotations/summary.html", {
        "article": article, "report": article_report(article), "orphans": Orphan.objects.for_article(article),
    })


@require_GET
@score_readers_only
def compare(request, pk):
    """Each submitted reviewer's category passage by passage, disagreements marked."""
    article = get_object_or_404(Article.objects.select_related("outlet", "summary"), pk=pk)
    report = article_report(article)
    only_disagreements = request.GET.get("show") == "disagreements"
    rows = report.disagreements if only_disagreements else report.passages
    return render(request, "annotations/compare.html", {
        "article": article, "report": report, "rows": rows, "only_disagreements": only_disagreements,
    })


class RankingView(RoleRequiredMixin, SingleTableView):
    """Outlets or authors ranked by the sourced-fact share of their reviewed articles."""

    roles, denied_message = SCORE_READERS, ONLY_SCORE_READERS
    model = None
    table_class = RankingTable
    template_name = "annotations/ranking.html"
    table_pagination = {"per_page": 50}

    def get_queryset(self):
        return aggregates.ranked(totals.KINDS[self.model].objects.listing())

    def get_context_data(self, **kwargs):
        names = {"singular": self.model._meta.verbose_name, "plural": self.model._meta.verbose_name_plural}
        # Listed apart, unranked: a table of its own with its own page and sort parameters.
        too_few = RankingTable(aggregates.too_few_reviewed(totals.KINDS[self.model].objects.listing()),
                               prefix="few-", order_by=())
        RequestConfig(self.request, paginate={"per_page": 50}).configure(too_few)
        return super().get_context_data(**kwargs, **names, too_few=too_few, min_ranked=aggregates.MIN_RANKED)


@require_GET
@score_readers_only
def profile(request, model, pk):
    """An outlet's or author's page: aggregate shares, their spread over articles, flags, the articles."""
    subject = get_object_or_404(model, pk=pk)
    articles = (
        ScoredArticle.objects.filter(outlet_id=pk) if model is Outlet else ScoredArticle.objects.filter(authors=pk)
    )
    scored = totals.of(model, pk, intervals=True)
    # Stored: resampling a big outlet's articles on each view took tens of milliseconds.
    uncertainty = aggregates.stored_uncertainty(scored)
    table = CredibilityTable(articles.for_table(), exclude=["outlet"] if model is Outlet else [])
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    return render(request, "annotations/profile.html", {
        "subject": subject,
        "kind": model._meta.verbose_name,
        "scored": scored,
        "shares": aggregates.shares_of(scored),
        "uncertainty": uncertainty,
        "sourcing_alpha": aggregates.pooled_sourcing_alpha(scored),
        "ranked": scored.reviewed_count >= aggregates.MIN_RANKED,
        "distribution": aggregates.distribution(scored),
        "flags": aggregates.most_used_flags(scored),
        "table": table,
    })
