"""The article domain: outlets, authors, articles and their passages."""
import hashlib
import zlib
from difflib import SequenceMatcher
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .folding import search_text
from .roles import Role, has_role
from .validators import web_url


def content_hash(body):
    """SHA-256 of a cleaned body: two imports with the same text are the same article."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


# Query parameters that only say where a reader came from; dropped when addresses are compared.
_TRACKING_PARAMETERS = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "ref_src")


def normalise_address(url):
    """An address as it identifies an article: scheme and host lower-cased, default port, fragment,
    tracking parameters and a trailing slash dropped, parameters sorted. "" for no address."""
    url = (url or "").strip()
    if not url:
        return ""
    parts = urlsplit(url)
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    netloc = host if ":" not in host else f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    if port and port != {"http": 80, "https": 443}.get(scheme):
        netloc += f":{port}"
    query = sorted((key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True)
                   if not key.lower().startswith(_TRACKING_PARAMETERS))
    return urlunsplit((scheme, netloc, parts.path.rstrip("/") or "/", urlencode(query), ""))


def address_hash(url):
    """SHA-256 of the normalised address, "" for none: the article an address names."""
    normal = normalise_address(url)
    return hashlib.sha256(normal.encode("utf-8")).hexdigest() if normal else ""


# Sent inside the transaction that gives an article a new version, after its new passages are saved and
# before the old ones are deleted, with article, version (the ArticleVersion just kept), old_passages and
# new_passages ([(id, start, end)] in reading order): what hangs on the old passages moves across here.
article_revised = Signal()
# Sent inside an import's transaction, once per file saved, with `articles`: the new Article rows (not new
# versions: those send article_revised). Receivers that reach outside the database wait for the commit.
articles_imported = Signal()


class OutletManager(models.Manager):
    def get_by_natural_key(self, name):
        return self.get(name=name)


class Outlet(models.Model):
    class Kind(models.TextChoices):
        NEWSPAPER = "newspaper", "Newspaper"
        MAGAZINE = "magazine", "Magazine"
        BROADCASTER = "broadcaster", "Broadcaster"
        NEWS_AGENCY = "news_agency", "News agency"
        THINK_TANK = "think_tank", "Think tank"
        BLOG = "blog", "Blog"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True, help_text="The outlet's name as it publishes.")
    website = models.URLField(max_length=500, blank=True, validators=[web_url],
                              help_text="Home page, e.g. https://www.example.com.")
    country = models.CharField(max_length=100, blank=True, help_text="Country the outlet is based in.")
    language = models.CharField(max_length=16, blank=True,
                                help_text="Main publishing language (ISO code, e.g. en, tr, fa).")
    kind = models.CharField(max_length=20, choices=Kind.choices, blank=True,
                            help_text="What kind of publisher this is.")
    notes = models.TextField(blank=True, help_text="Ownership, funding or anything an editor should know.")

    objects = OutletManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)


class Author(models.Model):
    name = models.CharField(max_length=200, db_index=True, help_text="Full name as bylined.")
    affiliation = models.CharField(max_length=200, blank=True, help_text="Employer or institution, if stated.")
    bio = models.TextField(blank=True, help_text="Biography, e.g. from an 'About the Author' box.")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="authorships",
        help_text="This author's own account, if they review here: campaigns never assign them their articles.",
    )
    not_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+",
        help_text="Accounts whose full name equals this byline but who are not this author: campaigns may "
        "assign them this author's articles.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ArticleQuerySet(models.QuerySet):
    def with_review_status(self, user):
        """Annotate `review_status`: the user's review status, None where not started (one LEFT JOIN)."""
        return self.annotate(
            own_review=models.FilteredRelation("reviews", condition=models.Q(reviews__reviewer=user)),
            review_status=models.F("own_review__status"),
        )

    def for_list(self):
        """Articles with what the list page shows: outlet joined, authors prefetched (2 queries a page)."""
        return (
            self.select_related("outlet")
            .prefetch_related("authors")
            .defer("body", "original")
        )


