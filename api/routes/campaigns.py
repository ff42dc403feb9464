"""/v1/campaigns: review campaigns and their status, for editors and admins (as the campaign pages)."""
from datetime import date

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from dossier.roles import require_any_role

from annotations.access import ONLY_SCORE_READERS, SCORE_READERS

from campaigns.models import Campaign
from campaigns.status import status

from .. import pagination
from ..auth import auth
from ..models import Token
from .common import Id, responses

router = Router(tags=["campaigns"])
SORTS = pagination.NAME_SORTS


class CampaignOut(Schema):
    id: int
    name: str
    state: str
    per_article: int
    due: date | None


class CampaignPage(Schema):
    items: list[CampaignOut]
    next_cursor: str | None


@router.get("campaigns", response=responses(CampaignPage), auth=auth(Token.Scope.READ), summary="Campaigns")
def list_campaigns(request, sort: str = Query("name", description=f"One of {', '.join(SORTS)}."),
                   cursor: str | None = Query(None, max_length=2000), limit: int = Query(50, ge=1, le=100)):
    require_any_role(request.user, SCORE_READERS, ONLY_SCORE_READERS)
    campaigns = Campaign.objects.only("id", "name", "state", "per_article", "due")
    rows, next_cursor = pagination.by_name(campaigns, sort, cursor, limit)
    return {"items": rows, "next_cursor": next_cursor}


@router.get("campaigns/{id:campaign_id}", response=responses(dict), auth=auth(Token.Scope.READ),
            summary="A campaign's status (as campaign status --json)")
def campaign_status(request, campaign_id: int = Id("The campaign's id.")):
    """Per article its reviewers and their states, per reviewer load and done, alpha, disputes and rulings."""
    require_any_role(request.user, SCORE_READERS, ONLY_SCORE_READERS)
    return status(get_object_or_404(Campaign.objects.with_codebooks(), pk=campaign_id))
