"""/v1/me: who a token or session acts for, with its roles and scopes."""
from datetime import datetime

from ninja import Router, Schema

from dossier.roles import roles_of

from ..auth import auth
from ..models import Token
from .common import responses

router = Router(tags=["tokens"])


class MeOut(Schema):
    username: str
    roles: list[str]
    scopes: list[str]
    token: str | None = None  # the token's name; None for a session
    expires_at: datetime | None = None


@router.get("me", response=responses(MeOut), auth=auth(Token.Scope.READ), summary="Who the request acts for")
def me(request):
    token = request.token
    return {
        "username": request.user.get_username(),
        "roles": sorted(roles_of(request.user)),
        "scopes": token.scopes if token else list(Token.Scope.values),
        "token": token.name if token else None,
        "expires_at": token.expires_at if token else None,
    }
