"""The campaign pages' forms: planning a campaign, adding to it, ruling on a passage."""
from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict

from annotations.filters import filtered_articles
from annotations.models import Flag, Ruling

from .models import Campaign


def usernames(text):
    """ "u1, u2 u3" -> ["u1", "u2", "u3"]."""
    return [name for name in text.replace(",", " ").split() if name]


def article_ids(text):
    """ "12, 13 14" -> [12, 13, 14]; ValidationError naming what is not a number."""
    ids = []
    for word in text.replace(",", " ").split():
        if not word.isascii() or not word.isdigit() or len(word) > 18:
            raise ValidationError(f"“{word}” is not an article id.")
        ids.append(int(word))
    return ids


def articles_from(article_filter, ids_text):
    """Article ids from the articles table's filter (a query string) and/or typed ids."""
    ids = article_ids(ids_text or "")
    if article_filter:
        ids += list(filtered_articles(QueryDict(article_filter)).order_by("pk").values_list("pk", flat=True))
    return list(dict.fromkeys(ids))


class CampaignForm(forms.ModelForm):
    """A new campaign: its articles chosen by the articles table's filter or by id, its pool by username."""

    article_filter = forms.CharField(
        required=False, max_length=2000, label="Articles (table filter)",
        help_text="The articles table's filter as a query string, e.g. outlet=Dawn&language=en; empty for none.",
    )
    article_ids = forms.CharField(required=False, max_length=20000, label="Articles (ids)",
                                  help_text="Article ids, separated by commas or spaces.")
    reviewer_names = forms.CharField(max_length=5000, label="Reviewers",
                                     help_text="Usernames of the pool, separated by commas.")

    class Meta:
        model = Campaign
        fields = ["name", "brief", "per_article", "reliability_share", "reliability_reviewers", "due", "seed",
                  "allow_unassigned"]
        widgets = {"due": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seed"].required = False
        self.fields["reliability_reviewers"].initial = 3

    def clean(self):
        data = super().clean()
        try:
            data["articles"] = articles_from(data.get("article_filter"), data.get("article_ids"))
        except ValidationError as error:
            self.add_error("article_ids" if "id" in str(error) else "article_filter", error)
        data["reviewers"] = usernames(data.get("reviewer_names") or "")
        return data

    def _post_clean(self):
        # The model's own checks run in Campaign.objects.plan(), which reports them all at once.
        pass

    def plan_kwargs(self):
        data = self.cleaned_data
        return {
            "name": data["name"], "articles": data["articles"], "reviewers": data["reviewers"],
            "per_article": data["per_article"], "reliability_share": data.get("reliability_share") or 0.0,
            "reliability_reviewers": data.get("reliability_reviewers") or 3, "due": data.get("due"),
            "seed": data.get("seed"), "brief": data.get("brief") or "",
            "allow_unassigned": data.get("allow_unassigned", False),
        }


class AddArticlesForm(forms.Form):
    article_filter = CampaignForm.base_fields["article_filter"]
    article_ids = CampaignForm.base_fields["article_ids"]

    def clean(self):
        data = super().clean()
        try:
            data["articles"] = articles_from(data.get("article_filter"), data.get("article_ids"))
        except ValidationError as error:
            raise ValidationError(error.messages) from None
        if not data["articles"]:
            raise ValidationError("No articles given: type ids or a filter that matches some.")
        return data


class TableSelectionForm(forms.Form):
    """Rows picked in the articles table (scope "selected": their ids) or every row its filter keeps
    (scope "all"), and, once chosen, the draft or open campaign they go to."""

    SCOPES = {"selected": "the selected rows", "all": "every row matching the filters"}

    scope = forms.ChoiceField(choices=list(SCOPES.items()), widget=forms.HiddenInput)
    filter = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)
    campaign = forms.ModelChoiceField(
        queryset=Campaign.objects.filter(state__in=[Campaign.State.DRAFT, Campaign.State.OPEN]).order_by("name"),
        required=False, label="Campaign", empty_label=None,
        help_text="Draft and open campaigns; an open one assigns the new articles at once.",
    )

    def __init__(self, data, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.picked = data.getlist("article") if data is not None else []
        self.fields["campaign"].label_from_instance = lambda campaign: (
            f"{campaign.name} ({campaign.get_state_display().lower()})"
        )

    def clean(self):
        data = super().clean()
        if data.get("scope") == "all":
            try:
                data["articles"] = list(filtered_articles(QueryDict(data.get("filter") or ""))
                                        .order_by("pk").values_list("pk", flat=True))
            except ValidationError as error:
                raise ValidationError(["Fix the articles table's filter first:", *error.messages]) from None
        elif data.get("scope") == "selected":
            data["articles"] = article_ids(" ".join(self.picked))
        else:
            return data
        if not data["articles"]:
            raise ValidationError("No articles: select some rows in the articles table, or choose all rows "
                                  "matching its filters." if data["scope"] == "selected"
                                  else "No article matches the articles table's filters.")
        return data


class ReviewerForm(forms.Form):
    reviewer_names = forms.CharField(max_length=5000, label="Reviewers",
                                     help_text="Usernames, separated by commas.")

    def clean_reviewer_names(self):
        return usernames(self.cleaned_data["reviewer_names"])


class RulingForm(forms.ModelForm):
    """A category for a disputed passage, with the rationale a ruling must have."""

    class Meta:
        model = Ruling
        fields = ["category", "rationale"]
        widgets = {"rationale": forms.Textarea(attrs={"rows": 4, "dir": "auto"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = Flag.Category.choices
        self.fields["rationale"].strip = True

    def _post_clean(self):
        # Saved through Ruling.objects.rule(), which knows the passage and the editor.
        pass
