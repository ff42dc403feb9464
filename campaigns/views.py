"""The editors' campaign pages: planning, progress, adding work, and adjudicating disputed passages.

Editors and admins only (annotations.access.score_readers_only): the pages show every reviewer's flags
and agreement. Reviewers meet campaigns in their queue (signals.py).
"""
from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dossier.models import Passage

from annotations import scoring
from annotations.access import score_readers_only
from annotations.models import Annotation, Ruling

from . import figures, judgements
from .forms import AddArticlesForm, CampaignForm, ReviewerForm, RulingForm, TableSelectionForm
from .models import Assignment, Campaign, CampaignError


@require_GET
@score_readers_only
def campaign_list(request):
    return render(request, "campaigns/list.html", {"campaigns": Campaign.objects.with_counts()})


@require_http_methods(["GET", "POST"])
@score_readers_only
def create(request):
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = Campaign.objects.plan(**form.plan_kwargs(), created_by=request.user)
        except CampaignError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Campaign “{campaign.name}” planned: open it to assign the work.")
            return redirect(campaign)
    return render(request, "campaigns/create.html", {"form": form})


@require_GET
@score_readers_only
def detail(request, pk):
    """Progress: a fixed number of queries whatever the campaign's size (tests pin it)."""
    campaign = get_object_or_404(Campaign.objects.with_codebooks(), pk=pk)
    assignments = Assignment.objects.filter(campaign=campaign)
    return render(request, "campaigns/detail.html", {
        "campaign": campaign,
        "per_reviewer": assignments.per_reviewer(),
        "per_article": assignments.per_article(200),
        "overdue": assignments.overdue().select_related("article", "reviewer").only(
            "due", "state", "article__title", "reviewer__username")[:100],
        "figures": campaign.figures, "reliability": figures.reliability(campaign.figures),
        "articles_form": AddArticlesForm(), "reviewer_form": ReviewerForm(),
    })


def _changed(request, campaign, change, done):
    """Run a change to the campaign; its CampaignError becomes a message and nothing is saved."""
    try:
        with transaction.atomic():
            result = change()
    except CampaignError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done(result))
    return redirect(campaign)


@require_POST
@score_readers_only
def open_campaign(request, pk):
    campaign = get_object_or_404(Campaign, pk=pk)
    return _changed(request, campaign, campaign.open,
                    lambda opened: "Campaign opened: every article is assigned." if opened
                    else "The campaign was already open or closed: nothing changed.")


@require_POST
@score_readers_only
def close_campaign(request, pk):
    campaign = get_object_or_404(Campaign, pk=pk)
    return _changed(request, campaign, campaign.close,
                    lambda closed: "Campaign closed." if closed else "Only an open campaign can be closed.")


@require_POST
@score_readers_only
def add_articles(request, pk):
    campaign = get_object_or_404(Campaign, pk=pk)
    form = AddArticlesForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.non_field_errors()) or "Give article ids or a filter.")
        return redirect(campaign)
    return _changed(request, campaign, lambda: campaign.add_articles(form.cleaned_data["articles"]),
                    lambda added: added.message(campaign))


@require_http_methods(["GET", "POST"])
@score_readers_only
def add_from_table(request):
    """Rows picked in the articles table (or all its filter keeps): GET asks which campaign, POST adds them.

    The articles page offers this through annotations' table_selection extension point (signals.py).
    """
    form = TableSelectionForm(request.POST if request.method == "POST" else request.GET)
    valid = form.is_valid()
    if valid and request.method == "POST":
        campaign = form.cleaned_data["campaign"]
        if campaign is None:
            form.add_error("campaign", "Choose a campaign.")
        else:
            try:
                added = campaign.add_articles(form.cleaned_data["articles"])
            except CampaignError as error:
                form.add_error(None, f"Nothing was added: {error}")
            else:
                messages.success(request, added.message(campaign))
                return redirect(campaign)
    articles = form.cleaned_data.get("articles", []) if valid else []
    return render(request, "campaigns/add_from_table.html", {
        "form": form, "articles": articles, "picked": form.picked,
        "scope": TableSelectionForm.SCOPES.get(form.cleaned_data.get("scope") if valid else None),
        "has_campaigns": form.fields["campaign"].queryset.exists(),
    }, status=400 if request.method == "POST" and form.errors else 200)


