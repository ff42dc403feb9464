import json
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from dossier.models import Article

from perf.arguments import positive
from perf.benchmark import Benchmark, environment


class Command(BaseCommand):
    help = (
        "Measure the server-side latency (p50, p95) and SQL queries of the articles table, an article summary, "
        "the workspace, a flag toggle, an outlet page, the CSV export of everything and two imports, against "
        "the brief's bars. Prints a table; --json also writes the figures. Runs only on a database holding "
        "generated corpora, and undoes what it changes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=positive, metavar="N",
                            help="Corpus size: an empty database first gets a generated corpus of N articles; "
                                 "a database holding another number is refused.")
        parser.add_argument("--reviewers", type=positive, default=8, help="For a generated corpus (8).")
        parser.add_argument("--seed", default="1", help="For a generated corpus (1).")
        parser.add_argument("--requests", type=positive, default=50, help="Requests per page (default 50).")
        parser.add_argument("--runs", type=positive, default=5,
                            help="Runs of each export and import (default 5): each takes seconds.")
        parser.add_argument("--json", type=Path, metavar="FILE", dest="json_file", help="Also write the figures here.")
        parser.add_argument("--only", nargs="+", choices=Benchmark.PARTS, metavar="PART",
                            help=f"Measure only these parts ({', '.join(Benchmark.PARTS)}); default all.")

    def handle(self, *args, articles, reviewers, seed, requests, runs, json_file, only=None, **options):
        present = Article.objects.count()
        if articles and not present:
            call_command("generate_corpus", articles=articles, reviewers=reviewers, seed=seed,
                         verbosity=options["verbosity"], stdout=self.stdout, stderr=self.stderr)
        elif articles and present != articles:
            raise CommandError(f"The database holds {present} articles, not {articles}: benchmark it without "
                               "--articles, or point DATABASE_URL at an empty database.")
        if requests < 50:
            self.stderr.write(f"Only {requests} requests per page: the percentiles are rough.")
        say = self.stderr.write if options["verbosity"] >= 1 else (lambda message: None)
        try:
            results = Benchmark(requests=requests, runs=runs, progress=say).run(only)
        except (ValueError, RuntimeError) as error:
            raise CommandError(str(error)) from None
        report = environment(results)
        self.stdout.write(table(report))
        if json_file:
            json_file.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            self.stdout.write(f"Figures written to {json_file}.")


def table(report):
    """The results as a Markdown table, as docs/performance.md shows them."""
    corpus, database = report["corpus"], report["database"]
    lines = [
        f"{corpus['articles']:,} articles, {corpus['passages']:,} passages, {corpus['annotations']:,} annotations; "
        f"{database['vendor']} {database['version']}, {database['size_bytes'] / 1e6:.1f} MB "
        f"({database['bytes_per_article'] or 0:,} bytes per article); {report['machine']['cpus']} CPUs; "
        f"{report['date']}",
        "",
        "| measured | requests | p50 ms | p95 ms | queries | bar | met | |",
        "|---|---:|---:|---:|---:|---|---|---|",
    ]
    for row in report["results"]:
        met = "—" if row["met"] is None else ("yes" if row["met"] else "**no**")
        queries = "—" if row["queries"] is None else row["queries"]
        lines.append(f"| {row['name']} | {row['requests']} | {row['p50_ms']:.1f} | {row['p95_ms']:.1f} | {queries} "
                     f"| {row['bar'] or '—'} | {met} | {row['detail']} |")
    return "\n".join(lines)
