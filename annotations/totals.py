"""Outlets' and authors' stored totals: recomputed from their articles' stored summaries (and flag uses)
in the transaction that changes those, so each costs what the group's articles cost, never the corpus.
"""
import math
from collections import defaultdict

from django.db.models import Count, F, FloatField, Q, Sum
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual, LessThan

from dossier.bulk import batches
from dossier.models import Article, Author, Outlet

from . import aggregates, scoring
from .models import Annotation, ArticleFlagUse, ArticleSummary, AuthorTotals, OutletTotals
from .models.totals import BANDS

SOURCING = ("sourcing_units", "sourcing_sourced", "sourcing_unsourced", "sourcing_disagreement")
KINDS = {Outlet: OutletTotals, Author: AuthorTotals}
# How each kind reaches its articles' rows from an annotation and from a flag use.
_ANNOTATION_PATH = {Outlet: "review__article__outlet", Author: "review__article__authors"}
_FLAG_USE_PATH = {Outlet: "article__outlet", Author: "article__authors"}


def groups_of(article_ids):
    """({outlet ids}, {author ids}) of these articles: two queries."""
    outlets = set(Article.objects.filter(pk__in=article_ids, outlet__isnull=False).values_list("outlet_id", flat=True))
    authors = set(
        Article.authors.through.objects.filter(article_id__in=article_ids).values_list("author_id", flat=True)
    )
    return outlets, authors


def refresh_articles(article_ids):
    """Store fresh totals of every outlet and author of these articles: call in the transaction that
    changed their summaries, after it did."""
    outlets, authors = groups_of(article_ids)
    refresh(outlets, authors)


def refresh(outlet_ids=(), author_ids=(), intervals=True):
    """Store fresh totals of these outlets and authors, their intervals marked stale: three queries a kind
    (grouped sums, flag uses, upsert). intervals=False: only not-started articles came or went, which no
    interval counts."""
    for model, ids in ((Outlet, outlet_ids), (Author, author_ids)):
        for batch in batches(sorted(ids)):
            rows = fresh(model, batch, intervals=False)
            for values in rows.values():
                values["intervals_stale"] = True
            _store(model, rows, ["intervals_stale"] if intervals else [])


def _store(model, rows, also=()):
    """Upsert the rows' FIELDS and `also` (a new row takes every value given)."""
    totals = KINDS[model]
    subject = totals._meta.pk.name
    if rows:
        totals.objects.bulk_create(
            [totals(**{f"{subject}_id": pk}, **values) for pk, values in rows.items()],
            update_conflicts=True, unique_fields=[subject], update_fields=[*totals.FIELDS, *also],
        )


def fresh(model, ids=None, from_annotations=False, intervals=True):
    """{subject id: {field: value}} for these outlets or authors (all of them: None), computed now from
    their articles' summaries, and their flag uses from the per-article counts (from_annotations: from
    the annotations themselves, as `recompute_summaries --check` does)."""
    subjects = model.objects.all() if ids is None else model.objects.filter(pk__in=ids)
    reviewed = ArticleSummary.status_is(ArticleSummary.Status.REVIEWED, through="articles__summary__")
    # floor(share x 10) == i exactly when i <= share x 10 < i + 1: plain comparisons, which SQLite runs
    # natively (its FLOOR is a Python function Django registers, called for every row).
    tenfold = F("articles__summary__sourced_fact_share") * BANDS
    sums = {
        f"{category}_chars": Coalesce(Sum(f"articles__summary__{category}_chars", filter=reviewed), 0)
        for category in scoring.SHARE_CATEGORIES
    }
    sums.update({
        name: Coalesce(Sum(f"articles__summary__{name}", filter=reviewed), 0,
                       output_field=FloatField() if name == "sourcing_disagreement" else None)
        for name in SOURCING
    })
    # 100% joins the top band.
    bands = {
        f"band_{i}": Count("articles", filter=reviewed & Q(GreaterThanOrEqual(tenfold, i)) & (
            Q() if i == BANDS - 1 else Q(LessThan(tenfold, i + 1))))
        for i in range(BANDS)
    }
    rows = subjects.order_by().values("pk", "name").annotate(
        article_count=Count("articles"), reviewed_count=Count("articles", filter=reviewed),
        without_facts=Count("articles", filter=reviewed & Q(articles__summary__sourced_fact_share__isnull=True)),
        **sums, **bands,
    )
    result = {}
    for row in rows:
        pk = row.pop("pk")
        row["bands"] = [row.pop(f"band_{i}") for i in range(BANDS)]
        row["sourcing_disagreement"] = float(row["sourcing_disagreement"])
        row.update(_shares(row))
        row["flag_uses"] = {}
        result[pk] = row
    if from_annotations:
        path = _ANNOTATION_PATH[model]
        uses = Annotation.objects.submitted().filter(**({} if ids is None else {f"{path}__in": ids}))
        uses = uses.values_list(path, "flag_id").annotate(n=Count("pk"))
    else:
        path = _FLAG_USE_PATH[model]
        uses = ArticleFlagUse.objects.filter(**({} if ids is None else {f"{path}__in": ids}))
        uses = uses.values_list(path, "flag_id").annotate(n=Sum("uses"))
    for pk, flag_id, n in uses.order_by(path, "flag_id"):
        if pk in result:
            result[pk]["flag_uses"][str(flag_id)] = n  # JSON keys are strings
    if intervals:
        _add_intervals(model, ids, result)
    return result


