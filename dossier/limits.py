"""Request bodies are refused by their Content-Length before a byte of them is read.

Django reads a body only when a view asks for it, but then it reads it all: a multipart upload goes to
a temporary file however large it is, even on the login page, before any login. So, first in
MIDDLEWARE:

- every request may carry at most DOSSIER_MAX_FORM_BYTES (1 MiB: more than any form needs);
- a POST to the admin's import page may carry DOSSIER_MAX_IMPORT_BYTES x DATA_UPLOAD_MAX_NUMBER_FILES,
  but only from a session of an active staff user who may import (decided from the session cookie,
  since authentication runs later; the import view checks the permission again);
- anything over its limit is answered 413 with a plain message; a body without a usable length
  (a chunked request, a malformed Content-Length) is answered 411 or 400, where Django would
  otherwise silently read nothing of it.

A reverse proxy in front should refuse the same sizes first (nginx `client_max_body_size`,
docs/operations.md). This middleware also deletes the temporary files of an upload when the
response is done, including an upload that was cut off half way.
"""
import logging
import re
from functools import partial
from importlib import import_module

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse, UnreadablePostError
from django.urls import reverse
from django.utils.crypto import constant_time_compare

logger = logging.getLogger("django.security.RequestBodyLimit")
DIGITS = re.compile(r"[0-9]{1,20}")


def form_limit():
    return settings.DOSSIER_MAX_FORM_BYTES


def import_limit():
    """The largest body the import page takes: every file it allows at its largest, and a form's worth besides."""
    return settings.DOSSIER_MAX_IMPORT_BYTES * settings.DATA_UPLOAD_MAX_NUMBER_FILES + settings.DOSSIER_MAX_FORM_BYTES


def may_import(request):
    """Whether the request's session cookie belongs to an active staff user who may import articles.

    The session is only read: django.contrib.auth.get_user() may flush it or give it a new key, and
    the real session, which authentication loads later from the same cookie, would then be gone.
    """
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, load_backend

    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not key:
        return False
    data = import_module(settings.SESSION_ENGINE).SessionStore(key).load()
    backend = data.get(BACKEND_SESSION_KEY)
    if backend not in settings.AUTHENTICATION_BACKENDS:
        return False
    try:
        user = load_backend(backend).get_user(data.get(SESSION_KEY))
    except (ValueError, ValidationError):  # a user id of the wrong type
        return False
    if user is None or not constant_time_compare(data.get(HASH_SESSION_KEY, ""), user.get_session_auth_hash()):
        return False
    return user.is_active and user.is_staff and user.has_perm("dossier.import_article")


# Other apps' parts of the site with their own rule for large bodies and their own form of refusal:
# (path prefix, allows_import_size(request), respond(status, message)); the API registers itself here.
_PREFIXES = []


def register_prefix(prefix, allows_import_size, respond):
    """Under `prefix`, a body may be as large as the import page's where allows_import_size(request)
    says so, and refusals are respond(status, message)."""
    _PREFIXES.append((prefix, allows_import_size, respond))


def _policy(request):
    for prefix, allows, respond in _PREFIXES:
        if request.path_info.startswith(prefix):
            return allows, respond
    return None, plain


def plain(status, message):
    return HttpResponse(message + "\n", status=status, content_type="text/plain; charset=utf-8")


def close_uploads(request):
    """Close (and so delete) every file the upload handlers opened, finished or cut off half way."""
    for handler in getattr(request, "_upload_handlers", None) or ():
        upload = getattr(handler, "file", None)
        if upload is not None and not getattr(upload, "closed", True):
            upload.close()


class RequestBodyLimit:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if refusal := self.refusal(request):
            return refusal
        response = self.get_response(request)
        response._resource_closers.append(partial(close_uploads, request))
        return response

    def process_exception(self, request, exception):
        # The client went away half way through its body: nothing to answer it, and no server error.
        if isinstance(exception, UnreadablePostError):
            logger.warning("A request body to %s was cut off: %s", request.path_info, exception)
            return plain(400, "The request body ended before its Content-Length said: the upload was cut off.")
        return None

    def refusal(self, request):
        allows, respond = _policy(request)
        length = request.META.get("CONTENT_LENGTH", "")
        chunked = "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
        if chunked or (length == "" and request.META.get("HTTP_TRANSFER_ENCODING")):
            return respond(411, "A request body needs a Content-Length header; chunked bodies are not accepted.")
        if length == "":
            return None  # no body: Django reads nothing
        if not DIGITS.fullmatch(length.strip()):
            return respond(400, "The Content-Length header is not a number of bytes.")
        size = int(length)
        if size <= form_limit():
            return None
        allowed = form_limit()
        # request.path, like reverse(), includes the prefix Dossier is served under (SCRIPT_NAME).
        if request.method == "POST" and request.path == reverse("admin:dossier_article_import") \
                and may_import(request):
            allowed = import_limit()
        elif request.method == "POST" and allows is not None and allows(request):
            allowed = import_limit()
        if size <= allowed:
            return None
        logger.warning("Refused a %s-byte body to %s (at most %s bytes)", size, request.path_info, allowed)
        return respond(413, f"The request is too large: {size} bytes, over the {allowed} bytes this page accepts.")
