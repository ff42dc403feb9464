"""A new version of an article's text: its annotations carried across, what cannot be placed kept as Orphans.

dossier sends article_revised inside the import's transaction; placing is dossier.ingest.anchoring's
(exact quote with context, then position, then fuzzy), the moves are one UPDATE per changed field here.
"""

from typing import NamedTuple

from django.db import connections

from dossier.ingest.anchoring import THRESHOLD, Anchor, reanchor
from dossier.models import Passage

from . import summaries
from .models import Annotation, ArticleSummary, Orphan


class _Row(NamedTuple):
    """What moving or orphaning an annotation reads of it."""

    pk: int
    review_id: int
    passage_id: int
    flag_id: int
    start: int | None
    end: int | None
    note: str
    evidence_url: str


def carry_across(article, version, old_passages, new_passages):
    """Move the article's annotations onto the new passages; returns (moved, orphaned) counts."""
    summary = ArticleSummary.objects.filter(article=article).first()
    if summary is not None and summary.status != ArticleSummary.Status.NOT_STARTED:
        version.summary = {name: getattr(summary, name) for name in ArticleSummary.SCORE_FIELDS}
        version.save(update_fields=["summary"])
    spans = {pk: (start, end) for pk, start, end in old_passages}
    # Plain rows, not model instances: building hundreds of those cost as much as placing them.
    annotations = [_Row(*values) for values in
                   Annotation.objects.filter(passage_id__in=spans).order_by("id").values_list(*_Row._fields)]
    anchors = [Anchor(*spans[a.passage_id], a.start, a.end) for a in annotations]
    places = reanchor(version.body, [spans[pk] for pk, *_ in old_passages], article.body,
                      [(start, end) for _, start, end in new_passages], anchors)
    moved, orphans, taken = [], [], set()
    for annotation, anchor, placed in zip(annotations, anchors, places):
        if placed is not None:
            passage_id = new_passages[placed.passage][0]
            key = (annotation.review_id, passage_id, annotation.flag_id)
            if key not in taken:
                taken.add(key)
                moved.append((passage_id, placed.start, placed.end, annotation.pk))
                continue
            reason = "its new place already has the same flag from the same reviewer"
        else:
            reason = f"its words are not in the new text (no match of {THRESHOLD:g}% or more)"
        orphans.append(_orphan(article, version, annotation, anchor, reason))
    _move(moved)
    Orphan.objects.bulk_create(orphans)
    gone = Annotation.objects.filter(pk__in=[orphan.annotation_id for orphan in orphans])
    gone._raw_delete(gone.db)  # recorded as orphans just now; the summary is refreshed once below
    # Nothing hangs on the old passages now: they go before the refresh, which would otherwise count
    # their characters as the new version's (the import's own delete of them then finds none).
    old = Passage.objects.filter(pk__in=spans)
    old._raw_delete(old.db)
    summaries.refresh([article.pk])
    return len(moved), len(orphans)


def _move(moves):
    """(passage id, start, end, annotation id) for each: one parameterised UPDATE per annotation in a single
    executemany, as bulk_update's CASE over hundreds of rows cost more than placing them."""
    connection = connections[Annotation.objects.db]
    quote = connection.ops.quote_name
    sql = "UPDATE {} SET {} = %s, {} = %s, {} = %s WHERE {} = %s".format(
        quote(Annotation._meta.db_table), quote("passage_id"), quote("start"), quote("end"), quote("id"))
    with connection.cursor() as cursor:
        cursor.executemany(sql, moves)


def _orphan(article, version, annotation, anchor, reason):
    body = version.body
    orphan = Orphan(
        article=article, version=version.number, review_id=annotation.review_id, flag_id=annotation.flag_id,
        passage_text=body[anchor.passage_start:anchor.passage_end],
        quote=body[anchor.start:anchor.end] if anchor.start is not None else "",
        note=annotation.note, evidence_url=annotation.evidence_url, reason=reason,
    )
    orphan.annotation_id = annotation.pk  # which annotation to delete once the orphans are saved
    return orphan


