from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from dossier.bulk import BATCH, batches
from dossier.models import Article
from dossier.progress import progress_bar

from annotations import summaries

SHOWN = 20


class Command(BaseCommand):
    help = (
        "Rebuild every article's stored summary from its reviews. With --check, change nothing and exit "
        "non-zero if any stored summary differs from a fresh computation."
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
            self.stdout.write(f"Rebuilt the summaries of {total} articles.")
        elif found:
            more = f" (the first {SHOWN} shown)" if found > SHOWN else ""
            raise CommandError(f"{found} of {total} stored summaries differ from a fresh computation{more}.")
        else:
            self.stdout.write(f"All {total} stored summaries are exact.")
