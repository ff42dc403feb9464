"""The API's side of dossier/limits.py: which API requests may send an import-sized body, and JSON refusals."""
from django.http import JsonResponse

CODES = {400: "bad_request", 411: "length_required", 413: "too_large"}


def json_refusal(status, message):
    return JsonResponse({"code": CODES.get(status, "bad_request"), "message": message, "field": None}, status=status)


def may_send_large_body(request):
    """An upload to the API's import endpoint with a usable token of the import scope (one query)."""
    from .auth import bearer_secret
    from .models import Token

    if not request.path_info.startswith("/api/v1/articles/upload"):
        return False
    secret = bearer_secret(request)
    token = Token.objects.find(secret) if secret else None
    return bool(token and not token.revoked and not token.expired() and token.has_scope(Token.Scope.IMPORT)
                and token.user.is_active)
