from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from dossier.bulk import BATCH, batches
from dossier.models import Article
from dossier.progress import progress_bar

from annotations import summaries, totals

SHOWN = 20


class Command(BaseCommand):
    help = (
        "Rebuild every article's stored summary from its reviews, and every outlet's and author's totals. "
        "With --check, change nothing and exit non-zero if any stored summary or totals differ from a fresh "
        "computation (a missing one differs too)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Compare only; exit 1 on any difference.")

    def handle(self, *args, check=False, **options):
        total = Article.objects.count()
        ids = Article.objects.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=BATCH)
        progress = progress_bar(self, total, "article", options["verbosity"])
        found = 0
        for batch in batches(ids):
            if check:
                with transaction.atomic():
                    summaries.lock(batch)  # a change in flight would otherwise look like a difference
                    differences = list(summaries.differences(batch))
                for article_id, stored, fresh in differences:
                    found += 1
                    if found <= SHOWN:
                        self.stdout.write(f"Article {article_id}: stored {stored}, fresh {fresh}")
            else:
                summaries.refresh(batch)
            progress.update(len(batch))
        progress.close()
        if not check:
            for model in totals.KINDS:  # after the summaries, which they add up
                totals.rebuild(model)
            self.stdout.write(f"Rebuilt the summaries of {total} articles, and the outlets' and authors' totals.")
            return
        problems = []
        if found:
            more = f" (the first {SHOWN} shown)" if found > SHOWN else ""
            problems.append(f"{found} of {total} stored summaries differ from a fresh computation{more}.")
        with transaction.atomic():
            differing = {model: list(totals.differences(model)) for model in totals.KINDS}
        for model, rows in differing.items():
            for pk, stored, fresh in rows[:SHOWN]:
                self.stdout.write(f"{model._meta.verbose_name.capitalize()} {pk}: stored {stored}, fresh {fresh}")
            if rows:
                problems.append(f"{len(rows)} {model._meta.verbose_name_plural}' stored totals differ from a fresh "
                                "computation.")
        if problems:
            raise CommandError(" ".join(problems))
        self.stdout.write(f"All {total} stored summaries are exact. So are the outlets' and authors' totals.")
