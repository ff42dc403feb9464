import getpass
import os
from contextlib import nullcontext
from itertools import chain
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict

from dossier.progress import progress_bar

from annotations import columns
from annotations.exports import absolute_url, web_annotations, writers
from annotations.exports.rows import table_rows
from annotations.filters import filtered_articles, logged_parameters
from annotations.models import Export, Flag

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
        parser.add_argument("--format", required=True, choices=[*writers.TABLE_FORMATS, "jsonld"])
        parser.add_argument("--output", type=Path, help="File to write (replaced only once complete); "
                            "standard output if left out, except for xlsx.")
        filters = parser.add_argument_group("filters (as on the articles page)")
        filters.add_argument("--title", help="Words in the title, outlet or author names (the last may be a prefix).")
        filters.add_argument("--outlet", help="Words in the outlet's name (the last may be a prefix).")
        filters.add_argument("--author", help="Words in an author's name (the last may be a prefix).")
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
            raise CommandError("Fix the filter: " + " ".join(error.messages)) from None
        entry = Export.objects.start(
            Export.Kind.ANNOTATIONS if format == "jsonld" else Export.Kind.TABLE, format,
            username=_system_account(), via=Export.Via.COMMAND, parameters=logged_parameters(query),
        )
        progress = progress_bar(self, total, "annotation" if format == "jsonld" else "row", options["verbosity"])
        written = _Counter(progress)
        try:
            self.write(format, rows, written, output)
        except FileNotFoundError as error:
            raise CommandError(str(error)) from None
        finally:
            progress.close()
        entry.finish(written.count)
        if output is not None and options["verbosity"] >= 1:
            noun = "annotation" if format == "jsonld" else "row"
            self.stderr.write(f"Exported {written.count} {noun}{'' if written.count == 1 else 's'} to {output}.")

    def write(self, export_format, rows, written, output):
        """Stream the rows to the output file (replaced only once complete) or to standard output."""
        with writers.replacing(output) if output is not None else nullcontext() as file:
            def write(chunk):
                if file is None:
                    self.stdout.write(chunk, ending="")
                else:
                    file.write(chunk.encode("utf-8"))

            if export_format == "jsonld":
                for chunk in web_annotations.stream_collection(written(rows), "Dossier annotations", absolute_url):
                    write(chunk)
            elif export_format == "xlsx":
                writers.write_xlsx(chain([next(rows)], written(rows)), file, "Articles")
            else:
                for chunk in writers.text_chunks(chain([next(rows)], written(rows)), export_format):
                    write(chunk)

    def rows(self, export_format, query):
        """(what to write, how many there are now): the table's values, or the filtered articles' annotations."""
        if export_format == "jsonld":
            annotations = web_annotations.of_articles(filtered_articles(query))
            return annotations.iterator(chunk_size=web_annotations.CHUNK), annotations.count()
        articles = columns.sort(filtered_articles(query), query.getlist("sort"))
        return table_rows(articles, columns.CREDIBILITY, absolute_url), articles.count()

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
            sortable = list(columns.SORTABLE)
            if sort.removeprefix("-") not in sortable:
                names = ", ".join(sortable)
                raise CommandError(f"Unknown sort “{sort}”: use one of {names}, with '-' first for descending.")
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
