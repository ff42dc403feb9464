"""Stored article summaries: computed from the database, refreshed on every change, checked on demand."""
from collections import defaultdict

from django.db import transaction
from django.db.models import F, Q

from dossier.bulk import batches, database_values, insert_rows
from dossier.models import Article, Passage

from . import scoring
from . import totals as group_totals
from .models import Annotation, ArticleFlagUse, ArticleSummary, CodebookVersion, Flag, Review, Ruling

_UPDATE_FIELDS = ArticleSummary.SCORE_FIELDS


def flags_by_review(rows):
    """{review: {passage: {categories}}} from (review, passage, flag category) rows."""
    reviews = defaultdict(lambda: defaultdict(set))
    for review, passage, category in rows:
        reviews[review][passage].add(category)
    return reviews


def fresh_summaries(article_ids, codebook_version=None):
    """{article id: the ArticleSummary its reviews give now (unsaved; not_started() if nobody started one)},
    each with `flag_uses` ({flag id: uses in submitted reviews}) for the article's ArticleFlagUse rows.

    Four queries however many articles (three given the codebook version's number); each article's
    bootstrap takes about a millisecond.
    """
    if codebook_version is None:
        codebook_version = CodebookVersion.objects.current().number
    passages = defaultdict(list)
    for article_id, passage_id, start, end in (
        Passage.objects.filter(article_id__in=article_ids)
        .order_by("article_id", "paragraph", "sentence")
        .values_list("article_id", "id", "start", "end")
    ):
        passages[article_id].append((passage_id, end - start))
    submitted, in_progress = defaultdict(list), defaultdict(int)
    for review_id, article_id, status in Review.objects.filter(article_id__in=article_ids).values_list(
        "id", "article_id", "status"
    ):
        if status == Review.Status.SUBMITTED:
            submitted[article_id].append(review_id)
        else:
            in_progress[article_id] += 1
    rows = list(
        Annotation.objects.submitted().filter(review__article_id__in=article_ids)
        .values_list("review__article_id", "flag_id", "review_id", "passage_id", "flag__category")
    )
    flags = flags_by_review(row[2:] for row in rows)
    flag_uses = defaultdict(lambda: defaultdict(int))
    for article_id, flag_id, *_ in rows:
        flag_uses[article_id][flag_id] += 1
    summaries, scores = {}, {}
    for article_id in article_ids:
        if article_id not in submitted and article_id not in in_progress:
            summaries[article_id] = ArticleSummary.not_started(article_id)
            summaries[article_id].flag_uses = {}
            continue
        reviews = {review_id: flags.get(review_id, {}) for review_id in submitted[article_id]}
        scores[article_id] = reviews, scoring.score(passages[article_id], reviews, seed=article_id)
    ruled = _after_rulings(passages, scores)
    for article_id, (_, score) in scores.items():
        summaries[article_id] = ArticleSummary.of(article_id, score, in_progress[article_id], codebook_version,
                                                  ruled.get(article_id))
        summaries[article_id].flag_uses = dict(flag_uses.get(article_id, {}))
    return summaries


def _after_rulings(passages, scores):
    """{article id: its Score after rulings} where a ruling applies to a disputed passage; one query, and
    only when some passage is disputed."""
    disputed = [passage for _, score in scores.values() for passage, category in score.consensus.items()
                if category == scoring.DISPUTED]
    if not disputed:
        return {}
    rulings = defaultdict(dict)
    for article_id, passage_id, category in Ruling.objects.filter(passage_id__in=disputed).values_list(
        "passage__article_id", "passage_id", "category"
    ):
        rulings[article_id][passage_id] = category
    return {
        article_id: scoring.score(passages[article_id], scores[article_id][0], rulings=ruled)
        for article_id, ruled in rulings.items()
    }


def lock(article_ids):
    """Lock the articles' rows until the transaction ends (PostgreSQL; SQLite's IMMEDIATE transactions
    already serialise writers), so that two changes to one article are scored one after the other.
    """
    list(Article.objects.select_for_update().filter(pk__in=article_ids).order_by("pk").values_list("pk"))


def refresh(article_ids, codebook_version=None):
    """Store fresh summaries for these articles: call inside the transaction that changed them."""
    for batch in batches(dict.fromkeys(article_ids)):
        with transaction.atomic():
            # Read after the lock: a concurrent change to the same article has committed by then.
            lock(batch)
            _store(fresh_summaries(batch, codebook_version))


