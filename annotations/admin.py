from django.contrib import admin

from dossier.admin import AuditedAdmin, BoundedAdmin

from .models import Annotation, Export, Flag, Review


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


@admin.register(Export)
class ExportAdmin(BoundedAdmin):
    """The export log: read only, for admins."""

    list_display = ["created_at", "username", "via", "kind", "format", "article", "rows", "parameters", "linked_from"]
    list_filter = ["kind", "format", "via", "created_at"]
    list_select_related = ["article"]
    search_fields = ["username"]
    readonly_fields = [
        "created_at", "user", "username", "via", "kind", "format", "article", "parameters", "rows", "linked_from",
    ]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
