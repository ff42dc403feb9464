import getpass
import os
import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict
from tqdm import tqdm

from annotations import exports, web_annotations
from annotations.exports import absolute_url
from annotations.filters import filtered_articles
from annotations.models import Export, Flag
from annotations.tables import CredibilityTable, credibility_table

# Option -> the articles table's query parameter.
FILTERS = {
    "title": "q",
    "outlet": "outlet",
    "author": "author",
    "language": "language",
    "published_from": "published_after",
    "published_to": "published_before",
    "flag": "flag",
    "status": "status",
    **{f"{share}_{end}": f"{share}_{end}" for share in ("sourced_fact_share", "unsourced_share", "opinion_share")
       for end in ("min", "max")},
}


class Command(BaseCommand):
    help = (
        "Export the articles table's credibility summaries (csv, xlsx, json) or the submitted annotations of "
        "its articles as W3C Web Annotations (jsonld), with the table's filters and sort. Logged in the "
        "export log."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", required=True, choices=[*exports.TABLE_FORMATS, "jsonld"])
        parser.add_argument("--output", type=Path, help="File to write (replaced only once complete); "
                            "standard output if left out, except for xlsx.")
        filters = parser.add_argument_group("filters (as on the articles page)")
        filters.add_argument("--title", help="Title contains.")
        filters.add_argument("--outlet", help="An outlet's name contains.")
        filters.add_argument("--author", help="An author's name contains.")
        filters.add_argument("--language", help="Language code, e.g. en.")
        filters.add_argument("--published-from", metavar="YYYY-MM-DD")
        filters.add_argument("--published-to", metavar="YYYY-MM-DD")
        filters.add_argument("--flag", help="Flag name, exactly: a submitted review used it.")
        filters.add_argument("--status", choices=["not_started", "in_review", "reviewed"])
        for share in ("sourced_fact_share", "unsourced_share", "opinion_share"):
            for end in ("min", "max"):
                filters.add_argument(f"--{share.replace('_', '-')}-{end}", metavar="PERCENT")
        parser.add_argument("--sort", help="A column, '-' first for descending: --sort=-sourced_fact_share.")

    def handle(self, *args, format, output, sort, **options):
        if format == "xlsx" and output is None:
            raise CommandError("An xlsx export needs --output FILE.")
        if output is not None and output.is_dir():
            raise CommandError(f"{output} is a folder: give a file name.")
        query = self.query(options, sort)
        try:
            rows, total = self.rows(format, query)
        except ValidationError as error:
            raise CommandError("Fix the filter: " + " ".join(error.messages))
        entry = exports.log(
            Export.Kind.ANNOTATIONS if format == "jsonld" else Export.Kind.TABLE, format, None,
            username=_system_account(), via=Export.Via.COMMAND, parameters=exports.parameters(query),
        )
        # The bar writes to the real stream: Django's stderr wrapper would end each redraw with a newline.
        progress = tqdm(total=total, unit="annotation" if format == "jsonld" else "row",
                        file=getattr(self.stderr, "_out", self.stderr), disable=options["verbosity"] < 1 or None)
        written = _Counter(progress)
        try:
            with _replacing(output, self.stdout) as write:
                if format == "jsonld":
                    for chunk in web_annotations.stream_collection(written(rows), "Dossier annotations", absolute_url):
                        write(chunk)
                elif format == "xlsx":
                    exports.write_xlsx(_prepend(next(rows), written(rows)), write.file, "Articles")
                else:
                    for chunk in exports.text_chunks(_prepend(next(rows), written(rows)), format):
                        write(chunk)
        finally:
            progress.close()
        entry.finish(written.count)
        if output is not None and options["verbosity"] >= 1:
            noun = "annotation" if format == "jsonld" else "row"
            self.stderr.write(f"Exported {written.count} {noun}{'' if written.count == 1 else 's'} to {output}.")

    def rows(self, export_format, query):
        """(what to write, how many there are now): the table's values, or the filtered articles' annotations."""
        if export_format == "jsonld":
            annotations = web_annotations.of_articles(filtered_articles(query))
            return annotations.iterator(chunk_size=web_annotations.CHUNK), annotations.count()
        table = credibility_table(query)
        return exports.table_values(table), table.data.data.count()

    def query(self, options, sort):
        """The options as the articles page's query string; the flag's name resolved to its id."""
        query = QueryDict(mutable=True)
        for option, parameter in FILTERS.items():
            if options.get(option) is not None:
                query[parameter] = options[option]
        if "flag" in query:
            found = Flag.objects.filter(name=query["flag"]).values_list("pk", flat=True).first()
            if found is None:
                raise CommandError(f"No flag is named “{query['flag']}”.")
            query["flag"] = str(found)
        if sort is not None:
            sortable = [name for name, column in CredibilityTable.base_columns.items() if column.orderable is not False]
            if sort.removeprefix("-") not in sortable:
                columns = ", ".join(sortable)
                raise CommandError(f"Unknown sort “{sort}”: use one of {columns}, with '-' first for descending.")
            query["sort"] = sort
        return query


def _system_account():
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # a container's user may have no name
        return f"uid {os.getuid()}"


class _Counter:
    """Counts what passes through it, and moves the progress bar."""

    def __init__(self, progress):
        self.progress, self.count = progress, 0

    def __call__(self, items):
        for item in items:
            yield item
            self.count += 1
            self.progress.update()


def _prepend(first, rest):
    yield first
    yield from rest


class _replacing:
    """Write to a temporary file beside `path` and move it into place only when complete, so that a
    failed export never leaves a half-written file; with no path, write to standard output.
    """

    def __init__(self, path, stdout):
        self.path, self.stdout, self.file = path, stdout, None

    def __enter__(self):
        if self.path is None:
            return self
        directory = self.path.resolve().parent
        if not directory.is_dir():
            raise CommandError(f"{self.path}: the folder {directory} does not exist.")
        self.file = tempfile.NamedTemporaryFile(dir=directory, prefix=f".{self.path.name}.", delete=False)
        return self

    def __call__(self, chunk):
        if self.file is None:
            self.stdout.write(chunk, ending="")
        else:
            self.file.write(chunk.encode("utf-8"))

    def __exit__(self, kind, error, traceback):
        if self.file is None:
            return
        self.file.close()
        try:
            if kind is None:
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(self.file.name, 0o666 & ~umask)  # as a plainly created file would be
                os.replace(self.file.name, self.path)
        finally:
            if os.path.exists(self.file.name):
                os.unlink(self.file.name)
