"""/api/: the API's routes, its schema and its docs."""
from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, URLResolver, re_path
from django.views.decorators.csrf import csrf_exempt

from .errors import error_response
from .main import api


def _open(patterns):
    """The API's views answer for themselves (a token, or the session): LoginRequiredMiddleware would
    redirect a script to the login page instead of giving it a 401."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _open(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            pattern.callback = login_not_required(pattern.callback)
    return patterns


@csrf_exempt  # a refusal either way: an unsafe method here gets the same JSON 404, not the CSRF page
def not_found(request, rest=""):
    """Any other address under /api/ (an id the int converter refuses, say) is a JSON 404 too."""
    return error_response(404, "No such API address: see /api/docs.")


app_name = "api"  # reverse("api:list_articles"), reverse("api:openapi-json")
urlpatterns = _open([*api.urls[0], re_path(r"^(?P<rest>[\s\S]*)$", not_found, name="not-found")])
