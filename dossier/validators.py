"""One rule for every web address Dossier stores, wherever it comes from (admin, import, annotations).

An outlet's website, an article's URL and an annotation's evidence are web pages: http or https only
(Django's URLField alone also takes ftp:// and ftps://). The model fields carry `web_url`, so the admin
applies it; the forms that are not model forms use WebURLField.
"""
from django import forms
from django.core.validators import URLValidator

WEB_SCHEMES = ["http", "https"]
# A code of its own, so that no form's "invalid" message ("Enter a valid URL.") replaces the reason.
web_url = URLValidator(schemes=WEB_SCHEMES, code="not_web",
                       message="Enter a valid URL. Only web addresses (http:// or https://) are accepted.")


class WebURLField(forms.URLField):
    """A form's URL field under the same rule; scheme-less input is read as https, as the admin does."""

    default_validators = [web_url]

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)
