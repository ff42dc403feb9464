import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_models_and_migrations_agree():
    # makemigrations --check exits non-zero when a model change has no migration.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_data_migration_moves_every_stored_summary_to_method_version_two(reviewer, other_reviewer):
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
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([after])
    # And on to the newest migrations, which the models (and every later test) expect.
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    summary = ArticleSummary.objects.get(article=article)
    assert (summary.method_version, summary.codebook_version) == (2, 1)
    assert (summary.not_reviewed_chars, summary.neutral_chars, summary.disputed_chars) == (0, 10, 13)
    assert CodebookVersion.objects.get().reason == "The flag set when scoring method version 2 began"
    out = StringIO()
    call_command("recompute_summaries", "--check", stdout=out)
    assert "All 1 stored summaries are exact." in out.getvalue()
