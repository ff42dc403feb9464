"""The API object: /api/v1/ resources (one router module each in routes/), /api/openapi.json, /api/docs."""
from ninja import NinjaAPI

from . import errors
from .docs import LocalSwagger
from .routes import articles, campaigns, exports, flags, reviews, scores, tasks, tokens


class DossierAPI(NinjaAPI):
    def _validate(self):
        super()._validate()
        # A method an address does not take is answered in the API's form too, not as ninja's plain text.
        for bound in self._get_bound_routers():
            for path_view in bound.path_operations.values():
                path_view._not_allowed = _json_not_allowed(path_view)

    def get_openapi_operation_id(self, operation):
        """The view's own name ("list_articles"): stable, and what scripts generated from the schema call."""
        return operation.operation_id or operation.view_func.__name__


def _json_not_allowed(path_view):
    def not_allowed():
        methods = sorted({method for operation in path_view.operations for method in operation.methods})
        return errors.error_response(405, f"This address takes {', '.join(methods)}.",
                                     headers={"Allow": ", ".join(methods)})

    return not_allowed


api = DossierAPI(
    title="Dossier API",
    version="1",
    description="Articles, reviews and scores under the same rules as Dossier's pages. See docs/api.md.",
    openapi_url="/openapi.json",
    docs=LocalSwagger(),
    docs_url="/docs",
    urls_namespace="api",
)
errors.install(api)

# One router per resource, each under /v1/. A new resource is one module and one line here.
ROUTERS = [
    ("/v1/", tokens.router),
    ("/v1/", articles.router),
    ("/v1/", reviews.router),
    ("/v1/", flags.router),
    ("/v1/", scores.router),
    ("/v1/", exports.router),
    ("/v1/", tasks.router),
    ("/v1/", campaigns.router),
]
for prefix, router in ROUTERS:
    api.add_router(prefix, router)
