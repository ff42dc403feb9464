"""Campaigns, their articles and reviewers, the assignments that share the work out, and conflicts."""
import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models.functions import Coalesce
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from dossier.bulk import batches
from dossier.ingest.names import name_key
from dossier.models import Article, Author, Outlet, Passage
from dossier.roles import Role, has_role

from annotations.models import CodebookVersion, Review

from . import assigning

# Sent inside the closing transaction (campaign=); webhooks turns it into `campaign.closed` after the commit.
campaign_closed = Signal()
# Sent inside the transaction that plans, opens or closes a campaign or adds articles (campaign_id=): what
# its stored figures count changed (signals.py queues their refresh).
campaign_changed = Signal()


@dataclass(frozen=True)
class Added:
    """What Campaign.add_articles() did: articles added, those skipped as already in the campaign, and the
    assignments an open campaign made for the new ones."""

    added: int
    skipped: int = 0
    assignments: int = 0

    def message(self, campaign):
        """The editor's message, in words."""
        text = f"Added {_count(self.added, 'article')} to “{campaign.name}”"
        if self.added and campaign.state == Campaign.State.OPEN:
            text += f", assigned by the campaign's rules ({_count(self.assignments, 'new assignment')})"
        elif self.added:
            text += " (assigned when the campaign opens)"
        if self.skipped:
            text += f"; skipped {_count(self.skipped, 'article')} already in it"
        return text + "."


def _count(n, noun):
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


class CampaignError(ValueError):
    """A campaign cannot be created or changed as asked: the message says why; nothing was saved."""


class CampaignQuerySet(models.QuerySet):
    def with_counts(self):
        """Campaigns with `articles`, `assignments` and `submitted` counted: one query (subqueries)."""
        def counted(model, **condition):
            rows = model.objects.filter(campaign=models.OuterRef("pk"), **condition).order_by()
            return models.Subquery(rows.values("campaign").annotate(n=models.Count("pk")).values("n"))

        return self.annotate(
            article_count=Coalesce(counted(CampaignArticle), 0),
            assignment_count=Coalesce(counted(Assignment), 0),
            submitted_count=Coalesce(counted(Assignment, state=Assignment.State.SUBMITTED), 0),
        )

    def with_codebooks(self):
        """Campaigns with their pinned codebook version and `live_codebook` (the newest version's number),
        in the one query that reads the campaign."""
        newest = CodebookVersion.objects.order_by("-number").values("number")[:1]
        return self.select_related("codebook_version", "figures").annotate(live_codebook=models.Subquery(newest))

    def locked(self, pk):
        """The campaign, its row locked until the transaction ends (PostgreSQL; SQLite's IMMEDIATE
        transactions already serialise writers): two editors opening it at once assign once.
        """
        return self.select_for_update().get(pk=pk)

    @transaction.atomic
    def plan(self, name, articles, reviewers, per_article=2, reliability_share=0.0, reliability_reviewers=3,
             due=None, seed=None, brief="", allow_unassigned=False, created_by=None):
        """A draft campaign over `articles` (ids or a queryset) and `reviewers` (users or usernames).

        Raises CampaignError with every reason at once, saving nothing: a taken name, N or M larger than
        the pool, M below 3, a due date in the past, an unknown reviewer, an empty article set.
        """
        pool, problems = _reviewers(reviewers)
        article_ids = list(dict.fromkeys(
            articles.values_list("pk", flat=True) if hasattr(articles, "values_list") else articles
        ))
        if not name.strip():
            problems.append("The campaign needs a name.")
        elif self.filter(name=name).exists():
            problems.append(f"A campaign named “{name}” already exists.")
        if not article_ids:
            problems.append("The campaign has no articles: the article filter matched none.")
        elif sum(Article.objects.filter(pk__in=batch).count() for batch in batches(article_ids)) < len(article_ids):
            problems.append("Some of the articles given do not exist.")
        if per_article < 1:
            problems.append("Reviewers per article must be at least 1.")
        if not 0 <= reliability_share <= 1:
            problems.append("The reliability share must be between 0 and 1 (e.g. 0.2 for 20%).")
        if reliability_share and reliability_reviewers < 3:
            problems.append("The reliability sample needs at least 3 reviewers per article.")
        if not problems:
            if per_article > len(pool):
                problems.append(
                    f"Reviewers per article ({per_article}) is more than the pool of reviewers ({len(pool)})."
                )
            if reliability_share and reliability_reviewers > len(pool):
                problems.append(
                    f"The reliability sample's reviewers per article ({reliability_reviewers}) is more than "
                    f"the pool of reviewers ({len(pool)})."
                )
        if due is not None and due < timezone.localdate():
            problems.append(f"The due date {due.isoformat()} is in the past.")
        if problems:
            raise CampaignError(" ".join(problems))
        campaign = self.create(
            name=name, brief=brief, per_article=per_article, reliability_share=reliability_share,
            reliability_reviewers=reliability_reviewers if reliability_share else None, due=due,
            seed=seed if seed is not None else random.SystemRandom().randrange(2**31),
            codebook_version=CodebookVersion.objects.current(), allow_unassigned=allow_unassigned,
            created_by=created_by,
        )
        CampaignFigures.objects.create(campaign=campaign)
        sample = assigning.reliability_sample(article_ids, reliability_share, campaign.seed)
        CampaignArticle.objects.bulk_create(
            [CampaignArticle(campaign=campaign, article_id=pk, in_sample=pk in sample) for pk in article_ids],
            batch_size=2000,
        )
        CampaignReviewer.objects.bulk_create([CampaignReviewer(campaign=campaign, reviewer=user) for user in pool])
        campaign_changed.send(sender=Campaign, campaign_id=campaign.pk)
        return campaign


