"""Every API error as JSON {"code", "message", "field"} with its status: the handlers NinjaAPI installs."""
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

logger = logging.getLogger("api")

CODES = {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
         409: "conflict", 413: "too_large", 422: "invalid", 429: "rate_limited"}


class ApiError(Exception):
    """An error answered as is: status, a stable code, a message for people, the field at fault."""

    def __init__(self, status, message, code=None, field=None, headers=None):
        super().__init__(message)
        self.status, self.message, self.field = status, message, field
        self.code = code or CODES.get(status, "error")
        self.headers = headers or {}


def error_response(status, message, code=None, field=None, headers=None):
    response = JsonResponse({"code": code or CODES.get(status, "error"), "message": message, "field": field},
                            status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _field(location):
    """A pydantic error location as the field's name: ("query", "limit") -> "limit"; a body's fields without
    the body parameter's own name or the union member tried ("body", "records", "Record", "title") -> "title"."""
    where, *parts = [str(part) for part in location] or [""]
    if where == "body" and parts:
        parts = parts[1:]
    parts = [part for part in parts if not (part[:1].isupper() or "[" in part)]
    return ".".join(parts) or (None if where != "body" else "body")


def install(api):
    """Give the API object its handlers, so that no error escapes as HTML or a 500 page."""

    @api.exception_handler(ApiError)
    def api_error(request, error):
        return error_response(error.status, error.message, error.code, error.field, error.headers)

    @api.exception_handler(NinjaValidationError)
    def invalid(request, error):
        first = error.errors[0] if error.errors else {}
        message = "; ".join(f"{_field(item.get('loc', ())) or 'body'}: {item.get('msg', 'invalid')}"
                            for item in error.errors) or "The request is not valid."
        return error_response(422, message, field=_field(first.get("loc", ())))

    @api.exception_handler(ValidationError)
    def django_invalid(request, error):
        return error_response(422, " ".join(error.messages))

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, error):
        return error_response(401, "Send a valid token: Authorization: Bearer <token>.",
                              headers={"WWW-Authenticate": 'Bearer realm="api"'})

    @api.exception_handler(PermissionDenied)
    def forbidden(request, error):
        return error_response(403, str(error) or "You may not do this.")

    @api.exception_handler(Http404)
    def not_found(request, error):
        return error_response(404, "Not found.")

    @api.exception_handler(Throttled)
    def throttled(request, error):
        return error_response(429, "Too many requests: slow down.")

    @api.exception_handler(HttpError)
    def http_error(request, error):
        return error_response(error.status_code, str(error))

    @api.exception_handler(Exception)
    def unexpected(request, error):
        # A bug, not bad input: logged with its traceback, answered in the API's form all the same.
        logger.exception("API request %s %s failed", request.method, request.path)
        return error_response(500, "An unexpected error, logged for the administrators.", code="server_error")
