"""Outlets' and authors' stored totals, kept exact in the transaction that changes their articles'
summaries: a submit or an import adds what changed (new minus old), so it costs the same in a group of
ten articles as in one of five thousand; rarer changes (deletions, moves, renames, rebuilds) recompute a
group from its articles' stored summaries (and flag uses).
"""
import math
from collections import Counter, defaultdict

from django.db.models import Count, F, FloatField, Q, Sum
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual, LessThan

from dossier.bulk import batches
from dossier.models import Article, Author, Outlet

from . import aggregates, scoring
from .models import Annotation, ArticleFlagUse, ArticleSummary, AuthorTotals, OutletTotals
from .models.totals import BANDS

SOURCING = aggregates.SOURCING
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


# What a reviewed article's summary adds to its groups' sums.
_SUMMED = [*(f"{category}_chars" for category in scoring.SHARE_CATEGORIES), *SOURCING]
_READ = ["reviewers", "sourced_fact_share", *_SUMMED]


def before(article_ids):
    """What these articles add to their groups' totals now, before their summaries are replaced: three
    queries (summaries with outlets, authors, flag uses). Hand it to apply() with the new summaries."""
    found = {
        pk: {"outlet": outlet, "authors": [], "uses": {}, "summary": None if row[0] is None
             else dict(zip(_READ, row))}
        for pk, outlet, *row in Article.objects.filter(pk__in=article_ids).values_list(
            "pk", "outlet_id", *(f"summary__{name}" for name in _READ))
    }
    for article_id, author_id in Article.authors.through.objects.filter(article_id__in=article_ids).values_list(
        "article_id", "author_id"
    ):
        found[article_id]["authors"].append(author_id)
    for article_id, flag_id, uses in ArticleFlagUse.objects.filter(article_id__in=article_ids).values_list(
        "article_id", "flag_id", "uses"
    ):
        found[article_id]["uses"][flag_id] = uses
    return found


def _adds(summary, uses):
    """{field: what one article adds} to its groups' sums: its flag uses (as "flag_<id>"), and if it is
    reviewed its count, sums, and band or without_facts."""
    adds = {f"flag_{flag_id}": n for flag_id, n in uses.items() if n}
    if summary is None or not summary["reviewers"]:
        return adds
    adds.update({name: summary[name] for name in _SUMMED})
    adds["reviewed_count"] = 1
    share = summary["sourced_fact_share"]
    # As fresh() bands them: floor(share x 10), 100% in the top band.
    adds["without_facts" if share is None else f"band_{min(math.floor(share * BANDS), BANDS - 1)}"] = 1
    return adds


def apply(old, summaries):
    """Add to the articles' outlets' and authors' totals what their new summaries (with `flag_uses`)
    change from `old` (before() of them), their intervals marked stale: per kind, the locked rows and an
    UPDATE of each (one bulk UPDATE of many). Call in the transaction that stores the summaries."""
    changes = {Outlet: defaultdict(Counter), Author: defaultdict(Counter)}
    for article_id, summary in summaries.items():
        was = old.get(article_id)
        if was is None:  # not there a moment ago: deleted meanwhile, or a new article that no import counted
            continue
        now = {name: getattr(summary, name) for name in _READ}
        before_adds, now_adds = _adds(was["summary"], was["uses"]), _adds(now, summary.flag_uses)
        if not before_adds and not now_adds:  # unreviewed before and after: in no total, nor any interval
            continue
        delta = Counter(now_adds)
        delta.subtract(before_adds)
        groups = [(Outlet, was["outlet"])] if was["outlet"] is not None else []
        groups += [(Author, author_id) for author_id in was["authors"]]
        for model, pk in groups:
            changes[model][pk].update(delta)  # update() adds, and keeps a zero: the group is still touched
    for model, deltas in changes.items():
        if deltas:
            _apply(model, deltas)


_UPDATED = ["reviewed_count", *_SUMMED, "bands", "without_facts", "flag_uses", "sourced_fact_share",
            "unsourced_share", "opinion_share", "intervals_stale"]


# A submit touches an outlet and a few authors: an UPDATE each compiles several times faster than
# bulk_update()'s one CASE per field, which only pays for a batch (a codebook change's rescore).
_FEW = 8


def _apply(model, deltas):
    totals = KINDS[model]
    missing = set(deltas)
    for batch in batches(sorted(deltas)):
        # Locked in pk order, so that two submits in shared groups wait for each other rather than deadlock.
        rows = list(totals.objects.select_for_update().filter(pk__in=batch).order_by("pk"))
        for row in rows:
            missing.discard(row.pk)
            delta = deltas[row.pk]
            row.reviewed_count += delta["reviewed_count"]
            row.without_facts += delta["without_facts"]
            for name in _SUMMED:
                setattr(row, name, getattr(row, name) + delta[name])
            if not row.reviewed_count:  # exact again, whatever a float sum's deltas left over
                row.sourcing_disagreement = 0.0
            bands = list(row.bands) + [0] * (BANDS - len(row.bands))
            row.bands = [n + delta[f"band_{i}"] for i, n in enumerate(bands)]
            uses = Counter({int(flag_id): n for flag_id, n in row.flag_uses.items()})
            uses.update({int(name[5:]): n for name, n in delta.items() if name.startswith("flag_")})
            row.flag_uses = {str(flag_id): uses[flag_id] for flag_id in sorted(uses) if uses[flag_id] > 0}
            for name, value in _shares({name: getattr(row, name) for name in ("reviewed_count", *_SUMMED)}).items():
                setattr(row, name, value)
            row.intervals_stale = True
        few = len(rows) <= _FEW
        for row in rows if few else ():
            totals.objects.filter(pk=row.pk).update(**{name: getattr(row, name) for name in _UPDATED})
        if not few:
            totals.objects.bulk_update(rows, _UPDATED)
    if missing:  # no totals row yet (as before a migrate's post_migrate filled them): computed whole
        refresh(*((missing, ()) if model is Outlet else ((), missing)))


def articles_added(article_ids):
    """Count new articles, not started (so in no sum), in their outlets' and authors' article_count: two
    queries, and an UPDATE per kind and per number of new articles a group got (one, for most imports)."""
    outlets = Counter(Article.objects.filter(pk__in=article_ids, outlet__isnull=False).values_list(
        "outlet_id", flat=True))
    authors = Counter(Article.authors.through.objects.filter(article_id__in=article_ids).values_list(
        "author_id", flat=True))
    for model, counts in ((Outlet, outlets), (Author, authors)):
        by_count = defaultdict(list)
        for pk, n in counts.items():
            by_count[n].append(pk)
        updated = 0
        for n, ids in sorted(by_count.items()):
            for batch in batches(sorted(ids)):
                updated += KINDS[model].objects.filter(pk__in=batch).update(article_count=F("article_count") + n)
        if updated < len(counts):  # some group has no totals row yet: computed whole
            found = set(KINDS[model].objects.filter(pk__in=list(counts)).values_list("pk", flat=True))
            missing = set(counts) - found
            refresh(*((missing, ()) if model is Outlet else ((), missing)), intervals=False)


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
    """The shares of the reviewed articles' text: sourced of the facts, unsourced and opinion of all."""
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
    # A float sum's last bits depend on the order the database adds the rows in, and on how many
    # deltas (each rounding once, by about 1e-16 of the sum) apply() added since the last rebuild:
    # 1e-9 leaves room for millions of them, and is still far below any figure a page shows.
    return kept.keys() == now.keys() and all(
        math.isclose(value, now[name], rel_tol=1e-9, abs_tol=1e-9) if isinstance(value, float) and
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
