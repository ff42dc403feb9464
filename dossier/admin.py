from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import redirect
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django_tasks_db.models import DBTaskResult
from simple_history.admin import SimpleHistoryAdmin

from . import ingest, tasks
from .admin_rules import LookupRule, with_lookup_rule
from .forms import ImportForm
from .models import Article, Author, Job, Outlet, Source


class ReadOnly:
    """Nothing here is added, changed or deleted through the admin: a record, or work done on the pages."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
    list_display = ["name", "affiliation", "user"]
    search_fields = ["name", "affiliation", "bio"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["not_users"]


@admin.register(Article)
class ArticleAdmin(AuditedAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["title", "outlet", "language", "published", "word_count", "imported_at"]
    list_filter = ["language", "outlet", "imported_at", "published"]
    list_select_related = ["outlet"]
    search_fields = ["title", "outlet__name", "authors__name", "url"]
    autocomplete_fields = ["authors"]
    readonly_fields = [
        "body", "original_text", "word_count", "content_hash", "imported_by", "imported_at", "source_name", "passages",
    ]
    fieldsets = [
        (None, {"fields": ["title", "outlet", "authors", "url", "published", "language"]}),
        ("Text", {"fields": ["body", "word_count", "passages"]}),
        ("Import", {
            "classes": ["collapse"],
            "fields": ["source_name", "imported_by", "imported_at", "content_hash", "original_text"],
        }),
    ]
    change_list_template = "admin/dossier/article/change_list.html"

    # An inline of every passage made a 10,000-paragraph article's page run out of time;
    # the reading page shows them all.
    PASSAGES_SHOWN = 50

    def has_add_permission(self, request):
        # Articles come in through the import page, which cleans and segments them.
        return False

    @admin.display(description="Passages")
    def passages(self, article):
        """How many passages there are and the first PASSAGES_SHOWN: two queries, however long the article."""
        count = article.passages.count()
        rows = format_html_join(
            "", '<tr class="passage-row"><td>{}</td><td>{}</td><td>{}–{}</td><td>{}</td></tr>',
            ((p.paragraph, p.sentence, p.start, p.end, article.body[p.start : p.end])
             for p in article.passages.all()[: self.PASSAGES_SHOWN]),
        )
        shown = f"; the first {self.PASSAGES_SHOWN} are shown." if count > self.PASSAGES_SHOWN else "."
        return format_html(
            '<p>{} passage{}{} <a href="{}">Read them all on the reading page</a>.</p>'
            "<table><thead><tr><th>Paragraph</th><th>Sentence</th><th>Characters</th><th>Text</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            count, pluralize(count), shown, article.get_absolute_url(), rows,
        )

    def get_urls(self):
        import_view = self.admin_site.admin_view(self.import_view)
        return [path("import/", import_view, name="dossier_article_import"), *super().get_urls()]

    def import_view(self, request):
        """Upload files or list addresses. One is imported in the request, with its report; more run as a
        background job, whose progress this page shows (?job=).
        """
        if not request.user.has_perm("dossier.import_article"):
            raise PermissionDenied
        report = None
        job = tasks.own_job(request)
        # Bound on every POST, even one without fields, so that it says the files are missing.
        form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
        if request.method == "POST" and form.is_valid():
            files, urls = form.cleaned_data["files"], form.cleaned_data["urls"]
            if len(files) + len(urls) > 1:
                job = tasks.start_import(files, urls, form.metadata(), request.user,
                                         max_records=settings.DOSSIER_MAX_WEB_IMPORT_RECORDS)
                return redirect(f"{reverse('admin:dossier_article_import')}?job={job.pk}")
            if files:
                report = ingest.import_uploads(files, form.metadata(), request.user)
            else:
                report = ingest.import_urls(urls, form.metadata(), request.user)
            level = messages.ERROR if report.failed else messages.SUCCESS
            noun = "files" if files else "addresses"
            messages.add_message(request, level, f"{len(report.files)} {noun}: {report.summary()}.")
        if job is not None and job.finished and job.kind == Job.Kind.IMPORT:
            # A finished job's report reads as one made in the request.
            report = ingest.ImportReport([ingest.FileResult.from_line(line) for line in job.lines])
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import articles",
            "form": form,
            "report": report,
            "job": job,
            "changelist_url": reverse("admin:dossier_article_changelist"),
        }
        return TemplateResponse(request, "admin/dossier/article/import.html", context)


@admin.register(Source)
class SourceAdmin(BoundedAdmin):
    """Feeds and sitemaps; "Poll now" (the page's button, or the action on selected sources) runs as a job."""

    formfield_overrides = URL_FIELDS
    list_display = ["url", "kind", "outlet", "active", "last_polled_at", "last_new", "last_unchanged", "last_failed"]
    list_filter = ["kind", "active", "outlet"]
    list_select_related = ["outlet"]
    search_fields = ["url", "outlet__name"]
    autocomplete_fields = ["outlet"]
    readonly_fields = ["last_polled_at", "last_new", "last_unchanged", "last_failed", "last_error", "etag",
                       "last_modified"]
    actions = ["poll_selected"]
    change_list_template = "admin/dossier/source/change_list.html"

    def get_urls(self):
        poll_view = self.admin_site.admin_view(self.poll_view)
        return [path("poll/", poll_view, name="dossier_source_poll"), *super().get_urls()]

    @admin.action(description="Poll the selected sources now", permissions=["change"])
    def poll_selected(self, request, queryset):
        job = tasks.start_poll(list(queryset.values_list("pk", flat=True)), request.user)
        return redirect(f"{reverse('admin:dossier_source_poll')}?job={job.pk}")

    def poll_view(self, request):
        """POST: poll every active source as a job. GET ?job=: that job's progress."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            job = tasks.start_poll(list(Source.objects.filter(active=True).values_list("pk", flat=True)),
                                   request.user)
            return redirect(f"{reverse('admin:dossier_source_poll')}?job={job.pk}")
        job = tasks.own_job(request)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Poll sources",
            "job": job,
            "changelist_url": reverse("admin:dossier_source_changelist"),
        }
        return TemplateResponse(request, "admin/dossier/source/poll.html", context)


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
# django-tasks-db's own admin shows raw task rows (arguments, tracebacks) and lets anyone with the
# permission re-run or delete them; people follow their work on the Job the page started (dossier.tasks).
if DBTaskResult in admin.site._registry:
    admin.site.unregister(DBTaskResult)
