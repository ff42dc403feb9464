"""Keep stored summaries exact: every change that can move a score refreshes its article's summary
in the same transaction.
"""
import threading

from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import Signal, receiver
from simple_history.models import HistoricalRecords

from dossier.models import Article, Author, Outlet, Passage, article_revised, articles_imported

from . import revisions, summaries, totals
from .models import Annotation, AuthorTotals, CodebookVersion, Flag, OutletTotals, Review, Ruling
from .models.totals import BANDS

# Extension points for the apps built on annotations (campaigns), which annotations never imports.
# Each receiver answers for itself; the pages take the first answer that is not None.
queue_sections = Signal()  # reviewer=: context for the top of the reviewer's queue (their assignments)
next_assignment = Signal()  # reviewer=: the id of the article the reviewer should open next, or None
review_refusal = Signal()  # article=, reviewer=: why this reviewer may not review the article, or None
closed_articles = Signal()  # reviewer=: the ids (a values() queryset) of articles review_refusal refuses, or None
table_selection = Signal()  # user=: {"url", "label"} of a page that takes rows picked in the articles table, or None


def first_answer(signal, **kwargs):
    """The first receiver's answer that is not None, else None."""
    return next((answer for _, answer in signal.send(sender=None, **kwargs) if answer is not None), None)


def _deleting(origin, model):
    """Whether a delete() began on this model (an instance or a queryset of it)."""
    return isinstance(origin, model) or (isinstance(origin, QuerySet) and origin.model is model)


@receiver(post_save, sender=Ruling)
@receiver(post_delete, sender=Ruling)
def ruling_changed(sender, instance, raw=False, origin=None, **kwargs):
    # The figures after rulings are stored with the summary: the articles table and its exports show them.
    if raw or _deleting(origin, Article) or _deleting(origin, Passage):
        return  # a load brings its summaries; a deleted article or passage refreshes its own
    article_id = Passage.objects.filter(pk=instance.passage_id).values_list("article_id", flat=True).first()
    if article_id is not None:
        summaries.refresh([article_id])


@receiver(post_save, sender=Review)
def review_saved(sender, instance, created=False, raw=False, **kwargs):
    # Starting a review changes only the count of reviews in progress (and so the status); submitting
    # it changes every score.
    if created and not raw and not instance.is_submitted:
        summaries.review_started(instance.article_id)
    else:
        summaries.refresh([instance.article_id])


@receiver(post_delete, sender=Review)
def review_deleted(sender, instance, origin=None, **kwargs):
    if not _deleting(origin, Article):  # the article's summary goes with it
        summaries.refresh([instance.article_id])


@receiver(post_delete, sender=Passage)
def passage_deleted(sender, instance, origin=None, **kwargs):
    if not _deleting(origin, Article):
        summaries.refresh([instance.article_id])


@receiver(post_save, sender=Annotation)
@receiver(post_delete, sender=Annotation)
def annotation_changed(sender, instance, origin=None, **kwargs):
    # Only submitted reviews count. A delete that began elsewhere (a review, passage, article or
    # user) is handled once by that object's receiver, not once per annotation.
    if origin is not None and not _deleting(origin, Annotation):
        return
    review = instance.review  # cached when the change came through Review.set_flag; one query otherwise
    if review.is_submitted:
        summaries.refresh([review.article_id])


# Raw saves too: `loaddata flags` can put a default category back.
@receiver(pre_save, sender=Flag)
def remember_flag_coding(sender, instance, **kwargs):
    instance._coding_before = (
        None if instance.pk is None
        else Flag.objects.filter(pk=instance.pk).values_list("category", "active").first()
    )


@receiver(post_save, sender=Flag)
def flag_saved(sender, instance, created, raw=False, **kwargs):
    if raw and not CodebookVersion.objects.exists():
        return  # a whole database being loaded (its versions come with it), not a change to the flag set
    before = getattr(instance, "_coding_before", None)
    if not created and before == (instance.category, instance.active):
        return  # a name, guideline, colour or order: the codebook is unchanged
    category_changed = before is not None and before[0] != instance.category
    summaries.new_codebook(instance, _acting_user(), rescore=category_changed)


@receiver(post_delete, sender=Flag)
def flag_deleted(sender, instance, **kwargs):
    # Only a flag no annotation uses can be deleted (PROTECT): no score moves, but the codebook does.
    summaries.new_codebook(instance, _acting_user())


