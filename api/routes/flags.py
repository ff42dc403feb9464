"""/v1/flags and /v1/codebook: the flag set reviewers choose from and the current codebook version."""
from datetime import datetime

from ninja import Router, Schema

from dossier.roles import NO_ROLE, Role, require_any_role

from annotations.models import CodebookVersion, Flag

from ..auth import auth
from ..models import Token
from .common import responses

router = Router(tags=["flags"])


class FlagOut(Schema):
    id: int
    name: str
    category: str
    guideline: str
    shortcut: str
    order: int
    active: bool


class CodebookOut(Schema):
    number: int
    created_at: datetime
    reason: str
    flags: list[dict]


@router.get("flags", response=responses(list[FlagOut]), auth=auth(Token.Scope.READ), summary="The flag set")
def flags(request):
    require_any_role(request.user, Role.values, NO_ROLE)
    return list(Flag.objects.order_by("order", "name"))


@router.get("codebook", response=responses(CodebookOut), auth=auth(Token.Scope.READ),
            summary="The current codebook version")
def codebook(request):
    require_any_role(request.user, Role.values, NO_ROLE)
    return CodebookVersion.objects.current()
