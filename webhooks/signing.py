"""The signature a webhook delivery carries, and its check: HMAC-SHA256 of "<timestamp>.<body>" with the
hook's secret, sent as X-Dossier-Signature: sha256=<hex>. Plain functions, no database (docs/webhooks.md).
"""
import hashlib
import hmac
import json

EVENT_HEADER = "X-Dossier-Event"
DELIVERY_HEADER = "X-Dossier-Delivery"
TIMESTAMP_HEADER = "X-Dossier-Timestamp"
SIGNATURE_HEADER = "X-Dossier-Signature"
# A receiver should refuse a timestamp further than this from its clock: a recorded delivery replayed later.
TOLERANCE = 300


def body(payload):
    """The exact bytes sent and signed: compact JSON, UTF-8."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def signature(secret, timestamp, content):
    """The X-Dossier-Signature value for this timestamp (a string of Unix seconds) and body (bytes)."""
    message = timestamp.encode("ascii") + b"." + content
    return "sha256=" + hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def verify(secret, timestamp, content, signature_header, now, tolerance=TOLERANCE):
    """Whether a delivery is genuine and fresh: what a receiver checks (docs/webhooks.md has a standalone copy)."""
    if not timestamp.isdigit() or abs(now - int(timestamp)) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, timestamp, content), signature_header)
