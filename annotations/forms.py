from django import forms

from dossier.models import Passage
from dossier.validators import WebURLField

from .models import Annotation, Flag


class AnnotationForm(forms.Form):
    """Put one flag on one passage of an article, or take it off; details are optional."""

    DETAILS = ("note", "evidence_url", "start", "end")

    passage = forms.ModelChoiceField(queryset=Passage.objects.none())
    flag = forms.ModelChoiceField(queryset=Flag.objects.all())
    on = forms.TypedChoiceField(choices=[("1", "on"), ("0", "off")], coerce=lambda value: value == "1")
    note = forms.CharField(required=False, max_length=Annotation._meta.get_field("note").max_length)
    evidence_url = WebURLField(required=False, max_length=2000)
    start = forms.IntegerField(required=False, min_value=0)
    end = forms.IntegerField(required=False, min_value=0)

    def __init__(self, article, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["passage"].queryset = Passage.objects.filter(article=article)

    def clean(self):
        data = super().clean()
        start, end, passage = data.get("start"), data.get("end"), data.get("passage")
        flag = data.get("flag")
        if flag and data.get("on") and not flag.active:
            # Retired flags stay on old annotations and can be taken off, not added.
            raise forms.ValidationError(f"The flag “{flag}” is retired and cannot be added.")
        if (start is None) != (end is None):
            raise forms.ValidationError("Give both start and end of the selected words, or neither.")
        if passage and start is not None and not passage.contains(start, end):
            raise forms.ValidationError("The selected words must lie inside the passage.")
        return data

    def details(self):
        """Only the details the request sent: a toggle keeps an existing note."""
        sent = {name for name in self.DETAILS if name in self.data}
        if sent & {"start", "end"}:
            sent |= {"start", "end"}  # a sub-range is set or cleared as a pair
        return {name: self.cleaned_data[name] for name in self.DETAILS if name in sent}

    def error_text(self):
        return "; ".join(
            f"{name}: {' '.join(errors)}" if name != "__all__" else " ".join(errors)
            for name, errors in self.errors.items()
        )
