"""Import articles from files: one code path for the command line and the admin.

Steps: read the bytes (size checked), parse them into drafts (formats.py),
apply the metadata the importer states (options, manifest), validate, then save
each file in its own transaction with its passages (segmenting.py). A bad file
leaves nothing behind; duplicates (same content hash) are reported and skipped.
"""
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import DatabaseError, IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from .bulk import BATCH, batches, insert_rows
from .cleaning import name_key
from .formats import SUFFIXES, BadInput, clean_name, parse_date, read_drafts, split_names, suffix_of
from .models import Article, Author, Outlet, Passage
from .segmenting import segment

_validate_url = URLValidator(schemes=["http", "https"])
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Metadata:
    """What the person importing states about the files; overrides what the files say."""

    outlet: str = ""
    authors: tuple[str, ...] = ()
    url: str = ""
    language: str = ""
    published: str = ""

    @classmethod
    def build(cls, outlet="", authors=(), url="", language="", published=""):
        """Normalised like text from files: NFC, trimmed; authors a list or a ";"-separated string."""
        names = split_names(authors) if isinstance(authors, str) else map(clean_name, authors)
        return cls(
            outlet=clean_name(outlet),
            authors=tuple(dict.fromkeys(name for name in names if name)),
            url=url.strip(),
            language=language.strip().lower(),
            published=published.strip(),
        )

    @classmethod
    def from_manifest_entry(cls, name, entry):
        if not isinstance(entry, dict):
            raise BadInput(f"manifest entry {name!r}: expected an object with outlet, authors, url, language")
        fields = {key: entry.get(key) or ("" if key != "authors" else []) for key in
                  ("outlet", "authors", "url", "language", "published")}
        for key, value in fields.items():
            if not isinstance(value, str) and not (key == "authors" and isinstance(value, list)
                                                   and all(isinstance(item, str) for item in value)):
                raise BadInput(f"manifest entry {name!r}: {key}: expected text")
        return cls.build(**fields)

    def over(self, other):
        """These values where set, the other's elsewhere."""
        return Metadata(
            outlet=self.outlet or other.outlet,
            authors=self.authors or other.authors,
            url=self.url or other.url,
            language=self.language or other.language,
            published=self.published or other.published,
        )


@dataclass
class FileResult:
    name: str
    imported: list[str] = field(default_factory=list)  # titles
    duplicates: list[str] = field(default_factory=list)  # titles
    error: str = ""

    def __post_init__(self):
        self.name = readable_name(self.name)

    @property
    def failed(self):
        return bool(self.error)

    def summary(self):
        if self.error:
            return f"{self.name}: failed: {self.error}"
        parts = [f"{len(self.imported)} imported"]
        if self.duplicates:
            parts.append(f"{len(self.duplicates)} duplicate{'s' if len(self.duplicates) > 1 else ''} skipped")
        return f"{self.name}: {', '.join(parts)}"


@dataclass
class ImportReport:
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


def load_manifest(path):
    """A manifest maps file names to what is known of each: {"files": {"name.txt": {...}}}."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        entries = data["files"]
        if not isinstance(entries, dict):
            raise TypeError
    except (OSError, UnicodeDecodeError) as error:
        raise BadInput(f"manifest {path}: cannot be read ({error})") from None
    except json.JSONDecodeError as error:
        raise BadInput(f"manifest {path}: malformed JSON at line {error.lineno}: {error.msg}") from None
    except (KeyError, TypeError):
        raise BadInput(f'manifest {path}: expected {{"files": {{"file name": {{...}}}}}}') from None
    return {name: Metadata.from_manifest_entry(name, entry) for name, entry in entries.items()}


def find_files(paths):
    """Expand files and folders (recursively) into (path, error) pairs; unsupported or missing paths carry an error."""
    for path in map(Path, paths):
        try:
            is_dir, is_file = path.is_dir(), path.is_file()
        except OSError as error:  # a name too long for the file system, say
            yield path, f"cannot be read ({error.strerror})"
            continue
        if is_dir:
            for child in sorted(path.rglob("*")):
                if child.is_file() and suffix_of(child.name):
                    yield child, ""
        elif is_file:
            yield path, "" if suffix_of(path.name) else f"unsupported file type; expected one of {', '.join(SUFFIXES)}"
        else:
            yield path, "no such file or folder"


def import_paths(paths, metadata=Metadata(), manifest=None, user=None, progress=None):
    """Import every supported file under the given paths; `progress(result)` is called after each file."""
    report = ImportReport()
    manifest = manifest or {}
    for path, error in find_files(paths):
        if error:
            result = FileResult(str(path), error=error)
        else:
            file_metadata = metadata.over(manifest.get(path.name, Metadata()))
            result = _import_path(path, file_metadata, user)
        report.files.append(result)
        if progress:
            progress(result)
    return report


def _import_path(path, metadata, user):
    limit = settings.DOSSIER_MAX_IMPORT_BYTES
    try:
        size = path.stat().st_size
        if size > limit:
            return FileResult(str(path), error=too_large(size, limit))
        data = path.read_bytes()
    except OSError as error:
        return FileResult(str(path), error=f"cannot be read ({error.strerror})")
    return import_file(path.name, data, metadata, user, label=str(path))


def readable_name(name):
    """A file name as text that can be saved and printed.

    On Linux a name may hold bytes that are not UTF-8; Python carries them as lone
    surrogates, which no database or terminal accepts. Each becomes U+FFFD.
    """
    return _SURROGATE.sub("\ufffd", name)


def too_large(size, limit):
    return f"the file is {filesizeformat(size)}, over the {filesizeformat(limit)} limit for one file"


def import_file(name, data, metadata=Metadata(), user=None, label=None):
    """Import one file's bytes in one transaction: all its new articles, or nothing."""
    result = FileResult(label or name)
    name = readable_name(name)
    try:
        drafts = [_apply(draft, metadata) for draft in read_drafts(name, data)]
        for draft in drafts:
            _validate(draft)
        try:
            with transaction.atomic():
                result.imported, result.duplicates = _save(drafts, name, user)
        except IntegrityError:
            # Another import saved the same article, outlet or author meanwhile: once more
            # sees them as duplicates or existing rows.
            with transaction.atomic():
                result.imported, result.duplicates = _save(drafts, name, user)
    except BadInput as error:
        result.error = str(error)
    except DatabaseError as error:
        result.error = f"could not be saved ({error})"
    return result