@require_POST
@score_readers_only
def add_reviewers(request, pk):
    campaign = get_object_or_404(Campaign, pk=pk)
    form = ReviewerForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the usernames of the reviewers to add.")
        return redirect(campaign)
    return _changed(request, campaign, lambda: campaign.add_reviewers(form.cleaned_data["reviewer_names"]),
                    lambda added: f"{added} reviewers added to the pool.")


@require_POST
@score_readers_only
def remove_reviewer(request, pk, reviewer_pk):
    campaign = get_object_or_404(Campaign, pk=pk)
    membership = get_object_or_404(campaign.memberships.select_related("reviewer"), reviewer_id=reviewer_pk)
    return _changed(request, campaign, lambda: campaign.remove_reviewer(membership.reviewer),
                    lambda moved: f"{membership.reviewer.get_username()} left the pool; "
                    f"{moved} unstarted assignments were handed to others.")


SHOWN_DISPUTES = 200  # the adjudication page's rows; its counts are of them all


@require_GET
@score_readers_only
def adjudication(request, pk):
    """The campaign's disputed passages, ruled or not, as the task stored them (figures.py): the first
    SHOWN_DISPUTES and the stored counts, a fixed number of queries whatever its size."""
    campaign = get_object_or_404(Campaign.objects.with_codebooks(), pk=pk)
    shown = (campaign.disputes.select_related("passage__article").order_by("article_id", "position")
             .only("campaign_id", "ruled", "passage__paragraph", "passage__sentence", "passage__start", "passage__end",
                   "passage__article__title", "passage__article__body")[:SHOWN_DISPUTES])
    return render(request, "campaigns/adjudication.html", {
        "campaign": campaign, "figures": campaign.figures, "rows": [(row.passage, row.ruled) for row in shown],
        "total": campaign.figures.disputed, "ruled": campaign.figures.ruled,
    })


@require_http_methods(["GET", "POST"])
@score_readers_only
def adjudicate(request, pk, passage_pk):
    """One disputed passage: each reviewer's flags and notes beside the text, and the editor's ruling."""
    campaign = get_object_or_404(Campaign.objects.with_codebooks(), pk=pk)
    passage = get_object_or_404(
        Passage.objects.select_related("article"), pk=passage_pk, article__campaign_links__campaign=campaign
    )
    found = judgements.of_campaign(campaign, [passage.article_id])
    score = found.scores().get(passage.article_id)
    still_disputed = score is not None and score.consensus[passage.pk] == scoring.DISPUTED
    ruling = Ruling.objects.filter(passage=passage).select_related("editor").first()
    form = RulingForm(request.POST or None, instance=ruling)
    if request.method == "POST":
        if not still_disputed:
            messages.error(request, "This passage is no longer disputed: the reviewers now agree, so there is "
                           "nothing to rule. Nothing was saved.")
            return redirect("campaigns:adjudication", campaign.pk)
        if form.is_valid():
            Ruling.objects.rule(passage, form.cleaned_data["category"], form.cleaned_data["rationale"], request.user)
            messages.success(request, f"Ruled {scoring.LABELS[form.cleaned_data['category']].lower()}.")
            return redirect("campaigns:adjudication", campaign.pk)
    marks = (Annotation.objects.submitted().filter(passage=passage)
             .select_related("flag", "review__reviewer").order_by("review__reviewer__username", "flag__order"))
    columns = {}
    for review_id, (_, username) in sorted(found.reviewer_of.items(), key=lambda item: item[1][1]):
        columns[review_id] = {"username": username, "category": score.by_review[review_id][passage.pk]
                              if score else None, "marks": []}
    for mark in marks:
        if mark.review_id in columns:
            columns[mark.review_id]["marks"].append(mark)
    return render(request, "campaigns/adjudicate.html", {
        "campaign": campaign, "passage": passage, "columns": list(columns.values()), "form": form,
        "ruling": ruling, "still_disputed": still_disputed,
        "history": ruling.history.select_related("editor").order_by("-history_date")[:20] if ruling else [],
    }, status=200)
