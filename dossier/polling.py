"""Polling sources: fetch each feed or sitemap (conditionally), import the entries that are new or changed.

One Fetcher for a whole run, paced at one request per second per host. A failing entry is counted and
named, and the others still import; a feed or sitemap that fails to fetch or parse fails its source alone.
"""
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from .ingest import BadInput, Metadata, import_url
from .ingest.feeds import feed_entries, sitemap_entries
from .ingest.fetching import Fetcher, Refused
from .models import Source, SourceEntry

PACE = 1.0  # seconds between two requests to one host
MAX_CHILD_SITEMAPS = 20  # of a sitemap index, followed one level deep


@dataclass
class PollResult:
    source: Source
    new: int = 0
    unchanged: int = 0
    failed: int = 0
    error: str = ""  # the source itself failed: fetch or parse
    lines: list[str] = field(default_factory=list)  # one per entry imported or failed

    def summary(self):
        if self.error:
            return f"{self.source.url}: failed: {self.error}"
        return f"{self.source.url}: {self.new} new, {self.unchanged} unchanged, {self.failed} failed"


def poll_sources(sources=None, user=None, progress=None, fetcher=None):
    """Poll each active source (all of them by default); `progress(result)` after each. Returns the results."""
    sources = Source.objects.filter(active=True).select_related("outlet") if sources is None else sources
    own = fetcher is None
    fetcher = fetcher or Fetcher(pace=PACE)
    results = []
    try:
        for source in sources:
            results.append(result := poll(source, fetcher, user))
            if progress:
                progress(result)
    finally:
        if own:
            fetcher.close()
    return results


def poll(source, fetcher, user=None):
    """Poll one source and record its counts on it."""
    result = PollResult(source)
    try:
        fetched = fetcher.fetch(source.url, etag=source.etag, last_modified=source.last_modified)
        if not fetched.not_modified:
            entries = _entries(source, fetched.content, fetcher)
            source.etag, source.last_modified = fetched.etag, fetched.last_modified
            _import(source, entries, fetcher, user, result)
    except Refused as error:
        result.error = error.why
    except BadInput as error:
        result.error = str(error)
    source.last_polled_at = timezone.now()
    source.last_new, source.last_unchanged, source.last_failed = result.new, result.unchanged, result.failed
    source.last_error = result.error or "\n".join(line for line in result.lines if ": failed: " in line)
    source.save(update_fields=["etag", "last_modified", "last_polled_at", "last_new", "last_unchanged",
                               "last_failed", "last_error"])
    return result


def _entries(source, content, fetcher):
    """(address, stated date) of every entry, a sitemap index's sitemaps followed one level."""
    if source.kind == Source.Kind.FEED:
        return feed_entries(content)
    entries, children = sitemap_entries(content)
    for child in children[:MAX_CHILD_SITEMAPS]:
        fetched = fetcher.fetch(child)
        more, _ = sitemap_entries(fetched.content)
        entries += more
    return entries


def _import(source, entries, fetcher, user, result):
    """Import the entries not seen, or seen with another date, up to DOSSIER_POLL_MAX_ENTRIES a poll."""
    entries = list(dict(entries).items())  # one per address, the last date stated
    seen = dict(SourceEntry.objects.filter(source=source, url__in=[url for url, _ in entries])
                .values_list("url", "updated"))
    metadata = Metadata.build(outlet=source.outlet.name)
    todo = [(url, updated) for url, updated in entries if url not in seen or (updated and seen[url] != updated)]
    result.unchanged += len(entries) - len(todo)
    for url, updated in todo[:settings.DOSSIER_POLL_MAX_ENTRIES]:
        imported = import_url(url, metadata, user, fetcher)
        result.lines.append(imported.summary())
        if imported.failed:
            result.failed += 1  # not recorded as seen: tried again next poll
            continue
        if imported.imported:
            result.new += 1
        else:
            result.unchanged += 1
        SourceEntry.objects.update_or_create(source=source, url=url[:2000], defaults={"updated": updated[:100]})
