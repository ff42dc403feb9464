"""/api/docs: Swagger UI served from static files, its settings in a JSON data block read by a static
script, so the page keeps the site's Content Security Policy (no inline script, nothing from a CDN)."""

from django.shortcuts import render
from ninja.openapi.docs import DocsBase


class LocalSwagger(DocsBase):
    def render_page(self, request, api, **kwargs):
        settings = {
            "url": self.get_openapi_url(api, kwargs),
            "layout": "BaseLayout",
            "deepLinking": True,
            "validatorUrl": None,  # else Swagger UI loads a badge from validator.swagger.io
        }
        return render(request, "api/docs.html", {"swagger_settings": settings, "api": api})
