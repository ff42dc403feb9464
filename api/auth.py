"""Who an API request acts for: a bearer token (no CSRF: a script holds it), or the pages' session (CSRF
as on the pages). Each operation names the scope it needs; a session may do whatever its user may.
"""
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie
from ninja.utils import check_csrf

from . import ratelimit
from .errors import ApiError
from .models import Token

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def bearer_secret(request):
    """The token in `Authorization: Bearer <token>`, or None."""
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    return secret.strip() if scheme.lower() == "bearer" and secret.strip() else None


class BearerToken(HttpBearer):
    """A personal token with `scope`: 401 for an unknown, revoked or expired one, 403 without the scope."""

    def __init__(self, scope):
        super().__init__()
        self.scope = scope

    def __call__(self, request):
        secret = bearer_secret(request)
        if request.headers.get("Authorization") and secret is None:
            raise ApiError(401, "The Authorization header must be: Bearer <token>.",
                           headers={"WWW-Authenticate": 'Bearer realm="api"'})
        return self.authenticate(request, secret) if secret else None

    def authenticate(self, request, secret):
        token = Token.objects.find(secret)
        challenge = {"WWW-Authenticate": 'Bearer realm="api", error="invalid_token"'}
        if token is None or not token.user.is_active:
            raise ApiError(401, "Unknown token.", code="invalid_token", headers=challenge)
        if token.revoked:
            raise ApiError(401, "This token was revoked.", code="token_revoked", headers=challenge)
        if token.expired():
            raise ApiError(401, "This token has expired.", code="token_expired", headers=challenge)
        ratelimit.check(f"token:{token.pk}")
        token.record_use()
        if not token.has_scope(self.scope):
            raise ApiError(403, f"This token lacks the “{self.scope}” scope.", code="scope_missing")
        request.user, request.token = token.user, token
        return token.user


class Session(APIKeyCookie):
    """The signed-in session of Dossier's pages; unsafe methods need the CSRF token, as the pages' forms do."""

    def __init__(self, scope):
        from django.conf import settings

        self.param_name = settings.SESSION_COOKIE_NAME
        super().__init__(csrf=True)
        self.scope = scope

    def _get_key(self, request):
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise ApiError(403, "CSRF check failed: send the X-CSRFToken header, as the pages' forms do.",
                           code="csrf_failed")
        ratelimit.check(f"user:{user.pk}")
        request.token = None
        return user


def auth(scope):
    """The auth of an operation needing `scope`: a token first, else the session."""
    return [BearerToken(scope), Session(scope)]


def scope_of(operation):
    """The scope an operation needs (the permission matrix test reads it)."""
    return operation.auth_callbacks[0].scope


