from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied
from django.db import models
from django.template.response import TemplateResponse
from django.urls import path, reverse
from simple_history.admin import SimpleHistoryAdmin

from .admin_rules import LookupRule, with_lookup_rule
from .forms import ImportForm
from .importing import FileResult, ImportReport, import_file, too_large
from .models import Article, Author, Outlet, Passage


class BoundedAdmin(LookupRule, admin.ModelAdmin):
    """An admin whose search and URL lookups refuse what the database cannot take (dossier.admin_rules)."""


class AuditedAdmin(BoundedAdmin, SimpleHistoryAdmin):
    """Shows each object's audit trail. The trail is a record, not an undo button: the history
    pages never save (django-simple-history's would, for anyone who may view the object).
    """

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied("The history of a record cannot be written to.")
        return super().history_form_view(request, object_id, version_id, extra_context)


# Editors type "example.com"; store it as https, as Django 6 will by default.
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Outlet)
class OutletAdmin(AuditedAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["name", "kind", "country", "language", "website"]
    list_filter = ["kind", "country", "language"]
    search_fields = ["name", "website", "notes"]


@admin.register(Author)
class AuthorAdmin(AuditedAdmin):
    list_display = ["name", "affiliation"]
    search_fields = ["name", "affiliation", "bio"]


class PassageInline(admin.TabularInline):
    model = Passage
    fields = ["paragraph", "sentence", "start", "end", "text"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article")


@admin.register(Article)
class ArticleAdmin(AuditedAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["title", "outlet", "language", "published", "word_count", "imported_at"]
    list_filter = ["language", "outlet", "imported_at", "published"]
    list_select_related = ["outlet"]
    search_fields = ["title", "outlet__name", "authors__name", "url"]
    autocomplete_fields = ["authors"]
    readonly_fields = ["body", "original_text", "word_count", "content_hash", "imported_by", "imported_at", "source_name"]
    fieldsets = [
        (None, {"fields": ["title", "outlet", "authors", "url", "published", "language"]}),
        ("Text", {"fields": ["body", "word_count"]}),
        ("Import", {"classes": ["collapse"], "fields": ["source_name", "imported_by", "imported_at", "content_hash", "original_text"]}),
    ]
    inlines = [PassageInline]
    change_list_template = "admin/dossier/article/change_list.html"

    def has_add_permission(self, request):
        # Articles come in through the import page, which cleans and segments them.
        return False

    def get_urls(self):
        import_view = self.admin_site.admin_view(self.import_view)
        return [path("import/", import_view, name="dossier_article_import"), *super().get_urls()]

    def import_view(self, request):
        """Upload several files; each is imported in its own transaction, with a report per file."""
        if not request.user.has_perm("dossier.import_article"):
            raise PermissionDenied
        report = None
        # Bound on every POST, even one without fields, so that it says the files are missing.
        form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
        if request.method == "POST" and form.is_valid():
            report = ImportReport()
            metadata, limit = form.metadata(), form.max_bytes
            for upload in form.cleaned_data["files"]:
                if upload.size > limit:
                    report.files.append(FileResult(upload.name, error=too_large(upload.size, limit)))
                    continue
                report.files.append(import_file(upload.name, upload.read(), metadata, request.user))
            level = messages.ERROR if report.failed else messages.SUCCESS
            messages.add_message(request, level, f"{len(report.files)} files: {report.summary()}.")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import articles",
            "form": form,
            "report": report,
            "changelist_url": reverse("admin:dossier_article_changelist"),
        }
        return TemplateResponse(request, "admin/dossier/article/import.html", context)



class RoleSafeUserAdmin(LookupRule, UserAdmin):
    """Admins manage accounts and their roles; only a superuser grants superuser status or single
    permissions, or touches a superuser's account.
    """

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return fields if request.user.is_superuser else (*fields, "is_superuser", "user_permissions")

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj) and super().has_delete_permission(request, obj)


class RoleSafeGroupAdmin(LookupRule, GroupAdmin):
    """The roles' permissions are set by migrations; only a superuser changes them."""

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return fields if request.user.is_superuser else (*fields, "permissions")


admin.site.unregister(User)
admin.site.register(User, RoleSafeUserAdmin)
admin.site.unregister(Group)
admin.site.register(Group, RoleSafeGroupAdmin)
# django-axes' login records follow the same rule for their lists.
with_lookup_rule()
