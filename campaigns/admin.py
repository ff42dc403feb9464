from django.contrib import admin

from dossier.admin import AuditedAdmin, ReadOnly

from .models import Campaign, Conflict


@admin.register(Conflict)
class ConflictAdmin(AuditedAdmin):
    """Reviewer x outlet conflicts: campaigns never assign the reviewer that outlet's articles."""

    list_display = ["reviewer", "outlet", "reason"]
    list_select_related = ["reviewer", "outlet"]
    autocomplete_fields = ["reviewer", "outlet"]
    search_fields = ["reviewer__username", "outlet__name", "reason"]


@admin.register(Campaign)
class CampaignAdmin(ReadOnly, AuditedAdmin):
    """Campaigns, read only: editors plan and run them on the campaign pages, where their rules apply."""

    list_display = ["name", "state", "per_article", "reliability_share", "due", "created_at"]
    list_filter = ["state"]
    search_fields = ["name"]
    exclude = ["brief"]
