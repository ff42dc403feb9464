import time

from django.core.management.base import BaseCommand, CommandError

from dossier.progress import progress_bar

from perf import corpus
from perf.arguments import positive


class Command(BaseCommand):
    help = (
        "Add a deterministic synthetic corpus for measuring: N articles of about 60 sentences in five languages "
        "from many outlets and authors, reviewed by R generated reviewers (corpus-reviewer-01…), with exact "
        "stored summaries. The same seed and size give the same corpus."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=positive, required=True, metavar="N", help="Articles to add.")
        parser.add_argument("--reviewers", type=positive, default=8, metavar="R",
                            help="Generated reviewer accounts (default 8); each article gets up to five reviews.")
        parser.add_argument("--seed", default="1", metavar="S", help="Seed (default 1).")

    def handle(self, *args, articles, reviewers, seed, **options):
        began = time.perf_counter()
        progress = progress_bar(self, articles, "article", options["verbosity"])
        try:
            corpus.generate(articles, reviewers, seed, progress=progress.update)
        except ValueError as error:
            raise CommandError(str(error)) from None
        finally:
            progress.close()
        elapsed = time.perf_counter() - began
        self.stdout.write(f"Generated {articles} articles (seed {seed}, {reviewers} reviewers) in {elapsed:.0f} s.")
