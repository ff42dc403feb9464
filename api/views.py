"""A user's own API tokens: create (the secret shown once), name, revoke. Admins manage anyone's in the admin."""
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from .forms import TokenForm
from .models import Token


@require_http_methods(["GET", "POST"])
def tokens(request):
    """The user's tokens and a form for a new one; the new token's secret is in this response only."""
    form, secret = TokenForm(request.POST or None), None
    if request.method == "POST" and form.is_valid():
        token, secret = Token.objects.issue(request.user, form.cleaned_data["name"], form.cleaned_data["scopes"],
                                            form.expires_at())
        form = TokenForm()
    response = render(request, "api/tokens.html", {
        "form": form, "secret": secret, "tokens": Token.objects.filter(user=request.user),
    })
    if secret:
        response["Cache-Control"] = "no-store"  # the secret must not stay in a cache or the back button
    return response


@require_POST
def revoke(request, pk):
    """Revoke one of the user's own tokens (another user's is a 404, as if it did not exist)."""
    token = get_object_or_404(Token, pk=pk, user=request.user)
    token.revoke()
    messages.success(request, f"Token “{token.name}” revoked: it is refused from now on.")
    return redirect("tokens:list")
