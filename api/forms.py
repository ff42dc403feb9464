import datetime

from django import forms
from django.utils import timezone

from .models import Token


class TokenForm(forms.Form):
    """A new token of the user's own: a name, its scopes, how many days it lasts (empty: until revoked)."""

    name = forms.CharField(max_length=Token._meta.get_field("name").max_length,
                           help_text="What the token is for, e.g. “corpus loader”.")
    scopes = forms.MultipleChoiceField(choices=Token.Scope.choices, widget=forms.CheckboxSelectMultiple,
                                       initial=[Token.Scope.READ])
    days = forms.IntegerField(label="Expires after (days)", required=False, min_value=1, max_value=3650,
                              help_text="Empty: the token lasts until you revoke it.")

    def expires_at(self):
        days = self.cleaned_data["days"]
        return timezone.now() + datetime.timedelta(days=days) if days else None
