from django import forms
from django.contrib import admin, messages

from dossier.admin import BoundedAdmin

from .models import Token


class TokenAdminForm(forms.ModelForm):
    # The same choice list as the user's own page: a scope the API does not know is refused, not stored.
    scopes = forms.MultipleChoiceField(choices=Token.Scope.choices, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Token
        fields = ["user", "name", "scopes", "expires_at"]


@admin.register(Token)
class TokenAdmin(BoundedAdmin):
    """Admins see and revoke anyone's tokens, and make one for anyone (its secret shown once, as a message)."""

    list_display = ["name", "user", "key", "scopes", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__username", "key"]
    form = TokenAdminForm
    fields = ["user", "name", "scopes", "expires_at", "revoked_at"]
    readonly_fields = ["revoked_at"]
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        # A token's user and secret are fixed once made; only its name, scopes and expiry change.
        return ["user", "key", "last_used_at", "revoked_at"] if obj else ["revoked_at"]

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        token, secret = Token.objects.issue(obj.user, obj.name, obj.scopes or [], obj.expires_at)
        obj.pk, obj.digest, obj.key = token.pk, token.digest, token.key
        self.message_user(request, f"Token for {obj.user}: {secret} — copy it now, it is not shown again.",
                          messages.WARNING)

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            token.revoke()
