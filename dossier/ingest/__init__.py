"""Getting text in: files and uploads become articles with passages.

The steps, in order, one module each; data flows down once, no module imports one above it:
  reading     find files, size limit, manifest -> Metadata, decode bytes to text
  parsing     one parser per suffix -> Draft; it calls
    cleaning    scraped plain text -> title, body, bylines, bios, outlet line
    names       one-line names and titles cleaned, lists split, names folded for matching
  saving      validate, then one transaction per file: duplicates skipped, outlets and
              authors found or made, passages via dossier.bulk.insert_rows; it calls
    segmenting  body -> paragraphs and sentences (code-point offsets)
drafts.py holds what passes between the steps (Draft, BadInput). The doors are
import_paths() (the command), import_uploads() (the admin page), import_file()
(one file's bytes) and import_urls() (pages fetched by address, through fetching.py,
kept as the article's archive); each file or address gets a FileResult in an ImportReport.
anchoring.py places annotations of an old version in a new one (annotations.revisions uses it).
"""
import logging
from dataclasses import dataclass, field

from django.conf import settings

from .drafts import BadInput
from .fetching import Fetcher, Refused
from .parsing import SUFFIXES, parse_html
from .reading import (
    Metadata,
    decode_page,
    find_files,
    load_manifest,
    read_drafts,
    read_path,
    readable_name,
    too_large,
)
from .saving import save_drafts

logger = logging.getLogger(__name__)

__all__ = [
    "SUFFIXES", "BadInput", "FileResult", "ImportReport", "Metadata",
    "import_file", "import_paths", "import_uploads", "import_url", "import_urls", "load_manifest", "read_uploads",
]


@dataclass
class FileResult:
    """What became of one file: the titles imported and skipped as duplicates, or why it failed."""

    name: str
    imported: list[str] = field(default_factory=list)  # titles
    duplicates: list[str] = field(default_factory=list)  # titles
    error: str = ""

    def __post_init__(self):
        self.name = readable_name(self.name)

    @property
    def failed(self):
        return bool(self.error)

    def as_line(self):
        """The result as a background job's line (JSON), from which from_line() makes it again."""
        return {"text": self.summary(), "name": self.name, "imported": self.imported,
                "duplicates": self.duplicates, "error": self.error}

    @classmethod
    def from_line(cls, line):
        return cls(line["name"], line["imported"], line["duplicates"], line["error"])

    def summary(self):
        if self.error:
            return f"{self.name}: failed: {self.error}"
        parts = [f"{len(self.imported)} imported"]
        if self.duplicates:
            parts.append(f"{len(self.duplicates)} duplicate{'s' if len(self.duplicates) > 1 else ''} skipped")
        return f"{self.name}: {', '.join(parts)}"


@dataclass
class ImportReport:
    """One FileResult per file, in the order the files were read."""

    files: list[FileResult] = field(default_factory=list)

    @property
    def imported(self):
        return sum(len(result.imported) for result in self.files)

    @property
    def duplicates(self):
        return sum(len(result.duplicates) for result in self.files)

    @property
    def failed(self):
        return sum(result.failed for result in self.files)

    def summary(self):
        return f"{self.imported} imported, {self.duplicates} duplicate, {self.failed} failed"


def import_paths(paths, metadata=Metadata(), manifest=None, user=None, progress=None):
    """Import every supported file under the given paths; `progress(result)` is called after each file."""
    report = ImportReport()
    manifest = manifest or {}
    for path, error in find_files(paths):
        if error:
            result = FileResult(str(path), error=error)
        else:
            result = _import_path(path, metadata.over(manifest.get(path.name, Metadata())), user)
        report.files.append(result)
        if progress:
            progress(result)
    return report


def _import_path(path, metadata, user):
    try:
        data = read_path(path)
    except BadInput as error:
        return FileResult(str(path), error=str(error))
    return import_file(path.name, data, metadata, user, label=str(path))


def import_uploads(uploads, metadata=Metadata(), user=None):
    """Import uploaded files (the admin page), each on its own; oversized ones are refused unread.

    Whatever one file does, it gets its result and the others still import.
    """
    report = ImportReport()
    for name, data, refused in read_uploads(uploads):
        # Files of more records than DOSSIER_MAX_WEB_IMPORT_RECORDS go to the command.
        report.files.append(refused or import_file(
            name, data, metadata, user, max_records=settings.DOSSIER_MAX_WEB_IMPORT_RECORDS))
    return report


def read_uploads(uploads):
    """(name, bytes, None) for each upload, or (name, None, FileResult) for one refused unread (too large)."""
    limit = settings.DOSSIER_MAX_IMPORT_BYTES
    for upload in uploads:
        if upload.size > limit:
            yield upload.name, None, FileResult(upload.name, error=too_large(upload.size, limit))
            continue
        try:
            yield upload.name, upload.read(), None
        except OSError as error:  # a spooled temporary file gone, say
            yield upload.name, None, FileResult(upload.name, error=f"cannot be read ({error.strerror or error})")


def import_urls(urls, metadata=Metadata(), user=None, progress=None, fetcher=None):
    """Fetch and import each address on its own; `progress(result)` after each. Metadata's url is not used."""
    report = ImportReport()
    own = fetcher is None
    fetcher = fetcher or Fetcher()
    try:
        for url in urls:
            report.files.append(result := import_url(url, metadata, user, fetcher))
            if progress:
                progress(result)
    finally:
        if own:
            fetcher.close()
    return report


def import_url(url, metadata=Metadata(), user=None, fetcher=None):
    """Fetch one page and import it (a new version if its address is an article's already); a failed
    fetch saves nothing. The result is named by the address, its error by the reason.
    """
    result = FileResult(url)
    try:
        with _own(fetcher) as using:
            fetched = using.fetch(url)
        if not fetched.is_html:
            raise Refused(url, "not_html", f"the content type is {fetched.content_type}")
        draft = parse_html(decode_page(fetched.content, fetched.charset))
        draft = metadata.apply(draft)
        # The address is the one fetched (after redirects), whatever the page or the metadata says.
        draft.url, draft.archive = fetched.url, fetched
        result.imported, result.duplicates = save_drafts([draft], url, user)
    except Refused as error:
        result.error = error.why
    except BadInput as error:
        result.error = str(error)
    except Exception as error:
        logger.exception("Import of %s failed unexpectedly", url)
        result.error = (
            f"could not be imported: an unexpected error ({type(error).__name__}), logged for the administrators"
        )
    return result


class _own:
    """The fetcher given, or one of its own closed after use."""

    def __init__(self, fetcher):
        self.fetcher, self.own = fetcher or Fetcher(), fetcher is None

    def __enter__(self):
        return self.fetcher

    def __exit__(self, *exc):
        if self.own:
            self.fetcher.close()


def import_file(name, data, metadata=Metadata(), user=None, label=None, max_records=None):
    """Import one file's bytes in one transaction: all its new articles, or nothing.

    `max_records`: refuse a file of more records, before anything of it is saved.
    """
    result = FileResult(label or name)
    name = readable_name(name)
    try:
        drafts = [metadata.apply(draft) for draft in read_drafts(name, data, max_records)]
        result.imported, result.duplicates = save_drafts(drafts, name, user)
    except BadInput as error:
        result.error = str(error)
    except Exception as error:
        # A bug in a step, not bad input. This file fails and says so, its transaction is
        # rolled back, the other files still import, and the traceback goes to the log.
        logger.exception("Import of %s failed unexpectedly", result.name)
        result.error = (
            f"could not be imported: an unexpected error ({type(error).__name__}), logged for the administrators"
        )
    return result
