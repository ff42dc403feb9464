import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_models_and_migrations_agree():
    # makemigrations --check exits non-zero when a model change has no migration.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_summaries_behind_the_method_are_rescored_after_migrate_never_mid_chain(reviewer, other_reviewer):
    from io import StringIO

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from factories import make_article, make_review

    from annotations.models import ArticleSummary, CodebookVersion

    article = make_article(body="Tanks moved. Analysts say.\n\nIt is bad.")
    make_review(article, reviewer, {0: "q"})
    make_review(article, other_reviewer, {0: "q", 1: "u"})
    before = ("annotations", "0010_scoredarticle_export_linked_from")
    after = ("annotations", "0013_summary_v2_indexes_postgresql")
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    old = executor.loader.project_state([before]).apps.get_model("annotations", "ArticleSummary")
    # As method version 1 stored it: passage 3 unflagged by both, so "not reviewed".
    old.objects.filter(article_id=article.pk).update(neutral_chars=0, not_reviewed_chars=10, agreement=None)
    # Through method version 2's migration: the summary is left behind, marked version 1, not rescored
    # mid-chain by today's code (which reads tables that later migrations add: the rulings).
    call_command("migrate", *after, verbosity=0)
    executor = MigrationExecutor(connection)
    middle = executor.loader.project_state([after]).apps.get_model("annotations", "ArticleSummary")
    assert middle.objects.filter(article_id=article.pk).values_list("method_version", "not_reviewed_chars").get() \
        == (1, 10)
    # On to the newest migrations (the rulings' table and every later one): post_migrate rescores it.
    call_command("migrate", verbosity=0)

    summary = ArticleSummary.objects.get(article=article)
    assert (summary.method_version, summary.codebook_version) == (2, 1)
    assert (summary.not_reviewed_chars, summary.neutral_chars, summary.disputed_chars) == (0, 10, 13)
    # 0016 (the headline after rulings) ran after 0012 and its field is filled by today's code too.
    assert summary.ruled_sourced_fact_share == summary.sourced_fact_share == 1.0
    assert CodebookVersion.objects.get().reason == "The flag set when scoring method version 2 began"
    out = StringIO()
    call_command("recompute_summaries", "--check", stdout=out)
    assert "All 1 stored summaries are exact." in out.getvalue()


@pytest.mark.django_db
def test_the_rescore_after_migrate_is_one_query_when_nothing_is_behind(reviewer, django_assert_num_queries):
    from factories import make_article, make_review

    from annotations.upgrades import rescore_behind

    make_review(make_article(), reviewer, {0: "q"})
    with django_assert_num_queries(1):
        rescore_behind(plan=None)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_text_as_imported_is_compressed_and_import_history_rows_dropped_by_migrating():
    import zlib

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.utils import timezone

    before = ("dossier", "0007_job_export")
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    apps = executor.loader.project_state([before]).apps
    Article, History = apps.get_model("dossier", "Article"), apps.get_model("dossier", "HistoricalArticle")
    now = timezone.now()
    kept = Article.objects.create(title="Same", body="Clean.", original_text="Clean.", content_hash="a",
                                  imported_at=now)
    raw = Article.objects.create(title="Raw", body="Clean two.", original_text="  Clean\ttwo. ",
                                 content_hash="b", imported_at=now)
    for article, kinds in ((kept, "+"), (raw, "+~")):
        for kind in kinds:
            History.objects.create(id=article.pk, title=article.title, content_hash=article.content_hash,
                                   imported_at=now, history_date=now, history_type=kind)
    call_command("migrate", verbosity=0)

    from dossier.models import Article as Current

    stored = dict(Current.objects.values_list("pk", "original"))
    assert bytes(stored[kept.pk]) == b""
    assert zlib.decompress(bytes(stored[raw.pk])).decode() == "  Clean\ttwo. "
    assert Current.objects.get(pk=raw.pk).original_text == "  Clean\ttwo. "
    # Only an article never changed since its import loses its "created" row: it is the stored row.
    assert sorted(Current.history.values_list("id", "history_type")) == [(raw.pk, "+"), (raw.pk, "~")]
