"""Summaries stored by an older scoring method are rescored after `migrate`, with today's code.

Migrations never call live scoring code: a data migration runs mid-chain, where today's code may read a
column or table that a later migration adds (the rulings, the headline after rulings). Method version 2's
migration (0012) therefore only leaves the old summaries behind, marked by their `method_version`; this
post_migrate receiver rescores them once the database holds every migration. When nothing is behind it
costs one query.
"""
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from dossier.models import Outlet

from . import scoring, summaries, totals
from .models import ArticleSummary


def behind():
    """The ids of the articles whose stored summary an older method version computed, oldest first."""
    return ArticleSummary.objects.filter(method_version__lt=scoring.METHOD_VERSION).order_by("pk").values_list(
        "pk", flat=True
    )


def at_newest_migrations(connection):
    """True when every migration on disk is applied: only then do the tables match today's models."""
    executor = MigrationExecutor(connection)
    return not executor.migration_plan(executor.loader.graph.leaf_nodes())


def rescore_behind(sender=None, using=DEFAULT_DB_ALIAS, plan=None, verbosity=1, stdout=None, **kwargs):
    """post_migrate (sent once per app; connected for annotations alone): rescore what is behind.

    A migrate to an earlier target leaves the summaries alone (the tables may predate today's models);
    the next migrate to the newest migrations rescores them. A flush (plan None) has nothing to rescore
    unless a summary is behind, and then the database is the test's own, at the newest migrations.
    """
    if using != DEFAULT_DB_ALIAS:  # the summaries' code reads and writes the default database
        return
    if plan is not None and not at_newest_migrations(connections[using]):
        return
    ids = list(behind())
    if not ids:
        return
    summaries.refresh(ids)  # a transaction per batch of articles
    if verbosity >= 1 and stdout is not None:
        stdout.write(f"  Rescored {len(ids)} stored summaries with scoring method version {scoring.METHOD_VERSION}.")


def fill_totals(sender=None, using=DEFAULT_DB_ALIAS, plan=None, verbosity=1, stdout=None, **kwargs):
    """post_migrate, as rescore_behind(): store the totals of every outlet and author that has none (after
    migration 0018, all of them). When none is missing it costs four counts."""
    if using != DEFAULT_DB_ALIAS or (plan is not None and not at_newest_migrations(connections[using])):
        return
    for model, stored in totals.KINDS.items():
        if stored.objects.count() == model.objects.count():
            continue
        missing = model.objects.exclude(pk__in=stored.objects.values("pk")).values_list("pk", flat=True)
        ids = list(missing)
        totals.refresh(ids, ()) if model is Outlet else totals.refresh((), ids)
        if verbosity >= 1 and stdout is not None:
            stdout.write(f"  Stored the totals of {len(ids)} {model._meta.verbose_name_plural}.")
