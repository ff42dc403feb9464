from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST

from dossier.admin import URL_FIELDS, BoundedAdmin
from dossier.roles import Role, has_role

from . import events
from .forms import WebhookForm
from .models import Delivery, Webhook


class AdminsOnly:
    """Admins only, whatever model permissions anyone holds: a hook's secret signs what Dossier says."""

    def has_module_permission(self, request):
        return has_role(request.user, Role.ADMIN)

    def has_view_permission(self, request, obj=None):
        return has_role(request.user, Role.ADMIN)

    def has_add_permission(self, request):
        return has_role(request.user, Role.ADMIN)

    def has_change_permission(self, request, obj=None):
        return has_role(request.user, Role.ADMIN)

    def has_delete_permission(self, request, obj=None):
        return has_role(request.user, Role.ADMIN)


@admin.register(Webhook)
class WebhookAdmin(AdminsOnly, BoundedAdmin):
    """Register, change and test hooks; each hook's page lists its recent deliveries."""

    form = WebhookForm
    formfield_overrides = URL_FIELDS
    list_display = ["name", "url", "active", "event_list", "created_by", "created_at"]
    list_filter = ["active"]
    list_select_related = ["created_by"]
    search_fields = ["name", "url"]
    readonly_fields = ["recent_deliveries", "created_by", "created_at"]
    fieldsets = [
        (None, {"fields": ["name", "url", "secret", "events", "active"]}),
        ("Recent deliveries", {"fields": ["recent_deliveries", "created_by", "created_at"]}),
    ]
    actions = ["send_test_events"]
    change_form_template = "admin/webhooks/webhook/change_form.html"
    RECENT = 25

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        # To the hook's own page, where its secret (generated if left blank) is there to copy.
        messages.success(request, f"Webhook “{obj.name}” added: give its secret, shown below, to the receiver.")
        return redirect(reverse("admin:webhooks_webhook_change", args=[obj.pk]))

    @admin.display(description="Events")
    def event_list(self, hook):
        return ", ".join(hook.events)

    @admin.display(description="Deliveries")
    def recent_deliveries(self, hook):
        """The RECENT latest deliveries and how each went: one query."""
        if hook.pk is None:
            return "None yet."
        rows = format_html_join(
            "", '<tr class="delivery-row delivery-{}"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>'
                "<td>{}</td><td>{}</td></tr>",
            ((d.state, d.created_at.strftime("%Y-%m-%d %H:%M:%S"), d.event, d.get_state_display(), d.attempts,
              d.last_status or "", d.last_error or "",
              d.next_attempt_at.strftime("%Y-%m-%d %H:%M:%S") if d.state == Delivery.State.PENDING
              and d.next_attempt_at else "")
             for d in hook.deliveries.order_by("-created_at", "-id")[: self.RECENT]),
        )
        if not rows:
            return "None yet."
        return format_html(
            "<table><thead><tr><th>Created (UTC)</th><th>Event</th><th>State</th><th>Attempts</th>"
            "<th>Last status</th><th>Last error</th><th>Next attempt</th></tr></thead><tbody>{}</tbody></table>",
            rows,
        )

    def get_urls(self):
        test_view = self.admin_site.admin_view(self.test_view)
        return [path("<path:object_id>/test/", test_view, name="webhooks_webhook_test"), *super().get_urls()]

    @admin.action(description="Send a test event to the selected webhooks", permissions=["change"])
    def send_test_events(self, request, queryset):
        for hook in queryset:
            events.send_test(hook)
        messages.success(request, f"Test events sent to {queryset.count()} webhooks: see each one's deliveries.")

    def test_view(self, request, object_id):
        """POST: send the hook a test event, then back to its page, where the delivery shows."""
        return require_POST(self._test)(request, object_id)

    def _test(self, request, object_id):
        if not self.has_change_permission(request):
            raise PermissionDenied
        hook = self.get_object(request, object_id)
        if hook is None:
            raise Http404("No such webhook.")
        delivery = events.send_test(hook)
        delivery.refresh_from_db()
        if delivery.state == Delivery.State.DELIVERED:
            messages.success(request, "Test event delivered.")
        elif delivery.state == Delivery.State.FAILED:
            messages.error(request, f"Test event failed: {delivery.last_error}.")
        elif delivery.attempts:
            messages.warning(request, f"Test event not delivered yet ({delivery.last_error}); it will be retried.")
        else:
            messages.info(request, "Test event queued: the task worker sends it; its state shows below.")
        return redirect(reverse("admin:webhooks_webhook_change", args=[hook.pk]))