def _apply(draft, metadata):
    if metadata.outlet:
        draft.outlet = metadata.outlet
    if metadata.authors:
        draft.authors = list(metadata.authors)
    if metadata.url:
        draft.url = metadata.url
    if metadata.language:
        draft.language = metadata.language
    if metadata.published:
        draft.published = parse_date(metadata.published, "published")
    return draft


def _validate(draft):
    prefix = f"{draft.where}: " if draft.where else ""
    if not draft.title:
        raise BadInput(f"{prefix}missing title")
    if not draft.body:
        raise BadInput(f"{prefix}no article text left after cleaning")
    author_length = Author._meta.get_field("name").max_length
    fields = [
        ("title", draft.title, Article._meta.get_field("title").max_length),
        ("outlet", draft.outlet, Outlet._meta.get_field("name").max_length),
        ("url", draft.url, Article._meta.get_field("url").max_length),
        ("language", draft.language, Article._meta.get_field("language").max_length),
        *[("author", name, author_length) for name in draft.authors],
        ("body", draft.body, None),
    ]
    for label, value, max_length in fields:
        if max_length and len(value) > max_length:
            raise BadInput(f"{prefix}{label}: longer than {max_length} characters")
        # JSON escapes can carry what no text file can: NUL, and lone UTF-16 surrogates.
        if "\x00" in value:
            raise BadInput(f"{prefix}{label}: contains a NUL character")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise BadInput(f"{prefix}{label}: contains an unpaired surrogate (a \\ud800-\\udfff escape)") from None
    if draft.url:
        try:
            _validate_url(draft.url)
        except ValidationError:
            raise BadInput(f"{prefix}url: {draft.url!r} is not a valid http(s) address") from None


def _save(drafts, source_name, user):
    """Save new drafts with their passages; returns (imported titles, duplicate titles)."""
    articles, duplicates, seen = [], [], set()
    now = timezone.now()
    for draft in drafts:
        article = Article(
            title=draft.title,
            body=draft.body,
            original_text=draft.original_text,
            url=draft.url,
            published=draft.published,
            language=draft.language,
            imported_by=user,
            imported_at=now,
            source_name=source_name[:255],
        )
        article.set_derived_fields()
        if article.content_hash in seen:
            duplicates.append(draft.title)
            continue
        seen.add(article.content_hash)
        articles.append((article, draft))

    existing = _existing_hashes([article.content_hash for article, _ in articles])
    duplicates += [draft.title for article, draft in articles if article.content_hash in existing]
    articles = [(article, draft) for article, draft in articles if article.content_hash not in existing]
    if not articles:
        return [], duplicates

    outlets = _outlets({draft.outlet for _, draft in articles if draft.outlet})
    authors = _authors(articles)
    for article, draft in articles:
        article.outlet = outlets.get(draft.outlet)
    bulk_create_with_history([article for article, _ in articles], Article, batch_size=500, default_user=user)

    insert_rows(
        Passage,
        ["article_id", "paragraph", "sentence", "start", "end"],
        ((article.pk, s.paragraph, s.sentence, s.start, s.end) for article, _ in articles for s in segment(article.body)),
    )
    insert_rows(
        Article.authors.through,
        ["article_id", "author_id"],
        ((article.pk, authors[name].pk) for article, draft in articles for name in dict.fromkeys(draft.authors)),
    )
    return [article.title for article, _ in articles], duplicates


def _existing_hashes(hashes):
    found = set()
    for batch in batches(hashes, BATCH):
        found.update(Article.objects.filter(content_hash__in=batch).values_list("content_hash", flat=True))
    return found


def _outlets(names):
    outlets = {outlet.name: outlet for outlet in Outlet.objects.filter(name__in=names)}
    for name in names - outlets.keys():
        outlets[name] = Outlet.objects.create(name=name, website=_website(name))
    return outlets


def _website(name):
    """An outlet named by its address ("www.tehrantimes.com") gets that address as its website."""
    if " " in name or "." not in name:
        return ""
    url = name if name.startswith(("http://", "https://")) else f"https://{name}"
    try:
        _validate_url(url)
    except ValidationError:
        return ""
    return url


def _authors(articles):
    """Find or create every named author; fill an empty bio from the text's author box."""
    # Keyed by folded name: a manifest may spell "BAŞARAN" as "Başaran".
    bios = {}
    for _, draft in articles:
        bios.update((name_key(name), bio) for name, bio in draft.author_bios.items())
    names = {name for _, draft in articles for name in draft.authors}
    authors = {}
    for author in Author.objects.filter(name__in=names).order_by("id"):
        authors.setdefault(author.name, author)
    for name in names - authors.keys():
        authors[name] = Author.objects.create(name=name, bio=bios.get(name_key(name), ""))
    for name, author in authors.items():
        if not author.bio and (bio := bios.get(name_key(name))):
            author.bio = bio
            author.save(update_fields=["bio"])
    return authors