def _reviewers(reviewers):
    """(users, problems) from users or usernames: every one must exist, be active and hold the reviewer role."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    names = [r if isinstance(r, str) else r.get_username() for r in reviewers]
    found = {user.get_username(): user for user in User.objects.filter(username__in=names)}
    problems = []
    for username in names:
        user = found.get(username)
        if user is None:
            problems.append(f"No user named “{username}”.")
        elif not user.is_active:
            problems.append(f"{username} is deactivated.")
        elif not has_role(user, Role.REVIEWER):
            problems.append(f"{username} is not a reviewer.")
    return [found[name] for name in dict.fromkeys(names) if name in found], problems


class Campaign(models.Model):
    """A planned piece of review work: which articles, which reviewers, how many per article, by when."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    name = models.CharField(max_length=200, unique=True, help_text="What the editors and reviewers call it.")
    brief = models.TextField(blank=True, help_text="Instructions for reviewers, in Markdown.")
    state = models.CharField(max_length=8, choices=State.choices, default=State.DRAFT,
                             help_text="Draft, then open (assigned), then closed.")
    per_article = models.PositiveSmallIntegerField(default=2, help_text="Reviewers per article (N).")
    reliability_share = models.FloatField(
        default=0, help_text="The share of the articles that get more reviewers to measure agreement (0.2 = 20%)."
    )
    reliability_reviewers = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Reviewers per article in the reliability sample (M, at least 3)."
    )
    seed = models.BigIntegerField(help_text="Draws the reliability sample and breaks ties in assignment.")
    due = models.DateField(null=True, blank=True, help_text="When the work is due.")
    codebook_version = models.ForeignKey(
        CodebookVersion, on_delete=models.PROTECT, related_name="campaigns",
        help_text="The codebook version the campaign pins (method version 2).",
    )
    allow_unassigned = models.BooleanField(
        default=False, help_text="Whether its reviewers may also review articles not assigned to them."
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", help_text="Who planned it.")
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    articles = models.ManyToManyField(Article, through="CampaignArticle", related_name="campaigns")
    reviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, through="CampaignReviewer",
                                       related_name="campaigns")

    objects = CampaignQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(per_article__gte=1), name="campaign_per_article_positive"),
            models.CheckConstraint(
                condition=models.Q(reliability_share__gte=0, reliability_share__lte=1),
                name="campaign_reliability_share_fraction",
            ),
            models.CheckConstraint(
                condition=models.Q(reliability_share=0) | models.Q(reliability_reviewers__gte=3),
                name="campaign_reliability_reviewers_at_least_3",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("campaigns:detail", args=[self.pk])

    @property
    def live_codebook_number(self):
        """The newest codebook version's number (annotated by with_codebooks(), else one query)."""
        live = getattr(self, "live_codebook", None)
        return live if live is not None else CodebookVersion.objects.current().number

    @property
    def codebook_moved_on(self):
        """True when the flag set changed after the campaign pinned its codebook version."""
        return self.live_codebook_number != self.codebook_version.number

    def sample_article_ids(self):
        """A subquery of the articles agreement is measured on: the reliability sample, or all if it has none."""
        links = self.article_links.all()
        if self.reliability_share:
            links = links.filter(in_sample=True)
        return links.values("article_id")

    def open(self):
        """Assign every article and open the campaign; False if it was not a draft (someone else opened it)."""
        with transaction.atomic():
            campaign = Campaign.objects.locked(self.pk)
            if campaign.state != self.State.DRAFT:
                self.state = campaign.state
                return False
            campaign.assign()
            campaign.state, campaign.opened_at = self.State.OPEN, timezone.now()
            campaign.save(update_fields=["state", "opened_at"])
            campaign_changed.send(sender=Campaign, campaign_id=self.pk)
        self.state, self.opened_at = campaign.state, campaign.opened_at
        return True

    def close(self):
        """Close the campaign: its assignments stay, as a record. False if it was not open."""
        with transaction.atomic():
            campaign = Campaign.objects.locked(self.pk)
            if campaign.state != self.State.OPEN:
                return False
            campaign.state, campaign.closed_at = self.State.CLOSED, timezone.now()
            campaign.save(update_fields=["state", "closed_at"])
            campaign_closed.send(sender=Campaign, campaign=campaign)
            campaign_changed.send(sender=Campaign, campaign_id=self.pk)
        self.state, self.closed_at = campaign.state, campaign.closed_at
        return True

    def assign(self):
        """Give every article of the campaign the reviewers it still lacks; returns the new assignments.

        Raises CampaignError (and the caller's transaction saves nothing) when an article has too few
        eligible reviewers. A fixed number of queries, a batch of inserts per thousand assignments.
        """
        pool = list(
            self.memberships.filter(active=True, reviewer__is_active=True).values_list("reviewer_id", flat=True)
        )
        members = list(self.article_links.values_list("article_id", "in_sample"))
        existing = list(self.assignments.values_list("article_id", "reviewer_id"))
        assigned = defaultdict(set)
        loads = dict.fromkeys(pool, 0)
        for article_id, reviewer_id in existing:
            assigned[article_id].add(reviewer_id)
            if reviewer_id in loads:
                loads[reviewer_id] += 1
        needs = {}
        for article_id, in_sample in members:
            target = self.reliability_reviewers if in_sample else self.per_article
            # Work a removed reviewer already started stays theirs and still counts.
            if target > len(assigned[article_id]):
                needs[article_id] = target - len(assigned[article_id])
        if not needs:
            return []
        excluded = self.conflicts(needs, pool)
        for article_id in needs:
            excluded[article_id] |= assigned[article_id]
        try:
            pairs = assigning.assign(needs, pool, excluded, loads, self.seed)
        except assigning.Unassignable as error:
            raise CampaignError(str(error)) from None
        started = self._review_states(pool)
        rows = [
            Assignment(campaign_id=self.pk, article_id=article_id, reviewer_id=reviewer_id, due=self.due,
                       state=started.get((article_id, reviewer_id), Assignment.State.ASSIGNED))
            for article_id, reviewer_id in pairs
        ]
        Assignment.objects.bulk_create(rows, batch_size=1000)
        return rows

    def conflicts(self, article_ids, pool):
        """{article id: {reviewer ids never to assign it}}: its bylined authors (by account, or by full
        name unless an admin cleared the namesake) and reviewers in conflict with its outlet.
        """
        from django.contrib.auth import get_user_model

        excluded = defaultdict(set)
        if not pool:
            return excluded
        in_campaign = models.Q(article__campaign_links__campaign=self)
        names = defaultdict(set)
        for user_id, first, last in get_user_model().objects.filter(pk__in=pool).values_list(
            "pk", "first_name", "last_name"
        ):
            full = f"{first} {last}".strip()
            if full:
                names[name_key(full)].add(user_id)
        cleared = set(
            Author.not_users.through.objects.filter(user_id__in=pool).values_list("author_id", "user_id")
        )
        for article_id, author_id, author_name, author_user in Article.authors.through.objects.filter(
            in_campaign
        ).values_list("article_id", "author_id", "author__name", "author__user_id"):
            if author_user is not None:
                excluded[article_id].add(author_user)
            excluded[article_id] |= {user for user in names.get(name_key(author_name), ())
                                     if (author_id, user) not in cleared}
        outlets = defaultdict(set)
        for reviewer_id, outlet_id in Conflict.objects.filter(reviewer_id__in=pool).values_list(
            "reviewer_id", "outlet_id"
        ):
            outlets[outlet_id].add(reviewer_id)
        if outlets:
            for article_id, outlet_id in self.article_links.filter(article__outlet_id__in=outlets).values_list(
                "article_id", "article__outlet_id"
            ):
                excluded[article_id] |= outlets[outlet_id]
        return excluded

    def _review_states(self, pool):
        """{(article, reviewer): assignment state} for reviews the pool already started on its articles."""
        states = {}
        for article_id, reviewer_id, status in Review.objects.filter(
            reviewer_id__in=pool, article__campaign_links__campaign=self
        ).values_list("article_id", "reviewer_id", "status"):
            states[article_id, reviewer_id] = Assignment.State.for_review(status)
        return states

    @transaction.atomic
    def add_articles(self, article_ids):
        """Add articles (ids) to a draft or open campaign; in an open one they are assigned at once, by the
        same rules as opening. Returns an Added (how many were new, already in it, new assignments).
        Raises CampaignError, saving nothing, for a closed campaign, an unknown id or work nobody can take.
        """
        campaign = Campaign.objects.locked(self.pk)
        if campaign.state == self.State.CLOSED:
            raise CampaignError(f"The campaign “{self.name}” is closed: no articles can be added.")
        known = set(self.article_links.values_list("article_id", flat=True))
        given = list(dict.fromkeys(article_ids))
        new = [pk for pk in given if pk not in known]
        if sum(Article.objects.filter(pk__in=batch).count() for batch in batches(new)) != len(new):
            raise CampaignError("Some of the articles given do not exist.")
        sample = assigning.reliability_sample(new, self.reliability_share, self.seed + len(known))
        CampaignArticle.objects.bulk_create(
            [CampaignArticle(campaign=self, article_id=pk, in_sample=pk in sample) for pk in new], batch_size=2000
        )
        assigned = self.assign() if campaign.state == self.State.OPEN else []
        if new:
            campaign_changed.send(sender=Campaign, campaign_id=self.pk)
        return Added(len(new), len(given) - len(new), len(assigned))

    @transaction.atomic
    def add_reviewers(self, reviewers):
        """Add reviewers (users or usernames) to the pool; in an open campaign nothing moves to them until
        new articles arrive or someone leaves (assigned work stays with who has it). Returns how many were new.
        """
        Campaign.objects.locked(self.pk)
        users, problems = _reviewers(reviewers)
        if problems:
            raise CampaignError(" ".join(problems))
        added = 0
        for user in users:
            membership, created = CampaignReviewer.objects.get_or_create(campaign=self, reviewer=user)
            if not created and not membership.active:
                membership.active = True
                membership.save(update_fields=["active"])
                created = True
            added += created
        if self.state == self.State.OPEN:
            self.assign()
        return added

    @transaction.atomic
    def remove_reviewer(self, reviewer):
        """Take a reviewer out of the pool and hand their unstarted assignments to others: returns how many
        moved. Started or submitted work stays theirs. Raises CampaignError if nobody eligible can take one.
        """
        Campaign.objects.locked(self.pk)
        self.memberships.filter(reviewer=reviewer).update(active=False)
        unstarted = self.assignments.filter(reviewer=reviewer, state=Assignment.State.ASSIGNED)
        moved = unstarted.count()
        unstarted.delete()
        if self.state == self.State.OPEN:
            self.assign()
        return moved


class CampaignArticle(models.Model):
    """An article in a campaign, and whether it is in the reliability sample."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="article_links")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="campaign_links")
    in_sample = models.BooleanField(default=False, help_text="In the reliability sample (M reviewers).")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "article"], name="campaign_article_unique"),
        ]

    def __str__(self):
        return f"{self.article_id} in {self.campaign_id}"


class CampaignReviewer(models.Model):
    """A reviewer in a campaign's pool; inactive once removed (their started work stays theirs)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="memberships")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    active = models.BooleanField(default=True, help_text="Still in the pool; new work goes only to active ones.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "reviewer"], name="campaign_reviewer_unique"),
        ]

    def __str__(self):
        return f"{self.reviewer_id} in {self.campaign_id}"


