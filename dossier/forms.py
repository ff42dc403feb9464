from django import forms

from .ingest import SUFFIXES, Metadata
from .validators import WebURLField


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (the recipe from Django's file-upload docs)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(SUFFIXES)}))
        # Empty files reach the importer, which reports them by name with the others.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)) and data:
            return [single(item, initial) for item in data]
        return [single(data or None, initial)]  # an empty list is "no file": the required check applies


class ImportForm(forms.Form):
    files = MultipleFileField(
        help_text=f"One or more {', '.join(SUFFIXES)} files. Each is imported on its own; duplicates are skipped."
    )
    outlet = forms.CharField(required=False, max_length=200, help_text="Outlet of every article in these files.")
    author = forms.CharField(required=False, max_length=200, help_text="Author of every article in these files.")
    url = WebURLField(required=False, max_length=2000, help_text="Address of the original.")
    language = forms.CharField(required=False, max_length=16, help_text="Language code, e.g. en, tr, fa.")

    def metadata(self):
        data = self.cleaned_data
        return Metadata.build(
            outlet=data["outlet"], authors=[data["author"]], url=data["url"], language=data["language"]
        )
