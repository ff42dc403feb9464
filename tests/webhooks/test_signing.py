import hashlib
import hmac

from webhooks import signing


def test_the_signature_is_hmac_sha256_of_the_timestamp_a_dot_and_the_body_in_hex():
    expected = hmac.new(b"s3cret", b"1700000000.{\"a\":1}", hashlib.sha256).hexdigest()
    assert signing.signature("s3cret", "1700000000", b'{"a":1}') == f"sha256={expected}"


def test_the_body_is_compact_sorted_utf8_json():
    assert signing.body({"b": "é", "a": [1, 2]}) == '{"a":[1,2],"b":"é"}'.encode()


def test_verify_accepts_the_genuine_signature_and_refuses_a_changed_body_secret_or_stale_time():
    content = signing.body({"event": "review.submitted"})
    header = signing.signature("key", "1000", content)

    assert signing.verify("key", "1000", content, header, now=1100)
    assert not signing.verify("key", "1000", content + b" ", header, now=1100)
    assert not signing.verify("other", "1000", content, header, now=1100)
    assert not signing.verify("key", "1000", content, header, now=1000 + signing.TOLERANCE + 1)
    assert not signing.verify("key", "-1000", content, header, now=1100)
