from django.core.management.base import BaseCommand, CommandError

from dossier.ingest import SUFFIXES, BadInput, Metadata, import_paths, load_manifest


class Command(BaseCommand):
    help = (
        f"Import articles from files and folders ({', '.join(SUFFIXES)}). Each file is saved in its own "
        "transaction; duplicates are skipped. Exits non-zero if any file failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="Files or folders to import.")
        parser.add_argument("--outlet", default="", metavar="NAME", help="Outlet of every imported article.")
        parser.add_argument(
            "--author", action="append", default=[], metavar="NAME", help="Author of every article (repeatable)."
        )
        parser.add_argument("--url", default="", metavar="URL", help="Address of the original article.")
        parser.add_argument("--language", default="", metavar="CODE", help="Language code, e.g. en, tr, fa.")
        parser.add_argument(
            "--manifest", metavar="FILE", help='JSON {"files": {"name.txt": {"outlet": …, "authors": […], …}}}.'
        )

    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        try:
            manifest = load_manifest(options["manifest"]) if options["manifest"] else {}
        except BadInput as error:
            raise CommandError(str(error)) from None
        metadata = Metadata.build(
            outlet=options["outlet"], authors=options["author"], url=options["url"], language=options["language"]
        )
        report = import_paths(options["paths"], metadata, manifest, progress=self.show)
        if not report.files:
            raise CommandError(f"No files to import under {', '.join(options['paths'])}.")
        self.stdout.write(f"{len(report.files)} files: {report.summary()}.")
        if report.failed:
            raise CommandError(f"{report.failed} file(s) failed; see the reasons above.")

    def show(self, result):
        if result.failed:
            self.stderr.write(self.style.ERROR(result.summary()))
        elif self.verbosity >= 1:
            self.stdout.write(result.summary())