def _acting_user():
    """The signed-in user whose request changed the flag set, as django-simple-history finds them for the
    flag's own audit record (its HistoryRequestMiddleware); None outside a request.
    """
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


@receiver(article_revised, sender=Article)
def article_revised_carry_across(sender, article, version, old_passages, new_passages, **kwargs):
    revisions.carry_across(article, version, old_passages, new_passages)


# Every article has a summary, and every outlet and author its totals, from the moment it exists.
@receiver(articles_imported, sender=Article, dispatch_uid="annotations.articles_imported")
def articles_imported_summaries(sender, articles, **kwargs):
    summaries.not_started([article.pk for article in articles])


@receiver(post_save, sender=Article)
def article_saved(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        return  # a load brings its summaries and totals
    if created:  # one at a time (an import's bulk INSERT sends articles_imported instead)
        summaries.not_started([instance.pk])
        return
    before = getattr(instance, "_outlet_before", instance.outlet_id)
    if before != instance.outlet_id:  # moved to another outlet: both outlets' totals move
        totals.refresh({before, instance.outlet_id} - {None})


@receiver(pre_save, sender=Article)
def remember_outlet(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance.pk is None or (update_fields is not None and "outlet" not in update_fields):
        return
    instance._outlet_before = Article.objects.filter(pk=instance.pk).values_list("outlet_id", flat=True).first()


@receiver(m2m_changed, sender=Article.authors.through)
def article_authors_changed(sender, instance, action, reverse=False, pk_set=None, **kwargs):
    # author.articles.add(...) (reverse) changes that author's articles alone.
    if action == "pre_clear" and not reverse:  # the authors a clear() takes away
        instance._authors_before = set(instance.authors.values_list("pk", flat=True))
    elif action in ("post_add", "post_remove", "post_clear"):
        if reverse:
            totals.refresh((), {instance.pk})
        else:
            totals.refresh((), pk_set if action != "post_clear" else getattr(instance, "_authors_before", set()))


# The outlets and authors of the articles a deletion in progress takes, by id() of its `origin` (the
# queryset or instance delete() was called on), kept from its first pre_delete to its first post_delete.
_groups_in_deletion = threading.local()


@receiver(pre_delete, sender=Article)
def remember_groups(sender, instance, origin=None, **kwargs):
    pending = _groups_in_deletion.__dict__.setdefault("groups", {})
    whole = isinstance(origin, QuerySet) and issubclass(origin.model, Article)
    if id(origin) not in pending:
        # A queryset's articles all still exist here: their groups are read once, not once an article.
        outlets, authors = totals.groups_of(origin.values("pk") if whole else [instance.pk])
        pending[id(origin)] = (origin, outlets, authors)
    elif not whole:  # articles a deletion of something else takes along
        outlets, authors = totals.groups_of([instance.pk])
        pending[id(origin)][1].update(outlets)
        pending[id(origin)][2].update(authors)


@receiver(post_delete, sender=Article)
def article_deleted(sender, instance, origin=None, **kwargs):
    # Django deletes every article of one deletion (their summaries and flag uses before them) before it
    # signals any: the first signal refreshes their outlets and authors once, in the deletion's
    # transaction. Once an article, 20,000 articles of one outlet cost 20,000 refreshes of 20,000 rows.
    entry = _groups_in_deletion.__dict__.get("groups", {}).pop(id(origin), None)
    if entry is not None:
        totals.refresh(entry[1], entry[2])


@receiver(post_save, sender=Outlet)
@receiver(post_save, sender=Author)
def subject_saved(sender, instance, created=False, update_fields=None, **kwargs):
    model = OutletTotals if sender is Outlet else AuthorTotals
    subject = model._meta.pk.name
    if created:  # no article yet: totals of zero, so that it is listed among the too few reviewed
        zero = {"name": instance.name, "bands": [0] * BANDS}  # as fresh() gives them, so deltas can add up
        model.objects.get_or_create(**{f"{subject}_id": instance.pk}, defaults=zero)
    elif update_fields is None or "name" in update_fields:
        model.objects.filter(**{f"{subject}_id": instance.pk}).exclude(name=instance.name).update(name=instance.name)