class Article(models.Model):
    title = models.CharField(max_length=500, help_text="Headline as published.")
    outlet = models.ForeignKey(
        Outlet, on_delete=models.PROTECT, null=True, blank=True, related_name="articles",
        help_text="Where the article was published; empty when the text does not say.",
    )
    authors = models.ManyToManyField(Author, blank=True, related_name="articles", help_text="Bylined authors.")
    url = models.URLField(max_length=2000, blank=True, validators=[web_url],
                          help_text="Address of the original, if known.")
    published = models.DateField(null=True, blank=True, help_text="Publication date, if known.")
    language = models.CharField(max_length=16, blank=True,
                                help_text="Language of the text (ISO code, e.g. en, tr, fa).")
    body = models.TextField(help_text="Cleaned, NFC-normalised text; passages are slices of it.")
    # Read and set through original_text. Empty where the text as imported is the body itself (most
    # structured records), else zlib-compressed: the second copy of every text was a third of the database.
    original = models.BinaryField(default=b"", blank=True,
                                  help_text="The text exactly as imported, zlib-compressed; empty if it is the body.")
    word_count = models.PositiveIntegerField(default=0, editable=False, help_text="Words in the body.")
    content_hash = models.CharField(max_length=64, editable=False, help_text="SHA-256 of the body; finds duplicates.")
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text="Who imported the article.",
    )
    imported_at = models.DateTimeField(default=timezone.now, help_text="When the article was imported.")
    source_name = models.CharField(max_length=255, blank=True, help_text="File the article was imported from.")
    address_hash = models.CharField(
        max_length=64, blank=True, editable=False,
        help_text="SHA-256 of the normalised address: importing the address again makes a new version.",
    )
    version = models.PositiveIntegerField(default=1, editable=False, help_text="Which version of the text this is.")
    # The title, outlet name and author names folded for search (dossier.folding), as dossier.search
    # indexes them: FTS5 on SQLite, a GIN index on PostgreSQL.
    search_title = models.TextField(blank=True, default="", editable=False, help_text="The title, folded for search.")
    search_outlet = models.TextField(blank=True, default="", editable=False,
                                     help_text="The outlet's name, folded for search.")
    search_authors = models.TextField(blank=True, default="", editable=False,
                                      help_text="The authors' names, folded for search.")

    objects = ArticleQuerySet.as_manager()
    # The text never changes once imported, so the audit trail keeps only the metadata; the search
    # columns only repeat it.
    history = HistoricalRecords(excluded_fields=["body", "original", "search_title", "search_outlet",
                                                 "search_authors"])

    class Meta:
        ordering = ["-imported_at", "-id"]
        permissions = [("import_article", "Can import articles")]
        constraints = [
            models.UniqueConstraint(fields=["content_hash"], name="article_unique_content_hash"),
            # Also serves "the article at this address" when an address is imported again.
            models.UniqueConstraint(fields=["address_hash"], condition=~models.Q(address_hash=""),
                                    name="article_unique_address"),
        ]
        indexes = [
            # The article list's default order.
            models.Index(fields=["-imported_at", "-id"], name="article_imported_idx"),
            # The queue and the articles table sorted by title, at any page (keyset: title and id after a cursor).
            models.Index(fields=["title", "id"], name="article_title_idx"),
            # An outlet's page lists its articles newest first: without it, its every article is sorted.
            models.Index(fields=["outlet", "-imported_at", "-id"], name="article_outlet_imported_idx"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.set_derived_fields()
        self.set_search_fields()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_title", "search_outlet"}
        if self.pk is not None and not self._state.adding:
            self._record_imported_version()
        super().save(*args, **kwargs)

    def _record_imported_version(self):
        """Imports write no history row (it would copy each new article's metadata); the first change
        records the article as imported, from its stored row, before simple_history records the change."""
        history = type(self).history
        if history.filter(id=self.pk).exists():
            return
        stored = type(self).objects.select_related("imported_by").filter(pk=self.pk).first()
        if stored is not None:
            history.bulk_history_create([stored], default_user=stored.imported_by, default_date=stored.imported_at)

    def get_absolute_url(self):
        return reverse("dossier:article-detail", args=[self.pk])

    @property
    def original_text(self):
        """The text exactly as imported, before cleaning."""
        return zlib.decompress(bytes(self.original)).decode("utf-8") if self.original else self.body

    @original_text.setter
    def original_text(self, text):
        # Set after the body (Article(body=..., original_text=...) sets properties last): the body
        # never changes once split into passages, so "same as the body" stays true.
        self.original = b"" if text == self.body else zlib.compress(text.encode("utf-8"), 6)

    def set_derived_fields(self):
        """Fill the fields computed from the body and address (bulk_create skips save(), so importing calls this)."""
        self.content_hash = content_hash(self.body)
        self.word_count = len(self.body.split())
        self.address_hash = address_hash(self.url)

    def set_search_fields(self, author_names=None):
        """Fold the title and outlet name (reads self.outlet), and the author names when given, into the
        search columns; the authors' column otherwise follows Article.authors (dossier.search)."""
        self.search_title = search_text(self.title)
        self.search_outlet = search_text(self.outlet.name) if self.outlet_id else ""
        if author_names is not None:
            self.search_authors = search_text(" ".join(author_names))

    def clean(self):
        if self.pk and self.passages.exists():
            stored = Article.objects.filter(pk=self.pk).values_list("body", flat=True).first()
            if stored is not None and stored != self.body:
                raise ValidationError({"body": "The text cannot change once it has been split into passages."})

    def paragraphs(self):
        """The passages grouped by paragraph, each with its text: one query."""
        grouped = []
        for passage in self.passages.all():
            passage.article = self  # the slice needs the body; don't fetch it again
            if not grouped or grouped[-1][0].paragraph != passage.paragraph:
                grouped.append([])
            grouped[-1].append(passage)
        return grouped


class Passage(models.Model):
    # No index of its own: passage_unique_position's index starts with the article.
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="passages", db_index=False)
    paragraph = models.PositiveIntegerField(help_text="0-based paragraph index in the body.")
    sentence = models.PositiveIntegerField(help_text="0-based sentence index within the paragraph.")
    start = models.PositiveIntegerField(help_text="Offset of the first character in the body (code points).")
    end = models.PositiveIntegerField(help_text="Offset just past the last character (code points).")

    class Meta:
        ordering = ["article_id", "paragraph", "sentence"]
        constraints = [
            # Also serves "an article's passages in reading order".
            models.UniqueConstraint(fields=["article", "paragraph", "sentence"], name="passage_unique_position"),
            models.CheckConstraint(
                condition=models.Q(start__gte=0) & models.Q(end__gt=models.F("start")),
                name="passage_start_before_end",
            ),
        ]

    def __str__(self):
        return f"¶{self.paragraph + 1}.{self.sentence + 1} of article {self.article_id}"

    def contains(self, start, end):
        """Whether body[start:end] is a non-empty stretch inside this passage."""
        return self.start <= start < end <= self.end

    @property
    def text(self):
        """The sentence itself; reads article.body, so fetch passages through their article."""
        return self.article.body[self.start : self.end]


class ArticleVersion(models.Model):
    """A text an article had before a newer one replaced it: its body, passages and scores as they were.

    The article itself always holds the current version, so every list, queue and score reads it alone.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(help_text="1 for the text first imported, then 2, 3…")
    title = models.CharField(max_length=500, help_text="Headline of this version.")
    body = models.TextField(help_text="The cleaned text of this version.")
    passages = models.JSONField(
        default=list, help_text="[paragraph, sentence, start, end] of each passage, slices of this body."
    )
    summary = models.JSONField(null=True, blank=True, help_text="The stored scores when it was replaced.")
    content_hash = models.CharField(max_length=64, help_text="SHA-256 of this body.")
    imported_at = models.DateTimeField(help_text="When this version was imported.")
    replaced_at = models.DateTimeField(default=timezone.now, help_text="When a newer version replaced it.")

    class Meta:
        ordering = ["article_id", "number"]
        constraints = [
            # Also serves "an article's versions in order".
            models.UniqueConstraint(fields=["article", "number"], name="articleversion_unique_number"),
        ]

    def __str__(self):
        return f"{self.article_id} v{self.number}"

    def get_absolute_url(self):
        return reverse("dossier:article-version", args=[self.article_id, self.number])

    def sentences(self):
        return [self.body[start:end] for _, _, start, end in self.passages]

    def changes(self):
        """What the next version changed, sentence by sentence: ("same" | "removed" | "added", text) rows.

        Reads the next version, or the article's current passages (one query each).
        """
        following = ArticleVersion.objects.filter(article_id=self.article_id, number=self.number + 1).first()
        if following is not None:
            new = following.sentences()
        else:
            body = Article.objects.filter(pk=self.article_id).values_list("body", flat=True).get()
            new = [body[start:end] for start, end in
                   Passage.objects.filter(article_id=self.article_id).values_list("start", "end")]
        old = self.sentences()
        rows = []
        for op, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
            if op == "equal":
                rows += [("same", text) for text in old[i1:i2]]
            else:
                rows += [("removed", text) for text in old[i1:i2]] + [("added", text) for text in new[j1:j2]]
        return rows

    def paragraphs(self):
        """The stored passages as lists of sentence texts, by paragraph."""
        grouped = []
        for paragraph, _sentence, start, end in self.passages:
            if not grouped or grouped[-1][0] != paragraph:
                grouped.append((paragraph, []))
            grouped[-1][1].append(self.body[start:end])
        return [sentences for _, sentences in grouped]


class Archive(models.Model):
    """The page an article version was read from, exactly as fetched (compressed)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="archives")
    version = models.PositiveIntegerField(help_text="The article version read from this page.")
    url = models.URLField(max_length=2000, help_text="The final address, after redirects.")
    status = models.PositiveSmallIntegerField(help_text="The HTTP status of the response.")
    content_type = models.CharField(max_length=100, help_text="The media type the server stated.")
    http_date = models.DateTimeField(null=True, blank=True, help_text="The response's Date header.")
    fetched_at = models.DateTimeField(help_text="When Dossier fetched the page.")
    size = models.PositiveIntegerField(help_text="Bytes as fetched, before compression.")
    data = models.BinaryField(help_text="The bytes as fetched, zlib-compressed.")

    class Meta:
        ordering = ["article_id", "-version"]
        constraints = [
            # Also serves "an article's archived pages", newest first.
            models.UniqueConstraint(fields=["article", "version"], name="archive_unique_version"),
        ]

    def __str__(self):
        return f"{self.url} fetched {self.fetched_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("dossier:archive", args=[self.pk])

    @staticmethod
    def compress(content):
        return zlib.compress(content, 6)

    def content(self):
        """The bytes as fetched."""
        return zlib.decompress(bytes(self.data))


