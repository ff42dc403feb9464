"""/api/tokens/: a user's own API tokens."""
from django.urls import path

from dossier import converters  # noqa: F401  (<id:pk>: a huge id is a 404, not a 500)

from . import views

app_name = "tokens"
urlpatterns = [
    path("", views.tokens, name="list"),
    path("<id:pk>/revoke/", views.revoke, name="revoke"),
]
