"""The last step: validate drafts, then save one file's new articles in one transaction.

Duplicates (same content hash, in the database or earlier in the file) are reported
and skipped; outlets and authors are found or created; passages come from segmenting
and go in through dossier.bulk.insert_rows. A draft whose address is an article's already
gives that article a new version when its text differs (revise()).
"""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import DatabaseError, IntegrityError, models, transaction
from django.utils import timezone

from ..bulk import BATCH, batches, create_instances, insert_rows
from ..models import Archive, Article, ArticleVersion, Author, Outlet, Passage, article_revised, articles_imported
from .drafts import BadInput
from .languages import detect_language
from .names import name_key
from .segmenting import segment

_validate_url = URLValidator(schemes=["http", "https"])


def save_drafts(drafts, source_name, user=None):
    """Validate, then save the new drafts in one transaction; returns (imported titles, duplicate titles).

    A new version of an article counts as imported; its title says which version it is.

    BadInput says why nothing was saved.
    """
    for draft in drafts:
        validate(draft)
    imported, duplicates, _ = _saved(drafts, [source_name] * len(drafts), user)
    return imported, duplicates


def save_each(drafts, source_names, user=None):
    """Save drafts from several sources (one address each) in one transaction, each as save_drafts() would
    on its own; returns one (imported titles, duplicate titles) per draft. The drafts must be validated and
    share no text or address (the one transaction would see the second as a duplicate, not a version).

    BadInput, and nothing saved, if any cannot be saved: the caller then saves them one at a time.
    """
    return _saved(drafts, source_names, user)[2]


def _saved(drafts, source_names, user):
    try:
        try:
            with transaction.atomic():
                return _save(drafts, source_names, user)
        except IntegrityError:
            # Another import saved the same article, outlet or author meanwhile: once more
            # sees them as duplicates or existing rows.
            with transaction.atomic():
                return _save(drafts, source_names, user)
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


def _save(drafts, source_names, user):
    """Save new drafts with their passages, and new versions; returns (imported titles, duplicate titles,
    and the same for each draft)."""
    articles, duplicates, seen = [], [], set()
    outcomes = [([], []) for _ in drafts]
    now = timezone.now()
    for position, (draft, source_name) in enumerate(zip(drafts, source_names)):
        article = Article(
            title=draft.title,
            body=draft.body,
            original_text=draft.original_text,
            url=draft.url,
            published=draft.published,
            language=draft.language,  # or the text's own, detected below if this is a new article
            imported_by_id=user.pk if user else None,  # the id, not the user: no descriptor per article
            imported_at=now,
            source_name=source_name[:255],
        )
        article.set_derived_fields()
        keys = {article.content_hash, article.address_hash} - {""}
        if keys & seen:
            duplicates.append(draft.title)
            outcomes[position][1].append(draft.title)
            continue
        seen |= keys
        articles.append((article, draft, position))

    existing = _existing_hashes([article.content_hash for article, _, _ in articles])
    by_address = _by_address([article.address_hash for article, _, _ in articles if article.address_hash])
    revisions, fresh, positions = [], [], {}
    for article, draft, position in articles:
        current = by_address.get(article.address_hash)
        if article.content_hash in existing:
            duplicates.append(draft.title)  # this text is an article already: this one, or another
            outcomes[position][1].append(draft.title)
            continue
        positions[id(draft)] = position
        if current:
            revisions.append((current, draft, _segments(draft)))
        else:
            fresh.append((article, draft, _segments(draft)))
    # Segmented before the first write (duplicates never are): an article over the passage
    # limit leaves nothing behind, not even its outlet.
    if not fresh and not revisions:
        return [], duplicates, outcomes

    drafts = [draft for _, draft, _ in fresh + revisions]
    outlets = _outlets({draft.outlet for draft in drafts if draft.outlet})
    authors = _authors(drafts)
    for article, draft, _ in fresh:
        # The object, not only its id: the search columns read its name (a query per article otherwise).
        article.outlet = outlets.get(draft.outlet)
        # What the input or the person importing states wins; else the text's own language, if clear.
        # Detected only now: a duplicate never needs it, and revise() detects a new version's own.
        article.language = draft.language or detect_language(draft.body)
        article.set_search_fields(dict.fromkeys(draft.authors))  # the search index follows the columns
    # Multi-row INSERTs, as the passages: bulk_create_with_history prepared each value of each article
    # and of its history row one by one, three quarters of a 20,000-record file's import. No history
    # row: the article as imported is its first version, recorded on its first change (Article.save()).
    create_instances([article for article, _, _ in fresh])

    insert_rows(
        Passage,
        ["article_id", "paragraph", "sentence", "start", "end"],
        ((article.pk, s.paragraph, s.sentence, s.start, s.end) for article, _, segments in fresh for s in segments),
    )
    insert_rows(
        Article.authors.through,
        ["article_id", "author_id"],
        ((article.pk, authors[name].pk) for article, draft, _ in fresh for name in dict.fromkeys(draft.authors)),
    )
    _archive((article, draft) for article, draft, _ in fresh)
    if fresh:
        articles_imported.send(sender=Article, articles=[article for article, _, _ in fresh])
    imported = []
    for article, draft, _ in fresh:
        imported.append(article.title)
        outcomes[positions[id(draft)]][0].append(article.title)
    for article, draft, segments in revisions:
        revise(article, draft, segments, outlets, authors, user, now, source_names[positions[id(draft)]])
        imported.append(title := f"{article.title} (version {article.version})")
        outcomes[positions[id(draft)]][0].append(title)
    return imported, duplicates, outcomes