class AssignmentQuerySet(models.QuerySet):
    def for_reviewer(self, reviewer):
        """The reviewer's assignments in open campaigns, oldest due first: the queue's top and Next article."""
        return (
            self.filter(reviewer=reviewer, campaign__state=Campaign.State.OPEN)
            .select_related("campaign", "article")
            .defer("article__body", "article__original")
            .order_by(models.F("due").asc(nulls_last=True), "campaign_id", "article_id")
        )

    def unfinished(self):
        return self.exclude(state=Assignment.State.SUBMITTED)

    def per_reviewer(self):
        """Rows of reviewer username, `total`, `started`, `submitted`, `overdue`: one query."""
        return self._progress("reviewer_id", "reviewer__username").order_by("reviewer__username")

    def per_article(self, limit):
        """The first `limit` rows of article id and title with the same counts, least complete first: two
        queries, the counts grouped by article id alone (a join to every article's title cost twice as much)."""
        rows = list(self._progress("article_id").order_by("submitted", "article_id")[:limit])
        titles = dict(Article.objects.filter(pk__in=[row["article_id"] for row in rows]).values_list("pk", "title"))
        for row in rows:
            row["article__title"] = titles.get(row["article_id"], "")
        return rows

    def _progress(self, *keys):
        State = Assignment.State
        return self.values(*keys).annotate(
            total=models.Count("pk"),
            started=models.Count("pk", filter=models.Q(state=State.IN_PROGRESS)),
            submitted=models.Count("pk", filter=models.Q(state=State.SUBMITTED)),
            overdue=models.Count("pk", filter=~models.Q(state=State.SUBMITTED)
                                 & models.Q(due__lt=timezone.localdate())),
        )

    def overdue(self, today=None):
        return self.unfinished().filter(due__lt=today or timezone.localdate())

    def due_within(self, days, today=None):
        """Unfinished work in open campaigns due from today to `days` days ahead (the digest's)."""
        today = today or timezone.localdate()
        return self.unfinished().filter(
            campaign__state=Campaign.State.OPEN, due__gte=today, due__lte=today + timedelta(days=days)
        )


