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


def test_the_verifying_snippet_in_the_docs_accepts_a_delivery_signed_here_and_refuses_a_forged_one():
    import re
    import time
    from pathlib import Path

    docs = Path(__file__).resolve().parents[2] / "docs" / "webhooks.md"
    (snippet,) = re.findall(r"```python\n(.*?)```", docs.read_text(encoding="utf-8"), re.S)
    namespace = {}
    exec(snippet, namespace)  # the docs' own code, as a receiver would paste it
    content = signing.body({"event": "article.imported", "data": {"article": {"id": 1}}})
    timestamp = str(int(time.time()))
    headers = {signing.TIMESTAMP_HEADER: timestamp,
               signing.SIGNATURE_HEADER: signing.signature("s", timestamp, content)}

    assert namespace["verify"]("s", headers, content)
    assert not namespace["verify"]("s", headers, content.replace(b"1", b"2"))
    stale = str(int(timestamp) - 301)
    assert not namespace["verify"]("s", {signing.TIMESTAMP_HEADER: stale,
                                         signing.SIGNATURE_HEADER: signing.signature("s", stale, content)}, content)