class Source(models.Model):
    """A feed or sitemap an outlet publishes; polling imports its new entries."""

    class Kind(models.TextChoices):
        FEED = "feed", "RSS or Atom feed"
        SITEMAP = "sitemap", "Sitemap"

    kind = models.CharField(max_length=10, choices=Kind.choices, help_text="What the address serves.")
    url = models.URLField(max_length=2000, unique=True, validators=[web_url],
                          help_text="The feed's or sitemap's address.")
    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, related_name="sources",
                               help_text="The outlet every article from here is filed under.")
    active = models.BooleanField(default=True, help_text="Polled by manage.py poll_sources.")
    etag = models.CharField(max_length=200, blank=True, editable=False, help_text="ETag of the last answer.")
    last_modified = models.CharField(max_length=100, blank=True, editable=False,
                                     help_text="Last-Modified of the last answer.")
    last_polled_at = models.DateTimeField(null=True, blank=True, editable=False, help_text="When it was last polled.")
    last_new = models.PositiveIntegerField(default=0, editable=False,
                                           help_text="Articles or versions the last poll added.")
    last_unchanged = models.PositiveIntegerField(default=0, editable=False,
                                                 help_text="Entries the last poll left as they were.")
    last_failed = models.PositiveIntegerField(default=0, editable=False,
                                              help_text="Entries the last poll could not import.")
    last_error = models.TextField(blank=True, editable=False,
                                  help_text="Why the last poll failed, or its failed entries.")

    class Meta:
        ordering = ["outlet__name", "url"]

    def __str__(self):
        return self.url