class Assignment(models.Model):
    """One reviewer's share of a campaign: one article to review by the due date."""

    class State(models.TextChoices):
        ASSIGNED = "assigned", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Submitted"

        @classmethod
        def for_review(cls, status):
            return cls.SUBMITTED if status == Review.Status.SUBMITTED else cls.IN_PROGRESS

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="assignments")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments")
    state = models.CharField(max_length=12, choices=State.choices, default=State.ASSIGNED,
                             help_text="Follows the reviewer's review of the article.")
    due = models.DateField(null=True, blank=True, help_text="When this review is due.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "article", "reviewer"], name="assignment_unique"),
        ]
        indexes = [
            # The reviewer's queue and Next article: their assignments, oldest due first.
            models.Index(fields=["reviewer", "due"], name="assignment_rev_due_idx"),
            # A review's change finds its assignments (signals.py).
            models.Index(fields=["article", "reviewer"], name="assignment_article_rev_idx"),
        ]

    def __str__(self):
        return f"{self.article_id} to {self.reviewer_id} ({self.get_state_display()})"

    @property
    def overdue(self):
        return self.due is not None and self.state != self.State.SUBMITTED and self.due < timezone.localdate()


class Conflict(models.Model):
    """A reviewer who must never be assigned an outlet's articles (admins keep these)."""

    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflicts")
    outlet = models.ForeignKey(Outlet, on_delete=models.CASCADE, related_name="conflicts")
    reason = models.CharField(max_length=200, blank=True, help_text="Why, e.g. “worked there until 2024”.")

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["reviewer", "outlet"], name="conflict_unique_reviewer_outlet"),
        ]

    def __str__(self):
        return f"{self.reviewer} × {self.outlet}"


