from django.core.management.base import BaseCommand, CommandError

from dossier.models import Source
from dossier.polling import poll_sources


class Command(BaseCommand):
    help = (
        "Poll every active feed and sitemap (Admin → Sources) and import its new or changed entries, at most one "
        "request per second per host, asking only for what changed (ETag, Last-Modified). For a scheduler: "
        "exits non-zero if any source failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--source", type=int, action="append", default=[], metavar="ID",
                            help="Poll only this source (repeatable), active or not.")

    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        sources = None
        if options["source"]:
            sources = Source.objects.filter(pk__in=options["source"]).select_related("outlet")
        results = poll_sources(sources, progress=self.show)
        if not results:
            raise CommandError("No sources to poll: add feeds or sitemaps under Admin → Sources.")
        totals = [sum(getattr(result, name) for result in results) for name in ("new", "unchanged", "failed")]
        failed_sources = sum(bool(result.error) for result in results)
        self.stdout.write(f"{len(results)} sources: {totals[0]} new, {totals[1]} unchanged, {totals[2]} failed entries"
                          f", {failed_sources} failed sources.")
        if failed_sources:
            raise CommandError(f"{failed_sources} source(s) failed; see the reasons above.")

    def show(self, result):
        for line in result.lines:
            if ": failed: " in line:
                self.stderr.write(self.style.ERROR(f"  {line}"))
            elif self.verbosity >= 2:
                self.stdout.write(f"  {line}")
        if result.error:
            self.stderr.write(self.style.ERROR(result.summary()))
        elif self.verbosity >= 1:
            self.stdout.write(result.summary())