def review_started(article_id):
    """A review in progress was just added: count it on the stored summary, whose scores it cannot move
    (the first toggle on an article starts a review, and must not pay for a bootstrap). Call inside the
    transaction that added it.
    """
    with transaction.atomic():
        lock([article_id])
        started = Q(reviewers__gt=0) | Q(reviews_in_progress__gt=0)
        counted = ArticleSummary.objects.filter(started, article_id=article_id).update(
            reviews_in_progress=F("reviews_in_progress") + 1
        )
        if not counted:
            # The article's first review: its scores start here. Nothing submitted, so no flag use and
            # no outlet's or author's totals (which count reviewed articles only) can move.
            _store(fresh_summaries([article_id]), totals=False)


@transaction.atomic
def new_codebook(flag, user=None, rescore=False):
    """Record the flag set as a new codebook version after a change to `flag` (by `user`), and score
    every summary with it: rescored where a submitted review used the flag (rescore=True: its category
    changed), relabelled elsewhere, since nothing else can score differently. The version's audit
    trail records the rescore. Returns the current version.
    """
    before = CodebookVersion.objects.current()
    version = CodebookVersion.objects.record(user, _change(flag, before))
    rescored = []
    if rescore:  # even when the snapshot already held this category (a change made by update())
        rescored = list(
            Annotation.objects.submitted().filter(flag=flag).values_list("review__article_id", flat=True).distinct()
        )
        refresh(rescored, version.number)
    if version.number != before.number:
        ArticleSummary.objects.filter(codebook_version=before.number).update(codebook_version=version.number)
        version.rescored_articles = len(rescored)
        version._change_reason = f"Rescored {len(rescored)} articles from version {before.number}"
        version.save(update_fields=["rescored_articles"])
    return version


def _change(flag, before):
    """What changed, in words, for the version's `reason`."""
    old = next((entry for entry in before.flags if entry["id"] == flag.pk), None)
    if not Flag.objects.filter(pk=flag.pk).exists():
        return f"Flag “{flag.name}” deleted"
    if old is None:
        return f"Flag “{flag.name}” added as {flag.category}"
    changes = []
    if old["category"] != flag.category:
        changes.append(f"category {old['category']} → {flag.category}")
    if old["active"] != flag.active:
        changes.append("reactivated" if flag.active else "retired")
    return f"Flag “{flag.name}”: {', '.join(changes) or 'changed'}"


def _store(summaries, totals=True):
    """Upsert the summaries (a not-started one replaces the scores of an article whose last review went)
    and, unless totals=False (nothing submitted changed), their flag uses and their outlets' and
    authors' totals."""
    if not summaries:
        return
    if totals:  # what the articles add to their groups now, to add the difference after
        old = group_totals.before(list(summaries))
    ArticleSummary.objects.bulk_create(
        list(summaries.values()), update_conflicts=True, unique_fields=["article"], update_fields=_UPDATE_FIELDS
    )
    if totals:
        stale = ArticleFlagUse.objects.filter(article_id__in=list(summaries))
        stale._raw_delete(stale.db)
        insert_rows(ArticleFlagUse, ["article_id", "flag_id", "uses"], (
            (article_id, flag_id, uses)
            for article_id, summary in summaries.items() for flag_id, uses in summary.flag_uses.items()
        ))
        group_totals.apply(old, summaries)


def not_started(article_ids):
    """Store not-started summaries for new articles (that nobody can have reviewed yet) and count them in
    their outlets' and authors' totals: one INSERT, plus the totals' few queries. Call in the transaction
    that created them."""
    # Every row but its article is the same: its values are prepared once, not per row and field as
    # bulk_create() prepares them (half of a 20,000-record import's time).
    fields = [field for field in ArticleSummary._meta.concrete_fields if not field.primary_key]
    values = database_values(ArticleSummary, fields)(ArticleSummary.not_started(None))
    insert_rows(ArticleSummary, ["article_id", *(field.column for field in fields)],
                ((article_id, *values) for article_id in article_ids), ignore_conflicts=True)
    group_totals.articles_added(article_ids)


def differences(article_ids):
    """(article id, stored scores or None when the row is missing, fresh scores) for each summary that is
    not exact."""
    fresh = fresh_summaries(article_ids)
    stored = {summary.article_id: summary for summary in ArticleSummary.objects.filter(article_id__in=article_ids)}
    for article_id in article_ids:
        now, kept = fresh[article_id], stored.get(article_id)
        now_scores = now.scores()
        kept_scores = kept.scores() if kept else None
        if now_scores != kept_scores:
            yield article_id, kept_scores, now_scores