def _add_intervals(model, ids, result):
    """aggregates.uncertainty() of each subject, from one query over their reviewed summaries."""
    path = _FLAG_USE_PATH[model]  # from a summary's article, as from a flag use's
    reviewed = ArticleSummary.objects.reviewed().filter(**({f"{path}__isnull": False} if ids is None
                                                           else {f"{path}__in": ids}))
    rows = defaultdict(list)
    for pk, *row in reviewed.order_by("article_id").values_list(path, *aggregates.UNCERTAINTY_FIELDS):
        rows[pk].append(row)
    for pk, values in result.items():
        found = aggregates.uncertainty_of(rows.get(pk, []), seed=pk)
        share, alpha = found.sourced_fact_share or (None, None), found.sourcing_alpha or (None, None)
        values.update(sourced_fact_share_ci_low=share[0], sourced_fact_share_ci_high=share[1],
                      sourcing_alpha_ci_low=alpha[0], sourcing_alpha_ci_high=alpha[1])


def _shares(row):
    """The shares of the reviewed articles' text, as aggregates.with_credibility() computed them."""
    if not row["reviewed_count"]:
        return {"sourced_fact_share": None, "unsourced_share": None, "opinion_share": None}
    total = sum(row[f"{category}_chars"] for category in scoring.SHARE_CATEGORIES)
    facts = row["sourced_chars"] + row["unsourced_chars"]
    return {
        "sourced_fact_share": row["sourced_chars"] / facts if facts else None,
        "unsourced_share": row["unsourced_chars"] / total if total else None,
        "opinion_share": row["opinion_chars"] / total if total else None,
    }


def of(model, pk, intervals=False):
    """The stored totals of one outlet or author (stored now if it has none yet, as before a migrate's
    post_migrate filled them); intervals=True: with its intervals resampled and stored if stale."""
    stored = KINDS[model]
    found = stored.objects.listing().filter(pk=pk).first()
    if found is None or (intervals and found.intervals_stale):
        rows = fresh(model, [pk])
        rows[pk]["intervals_stale"] = False
        _store(model, rows, [*stored.INTERVALS, "intervals_stale"])
        found = stored.objects.listing().get(pk=pk)
    return found


def differences(model):
    """(subject id, stored values or None, fresh values) for each outlet's or author's stored totals that
    are not exact."""
    totals = KINDS[model]
    stored = {row.pk: row for row in totals.objects.all()}
    for pk, now in fresh(model, from_annotations=True).items():
        row = stored.get(pk)
        kept = None if row is None else row.values()
        if row is not None and row.intervals_stale:  # resampled when next read: only the rest must agree
            now.update({name: kept[name] for name in totals.INTERVALS})
        if kept is None or not _same(kept, now):
            yield pk, kept, now


def _same(kept, now):
    # A float sum's last bit depends on the order the database adds the rows in.
    return kept.keys() == now.keys() and all(
        math.isclose(value, now[name], rel_tol=1e-12, abs_tol=1e-12) if isinstance(value, float) and
        isinstance(now[name], float) else value == now[name]
        for name, value in kept.items()
    )


def rebuild(model):
    """Store fresh totals of every outlet or author; returns how many."""
    ids = list(model.objects.order_by("pk").values_list("pk", flat=True))
    for batch in batches(ids):
        rows = fresh(model, batch)
        for values in rows.values():
            values["intervals_stale"] = False
        _store(model, rows, [*KINDS[model].INTERVALS, "intervals_stale"])
    return len(ids)
