"""Per-token (or per-session-user) rate limits in Django's cache: a fixed window of DOSSIER_API_RATE_WINDOW
seconds allows DOSSIER_API_RATE_LIMIT requests; over it the answer is 429 with Retry-After.

The cache must be shared by the server's processes (Redis, Memcached or the database cache) for the
limit to be one limit; the default local-memory cache counts per process.
"""
import time

from django.conf import settings
from django.core.cache import cache

from .errors import ApiError


def check(who):
    """Count one request for `who` ("token:12", "user:3"); ApiError(429) once over the limit."""
    limit, window = settings.DOSSIER_API_RATE_LIMIT, settings.DOSSIER_API_RATE_WINDOW
    if not limit:
        return
    now = time.time()
    start = int(now // window * window)
    key = f"api-rate:{who}:{start}"
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr: count this one as the first
        cache.set(key, 1, timeout=window + 1)
        count = 1
    if count > limit:
        retry = max(1, int(start + window - now + 0.999))
        raise ApiError(429, f"Over {limit} requests in {window} seconds: retry in {retry} s.",
                       headers={"Retry-After": str(retry)})