def revise(article, draft, segments, outlets, authors, user, now, source_name):
    """Make the draft the article's current version; the text it replaces is kept as an ArticleVersion.

    Receivers of article_revised move what hangs on the old passages (annotations) onto the new ones.
    """
    old = list(article.passages.order_by("paragraph", "sentence").values_list("id", "paragraph", "start", "end"))
    version = ArticleVersion.objects.create(
        article=article, number=article.version, title=article.title, body=article.body,
        passages=list(article.passages.values_list("paragraph", "sentence", "start", "end")),
        content_hash=article.content_hash, imported_at=article.imported_at, replaced_at=now,
    )
    # The new passages go in above the old ones' paragraph numbers (unique per article), and come
    # down once the old ones are gone: by at least their own count, so that no row moving down meets
    # one not yet moved (PostgreSQL checks uniqueness row by row).
    shift = max((old[-1][1] + 1) if old else 0, (segments[-1].paragraph + 1) if segments else 0)
    insert_rows(
        Passage,
        ["article_id", "paragraph", "sentence", "start", "end"],
        ((article.pk, s.paragraph + shift, s.sentence, s.start, s.end) for s in segments),
    )
    article.title, article.body, article.original_text = draft.title, draft.body, draft.original_text
    article.published = draft.published or article.published
    article.language = draft.language or detect_language(draft.body) or article.language
    article.outlet = outlets.get(draft.outlet, article.outlet)
    article.version += 1
    article.imported_by, article.imported_at, article.source_name = user, now, source_name[:255]
    article._history_user = user
    article.save()
    if draft.authors:
        article.authors.set([authors[name] for name in dict.fromkeys(draft.authors)])
    new = list(article.passages.filter(paragraph__gte=shift).order_by("paragraph", "sentence")
               .values_list("id", "start", "end"))
    article_revised.send(sender=Article, article=article, version=version,
                         old_passages=[(pk, start, end) for pk, _, start, end in old], new_passages=new)
    # Whatever hung on the old passages has moved; a plain DELETE, as no per-row signal is wanted.
    old_ids = Passage.objects.filter(pk__in=[pk for pk, *_ in old])
    old_ids._raw_delete(old_ids.db)
    if shift:
        Passage.objects.filter(article=article).update(paragraph=models.F("paragraph") - shift)
    _archive([(article, draft)])


def _archive(pairs):
    """The fetched page each draft was read from, compressed, as its article's archive."""
    Archive.objects.bulk_create([
        Archive(
            article=article, version=article.version, url=fetched.url[:2000], status=fetched.status,
            content_type=fetched.content_type[:100], http_date=fetched.http_date, fetched_at=fetched.fetched_at,
            size=len(fetched.content), data=Archive.compress(fetched.content),
        )
        for article, draft in pairs if (fetched := draft.archive) is not None
    ])


def _by_address(hashes):
    """{address hash: the article at that address, row locked until the transaction ends}."""
    found = {}
    for batch in batches(hashes, BATCH):
        # The exclude() repeats the unique index's condition: without it SQLite does not use that
        # partial index and reads the whole table, bodies and all, for each import.
        found.update((article.address_hash, article) for article in
                     Article.objects.select_for_update().filter(address_hash__in=batch).exclude(address_hash=""))
    return found


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
