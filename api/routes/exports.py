"""/v1/.../*.jsonld: submitted annotations as W3C Web Annotation JSON-LD, for editors and admins.

The pages' export views answer these: the same documents, access check and export log, with a token.
"""
from ninja import Query, Router

from annotations.views import exports as views

from ..auth import auth
from ..errors import ApiError
from ..models import Token
from .common import ERRORS, Id

router = Router(tags=["web annotations"])
JSON_LD = {"responses": {200: {"description": "A W3C Web Annotation document (JSON-LD).", "content": {
    "application/ld+json": {"schema": {"type": "object"}}}}}}


def _served(view, request, *args):
    """The page's view, as the token's user (request.user); its plain-text refusals become the API's."""
    response = view(request, *args)
    if response.status_code == 400:
        raise ApiError(400, response.content.decode(), field="page")
    return response


@router.get("articles/{id:article_id}/annotations.jsonld", response=ERRORS, auth=auth(Token.Scope.READ),
            openapi_extra=JSON_LD, summary="An article's annotations as a Web Annotation collection")
def article_annotations(request, article_id: int = Id("The article's id."),
                        page: int | None = Query(None, ge=1, le=10**9)):
    return _served(views.article_annotations, request, article_id)


@router.get("annotations.jsonld", response=ERRORS, auth=auth(Token.Scope.READ), openapi_extra=JSON_LD,
            summary="Every annotation of the articles a filter keeps, as a Web Annotation collection")
def annotation_collection(request, page: int | None = Query(None, ge=1, le=10**9)):
    return _served(views.annotation_collection, request)


@router.get("annotations/{id:annotation_id}.jsonld", response=ERRORS, auth=auth(Token.Scope.READ),
            openapi_extra=JSON_LD, summary="One submitted annotation as a Web Annotation")
def annotation(request, annotation_id: int = Id("The annotation's id.")):
    return _served(views.annotation, request, annotation_id)
