from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from .ingest import SUFFIXES, Metadata
from .validators import WebURLField, web_url


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


class AddressesField(forms.CharField):
    """Web addresses, one a line; each must be http(s); at most DATA_UPLOAD_MAX_NUMBER_FILES of them."""

    widget = forms.Textarea(attrs={"rows": 4, "cols": 80})

    def to_python(self, value):
        return list(dict.fromkeys(line.strip() for line in (value or "").splitlines() if line.strip()))

    def validate(self, value):
        if len(value) > settings.DATA_UPLOAD_MAX_NUMBER_FILES:
            raise ValidationError(f"At most {settings.DATA_UPLOAD_MAX_NUMBER_FILES} addresses at once.")
        for url in value:
            if len(url) > 2000:
                raise ValidationError(f"{url[:80]}…: longer than 2000 characters.")
            try:
                web_url(url)
            except ValidationError:
                raise ValidationError(f"{url}: not a web address (http:// or https://).") from None

    def run_validators(self, value):
        pass  # validate() checks each address


class ImportForm(forms.Form):
    files = MultipleFileField(
        required=False,
        help_text=f"One or more {', '.join(SUFFIXES)} files. Each is imported on its own; duplicates are skipped.",
    )
    urls = AddressesField(
        required=False, label="Addresses",
        help_text="Web pages to fetch and import, one address a line. An address already imported with another "
                  "text becomes a new version of its article. More than one file or address runs in the background.",
    )
    outlet = forms.CharField(required=False, max_length=200, help_text="Outlet of every article in these files.")
    author = forms.CharField(required=False, max_length=200, help_text="Author of every article in these files.")
    url = WebURLField(required=False, max_length=2000, help_text="Address of the original.")
    language = forms.CharField(required=False, max_length=16, help_text="Language code, e.g. en, tr, fa.")

    def clean(self):
        data = super().clean()
        data["files"] = [upload for upload in data.get("files") or [] if upload is not None]
        if not data["files"] and not data.get("urls") and not self.has_error("urls"):
            self.add_error("files", self.fields["files"].error_messages["required"])
        return data

    def metadata(self):
        data = self.cleaned_data
        return Metadata.build(
            outlet=data["outlet"], authors=[data["author"]], url=data["url"], language=data["language"]
        )
