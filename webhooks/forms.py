from django import forms
from django.db import models

from .models import EVENTS, Webhook


def _formfield(field, **kwargs):
    # "example.com/hook" is read as https, as on the project's other admin pages (dossier.admin.URL_FIELDS).
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class WebhookForm(forms.ModelForm):
    """The admin's form: events as checkboxes; the model's validators (the fetcher's address check) apply."""

    events = forms.MultipleChoiceField(choices=list(EVENTS.items()), widget=forms.CheckboxSelectMultiple,
                                       help_text="The events sent to this address.")

    class Meta:
        model = Webhook
        fields = ["name", "url", "secret", "events", "active"]
        formfield_callback = _formfield
        widgets = {"secret": forms.TextInput(attrs={"size": 60, "autocomplete": "off", "spellcheck": "false"})}
