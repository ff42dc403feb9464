from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import Http404

from dossier.admin import AuditedAdmin, BoundedAdmin, ReadOnly

from .access import can_see_every_review
from .models import Annotation, CodebookVersion, Export, Flag, Review, Ruling


@admin.register(Flag)
class FlagAdmin(AuditedAdmin):
    list_display = ["name", "category", "shortcut", "colour", "order", "active", "guideline"]
    list_editable = ["order", "active"]
    list_filter = ["category", "active"]
    search_fields = ["name", "guideline"]


@admin.register(CodebookVersion)
class CodebookVersionAdmin(ReadOnly, AuditedAdmin):
    """The codebook's versions, read only: each is made by a change to the flag set, never by hand."""

    list_display = ["number", "created_at", "created_by", "reason", "rescored_articles"]
    list_select_related = ["created_by"]
    readonly_fields = ["number", "created_at", "created_by", "reason", "rescored_articles", "flags"]
    fields = readonly_fields


@admin.register(Ruling)
class RulingAdmin(ReadOnly, AuditedAdmin):
    """Editors' rulings, read only with their history: they are made on the adjudication pages."""

    list_display = ["passage", "category", "editor", "ruled_at"]
    list_select_related = ["editor"]
    fields = readonly_fields = ["passage", "category", "rationale", "editor", "ruled_at"]


class AnnotationInline(ReadOnly, admin.TabularInline):
    model = Annotation
    fields = ["passage", "flag", "note", "evidence_url", "start", "end", "modified_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("flag", "passage")


class BlindReviewAdmin(ReadOnly, AuditedAdmin):
    """Reviews and their annotations, read only, under the pages' blind-review rule.

    Reviews are the reviewers' own work, done in the workspace: nobody adds, changes or deletes one
    here, whatever permissions they hold. Someone who may not see every review (not an editor or
    admin: annotations.access.can_see_every_review) sees only their own, on the list, the change
    page and the history pages alike (django-simple-history's history pages would otherwise find any
    review by its id).
    """

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if can_see_every_review(request.user):
            return queryset
        return queryset.filter(reviewer=request.user)

    def visible_or_404(self, request, object_id):
        """Editors and admins read any review's history, a deleted one's too; others only their own."""
        if can_see_every_review(request.user) or self.get_object(request, unquote(object_id)) is not None:
            return
        # A deleted review is gone from the queryset, but its history still names its reviewer.
        key = unquote(object_id)
        owner = self.model.history.filter(id=key).values_list("reviewer_id", flat=True).first() \
            if key.isascii() and key.isdigit() and len(key) <= 18 else None
        if owner != request.user.pk:
            raise Http404("No such review.")

    def history_view(self, request, object_id, extra_context=None):
        self.visible_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self.visible_or_404(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(Review)
class ReviewAdmin(BlindReviewAdmin):
    list_display = ["article", "reviewer", "status", "started_at", "submitted_at"]
    list_filter = ["status"]
    list_select_related = ["article", "reviewer"]
    search_fields = ["article__title", "reviewer__username"]
    readonly_fields = ["article", "reviewer", "status", "started_at", "updated_at", "submitted_at"]
    inlines = [AnnotationInline]


@admin.register(Export)
class ExportAdmin(ReadOnly, BoundedAdmin):
    """The export log: read only, for admins."""

    list_display = ["created_at", "username", "via", "kind", "format", "article", "rows", "parameters", "linked_from"]
    list_filter = ["kind", "format", "via", "created_at"]
    list_select_related = ["article"]
    search_fields = ["username"]
    readonly_fields = [
        "created_at", "user", "username", "via", "kind", "format", "article", "parameters", "rows", "linked_from",
    ]
    fields = readonly_fields
