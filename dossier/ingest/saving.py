"""The last step: validate drafts, then save one file's new articles in one transaction.

Duplicates (same content hash, in the database or earlier in the file) are reported
and skipped; outlets and authors are found or created; passages come from segmenting
and go in through dossier.bulk.insert_rows.
"""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from ..bulk import BATCH, batches, insert_rows
from ..models import Article, Author, Outlet, Passage
from .drafts import BadInput
from .names import name_key
from .segmenting import segment

_validate_url = URLValidator(schemes=["http", "https"])


def save_drafts(drafts, source_name, user=None):
    """Validate, then save the new drafts in one transaction; returns (imported titles, duplicate titles).

    BadInput says why nothing was saved.
    """
    for draft in drafts:
        validate(draft)
    try:
        try:
            with transaction.atomic():
                return _save(drafts, source_name, user)
        except IntegrityError:
            # Another import saved the same article, outlet or author meanwhile: once more
            # sees them as duplicates or existing rows.
            with transaction.atomic():
                return _save(drafts, source_name, user)
    except DatabaseError as error:
        raise BadInput(f"could not be saved ({error})") from None


def validate(draft):
    """Required fields, lengths the columns take, characters no database stores, a real http(s) URL."""
    prefix = draft.prefix
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


def _segments(draft):
    """The draft's passages, refused over DOSSIER_MAX_PASSAGES."""
    segments, limit = segment(draft.body), settings.DOSSIER_MAX_PASSAGES
    if len(segments) > limit:
        raise BadInput(
            f"{draft.prefix}{len(segments)} passages, over the limit of {limit} for one article (DOSSIER_MAX_PASSAGES)"
        )
    return segments


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
    # Segmented before the first write (duplicates never are): an article over the passage
    # limit leaves nothing behind, not even its outlet.
    articles = [
        (article, draft, _segments(draft)) for article, draft in articles if article.content_hash not in existing
    ]
    if not articles:
        return [], duplicates

    outlets = _outlets({draft.outlet for _, draft, _ in articles if draft.outlet})
    authors = _authors([draft for _, draft, _ in articles])
    for article, draft, _ in articles:
        article.outlet = outlets.get(draft.outlet)
    bulk_create_with_history([article for article, _, _ in articles], Article, batch_size=500, default_user=user)

    insert_rows(
        Passage,
        ["article_id", "paragraph", "sentence", "start", "end"],
        ((article.pk, s.paragraph, s.sentence, s.start, s.end) for article, _, segments in articles for s in segments),
    )
    insert_rows(
        Article.authors.through,
        ["article_id", "author_id"],
        ((article.pk, authors[name].pk) for article, draft, _ in articles for name in dict.fromkeys(draft.authors)),
    )
    return [article.title for article, _, _ in articles], duplicates


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


def _authors(drafts):
    """Find or create every named author; fill an empty bio from the text's author box."""
    # Keyed by folded name: a manifest may spell "BAŞARAN" as "Başaran".
    bios = {}
    for draft in drafts:
        bios.update((name_key(name), bio) for name, bio in draft.author_bios.items())
    names = {name for draft in drafts for name in draft.authors}
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