class CampaignFigures(models.Model):
    """The campaign's agreement and dispute counts as the task last computed them (figures.py), and a
    counter of the changes to its judgements, bumped in the transaction of each change: the figures are
    current when they were computed from the latest count, pending otherwise.
    """

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, primary_key=True, related_name="figures")
    changes = models.PositiveBigIntegerField(default=0, help_text="Changes to the judgements so far.")
    computed_from = models.PositiveBigIntegerField(null=True, blank=True,
                                                   help_text="The count of changes the figures include.")
    computed_at = models.DateTimeField(null=True, blank=True)
    alpha = models.FloatField(null=True, blank=True)
    alpha_missing = models.CharField(max_length=40, blank=True, help_text="Why there is no alpha.")
    alpha_low = models.FloatField(null=True, blank=True)
    alpha_high = models.FloatField(null=True, blank=True)
    articles = models.PositiveIntegerField(default=0, help_text="Reviewed articles the alpha counts.")
    # [[username, alpha or null, why none or null, passages compared]], by username.
    by_reviewer = models.JSONField(default=list, blank=True)
    disputed = models.PositiveIntegerField(default=0)
    ruled = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"Figures of {self.campaign_id}"

    @property
    def pending(self):
        """True when a change is not yet in the figures (the task has yet to run)."""
        return self.computed_from != self.changes


class CampaignDispute(models.Model):
    """A passage of the campaign its reviewers dispute, and the editor's ruling on it if any."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="disputes")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    passage = models.ForeignKey(Passage, on_delete=models.CASCADE, related_name="campaign_disputes")
    position = models.PositiveIntegerField(help_text="The passage's place in its article's reading order.")
    ruled = models.CharField(max_length=12, blank=True, help_text="The ruling's category, blank if none.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "passage"], name="campaign_dispute_unique"),
        ]
        indexes = [
            # The adjudication queue: the campaign's disputes in article, then reading order.
            models.Index(fields=["campaign", "article", "position"], name="campaign_dispute_order_idx"),
        ]

    def __str__(self):
        return f"{self.passage_id} disputed in {self.campaign_id}"