class SourceEntry(models.Model):
    """An entry a source listed, with what it said of the entry's date: a changed date means fetch again."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="entries")
    url = models.URLField(max_length=2000, help_text="The entry's address.")
    updated = models.CharField(max_length=100, blank=True, help_text="The entry's date as the source stated it.")

    class Meta:
        constraints = [
            # Also serves "which of these entries were seen" on every poll.
            models.UniqueConstraint(fields=["source", "url"], name="sourceentry_unique_url"),
        ]


class Job(models.Model):
    """Work a page started that runs on the task worker: its progress, and a line per file, address or entry."""

    class Kind(models.TextChoices):
        IMPORT = "import", "Import"
        POLL = "poll", "Poll sources"
        EXPORT = "export", "Export"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for the worker"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0, help_text="Items to do, when known.")
    done = models.PositiveIntegerField(default=0, help_text="Items done so far.")
    lines = models.JSONField(default=list, help_text='One per item done: {"text": what became of it, and details}.')
    summary = models.TextField(blank=True, help_text="The outcome, once finished.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    def get_absolute_url(self):
        return reverse("dossier:job", args=[self.pk])

    @property
    def finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)

    def may_be_followed_by(self, user):
        """Who started the job, or an admin: the job page's rule and the API's task resource's."""
        return self.created_by_id == user.pk or has_role(user, Role.ADMIN)

    def advance(self, line):
        """One item done ({"text": …, …}): saved at once, so that the page that started the job shows it."""
        self.done += 1
        self.lines.append(line)
        self.status = self.Status.RUNNING
        self.save(update_fields=["done", "lines", "status"])

    def progress(self, done):
        """So many items done (rows of an export, say), with no line for each."""
        self.done, self.status = done, self.Status.RUNNING
        self.save(update_fields=["done", "status"])

    def finish(self, summary, failed=False):
        self.status = self.Status.FAILED if failed else self.Status.DONE
        self.summary = summary
        self.finished_at = timezone.now()
        self.save(update_fields=["status", "summary", "finished_at"])


class JobFile(models.Model):
    """An uploaded file a background import has still to read (deleted once read), or the file an export
    job wrote, kept for whoever started it to download."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=255)
    data = models.BinaryField()
