from django.core.management.base import BaseCommand, CommandError

from dossier.ingest import SUFFIXES, BadInput, Metadata, import_paths, import_urls, load_manifest


class Command(BaseCommand):
    help = (
        f"Import articles from files and folders ({', '.join(SUFFIXES)}), or fetch them with --url URL…. Each "
        "file or address is saved in its own transaction; duplicates are skipped; an address already imported "
        "with another text becomes a new version. Exits non-zero if any file or address failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", metavar="PATH", help="Files or folders to import.")
        parser.add_argument("--outlet", default="", metavar="NAME", help="Outlet of every imported article.")
        parser.add_argument(
            "--author", action="append", default=[], metavar="NAME", help="Author of every article (repeatable)."
        )
        parser.add_argument(
            "--url", action="extend", nargs="+", default=[], metavar="URL",
            help="Without PATH: pages to fetch and import. With PATH: the address of the original of the files.",
        )
        parser.add_argument("--language", default="", metavar="CODE", help="Language code, e.g. en, tr, fa.")
        parser.add_argument(
            "--manifest", metavar="FILE", help='JSON {"files": {"name.txt": {"outlet": …, "authors": […], …}}}.'
        )

    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        paths, urls = options["paths"], options["url"]
        if not paths and not urls:
            raise CommandError("Name files or folders to import (PATH…), or pages to fetch (--url URL…).")
        if paths and len(urls) > 1:
            raise CommandError("With PATH, --url states the one address of the files' original; "
                               "fetch pages with --url URL… alone.")
        try:
            manifest = load_manifest(options["manifest"]) if options["manifest"] else {}
        except BadInput as error:
            raise CommandError(str(error)) from None
        metadata = Metadata.build(
            outlet=options["outlet"], authors=options["author"], url=urls[0] if paths and urls else "",
            language=options["language"],
        )
        if paths:
            report = import_paths(paths, metadata, manifest, progress=self.show)
            if not report.files:
                raise CommandError(f"No files to import under {', '.join(paths)}.")
            noun = "files"
        else:
            report = import_urls(urls, metadata, progress=self.show)
            noun = "addresses"
        self.stdout.write(f"{len(report.files)} {noun}: {report.summary()}.")
        if report.failed:
            what = "file(s)" if paths else "address(es)"
            raise CommandError(f"{report.failed} {what} failed; see the reasons above.")

    def show(self, result):
        if result.failed:
            self.stderr.write(self.style.ERROR(result.summary()))
        elif self.verbosity >= 1:
            self.stdout.write(result.summary())
