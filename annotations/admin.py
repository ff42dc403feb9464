from django.contrib import admin

from dossier.admin import AuditedAdmin

from .models import Annotation, Flag, Review


@admin.register(Flag)
class FlagAdmin(AuditedAdmin):
    list_display = ["name", "category", "shortcut", "colour", "order", "active", "guideline"]
    list_editable = ["order", "active"]
    list_filter = ["category", "active"]
    search_fields = ["name", "guideline"]


class AnnotationInline(admin.TabularInline):
    model = Annotation
    fields = ["passage", "flag", "note", "evidence_url", "start", "end", "modified_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("flag", "passage")


@admin.register(Review)
class ReviewAdmin(AuditedAdmin):
    list_display = ["article", "reviewer", "status", "started_at", "submitted_at"]
    list_filter = ["status"]
    list_select_related = ["article", "reviewer"]
    search_fields = ["article__title", "reviewer__username"]
    readonly_fields = ["article", "reviewer", "status", "started_at", "updated_at", "submitted_at"]
    inlines = [AnnotationInline]

    def has_add_permission(self, request):
        return False
