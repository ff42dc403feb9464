"""The article domain: outlets, authors, articles and their passages."""
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .validators import web_url


def content_hash(body):
    """SHA-256 of a cleaned body: two imports with the same text are the same article."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


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
            .defer("body", "original_text")
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
    original_text = models.TextField(help_text="The text exactly as imported, before cleaning.")
    word_count = models.PositiveIntegerField(default=0, editable=False, help_text="Words in the body.")
    content_hash = models.CharField(max_length=64, editable=False, help_text="SHA-256 of the body; finds duplicates.")
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text="Who imported the article.",
    )
    imported_at = models.DateTimeField(default=timezone.now, help_text="When the article was imported.")
    source_name = models.CharField(max_length=255, blank=True, help_text="File the article was imported from.")

    objects = ArticleQuerySet.as_manager()
    # The text never changes once imported, so the audit trail keeps only the metadata.
    history = HistoricalRecords(excluded_fields=["body", "original_text"])

    class Meta:
        ordering = ["-imported_at", "-id"]
        permissions = [("import_article", "Can import articles")]
        constraints = [
            models.UniqueConstraint(fields=["content_hash"], name="article_unique_content_hash"),
        ]
        indexes = [
            # The article list's default order.
            models.Index(fields=["-imported_at", "-id"], name="article_imported_idx"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.set_derived_fields()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("dossier:article-detail", args=[self.pk])

    def set_derived_fields(self):
        """Fill the fields computed from the body (bulk_create skips save(), so importing calls this)."""
        self.content_hash = content_hash(self.body)
        self.word_count = len(self.body.split())

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
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="passages")
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
