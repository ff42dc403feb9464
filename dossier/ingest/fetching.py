"""The one way Dossier reads the web: a fetcher that cannot be turned against the network it runs in.

Each hop's host is resolved once; every address must be public (loopback only with
DOSSIER_FETCH_ALLOW_LOOPBACK, for tests and closed networks), and the connection goes to the
address that was checked, the name kept for the Host header, TLS SNI and the certificate check.
Redirects are followed by hand (at most MAX_REDIRECTS), each hop checked the same way. The time
and size limits hold while the body streams in. Every refusal is a Refused naming the address
and one of the REASONS. post() sends a body (webhooks) through the same checks, following no redirect.
"""
import ipaddress
import socket
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from .drafts import BadInput

MAX_REDIRECTS = 5
USER_AGENT = "Dossier/0.1 (source-credibility annotation; +https://github.com/)"
_CHUNK = 64 * 1024
_REDIRECTS = {301, 302, 303, 307, 308}
# Pages and feeds: HTML, XHTML, and XML of any kind (RSS, Atom, sitemaps).
_HTML_TYPES = {"text/html", "application/xhtml+xml"}
_XML_TYPES = {"text/xml", "application/xml"}
_ACCEPT_PAGES = "text/html, application/xhtml+xml, application/xml;q=0.9, */*;q=0.1"

# The one list of refusal reasons: tests, reports and the README name these.
REASONS = {
    "bad_address": "not an http(s) address",
    "refused_address": "refused address",
    "unresolvable": "the host name does not resolve",
    "unreachable": "could not connect",
    "too_slow": "too slow",
    "too_large": "too large",
    "not_html": "not HTML or XML",
    "redirect_loop": "redirect loop",
    "too_many_redirects": "too many redirects",
    "http_error": "HTTP error",
    "redirected": "redirects are not followed",
}


class Refused(BadInput):
    """A fetch that was refused or failed; `reason` is a key of REASONS, the message names the address."""

    def __init__(self, url, reason, detail=""):
        self.url, self.reason, self.detail = url, reason, detail
        self.why = f"{REASONS[reason]}{f' ({detail})' if detail else ''}"  # the message without the address
        super().__init__(f"{url}: {self.why}")


@dataclass
class Fetched:
    """What one fetch brought back: the body (empty for a 304) and what the archive keeps of it."""

    url: str  # the final address, after redirects
    status: int
    content: bytes
    content_type: str = ""  # the media type, lower case, without parameters
    charset: str = ""
    http_date: datetime | None = None  # the response's Date header
    etag: str = ""
    last_modified: str = ""
    fetched_at: datetime = field(default_factory=timezone.now)

    @property
    def not_modified(self):
        return self.status == 304

    @property
    def is_html(self):
        return self.content_type in _HTML_TYPES


def refusal(ip):
    """Why this address may not be fetched (a phrase), or "" if it is a public one."""
    if isinstance(ip, ipaddress.IPv6Address) and (mapped := ip.ipv4_mapped or ip.sixtofour):
        return refusal(mapped)
    if ip.is_loopback:
        return "" if settings.DOSSIER_FETCH_ALLOW_LOOPBACK else "loopback"
    for kind in ("unspecified", "link_local", "multicast", "reserved", "private"):
        if getattr(ip, f"is_{kind}"):
            return kind.replace("_", "-")
    # Shared address space (100.64.0.0/10), documentation ranges, NAT64 and the like.
    return "" if ip.is_global else "not a public address"


def resolve(url, host, port):
    """Every address the host has, each checked; the first to connect to. Refused names any bad one."""
    try:
        ips = [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as error:
            raise Refused(url, "unresolvable", str(error)) from None
        ips = list(dict.fromkeys(ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos))
    for ip in ips:
        if why := refusal(ip):
            named = f"{host} is {ip}" if host.strip("[]") != str(ip) else str(ip)
            raise Refused(url, "refused_address", f"{named}, {why}")
    return ips[0]


def check_address(url):
    """(scheme, host, port) of an http(s) address with a host; Refused otherwise."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise Refused(url, "bad_address", str(error)) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused(url, "bad_address")
    if parts.username or parts.password:
        raise Refused(url, "bad_address", "addresses with a user name or password are not fetched")
    return parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80)


class Fetcher:
    """One client for a run of fetches (connections reused); `pace` seconds at least between two requests to
    one host (polling sets 1)."""

    def __init__(self, pace=0.0, timeout=None, max_bytes=None):
        self.pace = pace
        self.timeout = settings.DOSSIER_FETCH_TIMEOUT if timeout is None else timeout
        self.max_bytes = settings.DOSSIER_MAX_IMPORT_BYTES if max_bytes is None else max_bytes
        self.last_request = {}  # host -> time.monotonic() of the last request to it
        self.waited = 0.0  # seconds spent in fetch() (network, pace, the HTTP client): what the benchmark leaves out
        # trust_env=False: a proxy from the environment would make the connection, not us, so
        # the checked address would not be the one connected to.
        self.client = httpx.Client(trust_env=False, follow_redirects=False, headers={"User-Agent": USER_AGENT})

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        self.client.close()

    def fetch(self, url, etag="", last_modified=""):
        """GET the address, redirects followed by hand, every hop checked; Refused says why not."""
        began = time.monotonic()
        try:
            return self._fetch(url, etag, last_modified)
        finally:
            self.waited += time.monotonic() - began

    def _fetch(self, url, etag, last_modified):
        deadline = time.monotonic() + self.timeout
        seen, current = {url}, url
        for _ in range(MAX_REDIRECTS + 1):
            try:
                response = self._open(current, deadline, etag, last_modified)
            except Refused as error:
                if current == url:
                    raise
                # Named by the address asked for, saying where its redirect led.
                raise Refused(url, error.reason, f"redirected to {current}: {error.detail}") from None
            if response.status_code not in _REDIRECTS:
                return self._read(url, current, response, deadline)
            response.close()
            location = response.headers.get("location", "")
            if not location:
                raise Refused(url, "http_error", f"{response.status_code} redirect without a Location")
            current = urljoin(current, location)
            if current in seen:
                raise Refused(url, "redirect_loop", f"back to {current}")
            seen.add(current)
        raise Refused(url, "too_many_redirects", f"more than {MAX_REDIRECTS}")

    def post(self, url, content, headers):
        """POST the body once to the checked address; any status and content type comes back, but a redirect
        is Refused ("redirected"), as are the refusals fetch() makes.
        """
        began = time.monotonic()
        try:
            deadline = time.monotonic() + self.timeout
            response = self._open(url, deadline, method="POST", headers=headers, content=content)
            if response.status_code in _REDIRECTS:
                response.close()
                location = response.headers.get("location", "")
                raise Refused(url, "redirected", f"{response.status_code}{f' to {location}' if location else ''}")
            return self._read(url, url, response, deadline, types=None, errors=False)
        finally:
            self.waited += time.monotonic() - began

    def _open(self, url, deadline, etag="", last_modified="", method="GET", headers=None, content=None):
        """Send one request to the checked address of url's host; the response streams."""
        scheme, host, port = check_address(url)
        ip = resolve(url, host, port)
        self._wait_turn(host)
        request_url = httpx.URL(url).copy_with(host=str(ip))
        default_port = port == (443 if scheme == "https" else 80)
        if method == "GET":
            headers = {"Accept": _ACCEPT_PAGES, **(headers or {})}
        # The name the address was checked for, whatever the caller's headers say.
        headers = {**(headers or {}), "Host": host if default_port else f"{_bracketed(host)}:{port}"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        request = self.client.build_request(
            method, request_url, headers=headers, content=content, timeout=self._left(url, deadline),
            # TLS speaks to, and checks the certificate of, the name, not the address.
            extensions={"sni_hostname": host} if scheme == "https" else {},
        )
        try:
            return self.client.send(request, stream=True)
        except httpx.TimeoutException:
            raise Refused(url, "too_slow", f"no answer within {self.timeout:g} s") from None
        except httpx.HTTPError as error:
            raise Refused(url, "unreachable", str(error) or type(error).__name__) from None

    def _read(self, url, final, response, deadline, types=_HTML_TYPES | _XML_TYPES, errors=True):
        """The body, refused past the size or time limit, on an error status (unless errors=False), or on a
        type not in `types` (any type for None; `types` takes any +xml type too).
        """
        try:
            if response.status_code == 304:
                return self._fetched(final, response, b"")
            if errors and (response.status_code >= 400 or response.status_code < 200):
                raise Refused(url, "http_error", f"{response.status_code} {response.reason_phrase}".strip())
            media_type = response.headers.get("content-type", "").split(";", 1)[0].strip().lower()
            if types is not None and media_type not in types and not media_type.endswith("+xml"):
                raise Refused(url, "not_html", f"the content type is {media_type or 'not stated'}")
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > self.max_bytes:
                raise Refused(url, "too_large", self._over(int(declared)))
            chunks, size = [], 0
            try:
                for chunk in response.iter_raw(_CHUNK):
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise Refused(url, "too_large", self._over(size, "more than "))
                    self._left(url, deadline)
                    chunks.append(chunk)
            except httpx.TimeoutException:
                raise Refused(url, "too_slow", f"not read within {self.timeout:g} s") from None
            except httpx.HTTPError as error:
                raise Refused(url, "unreachable", str(error) or type(error).__name__) from None
            return self._fetched(final, response, b"".join(chunks), media_type)
        finally:
            response.close()

    def _fetched(self, final, response, content, media_type=""):
        headers = response.headers
        return Fetched(
            url=final, status=response.status_code, content=content, content_type=media_type,
            charset=response.charset_encoding or "", http_date=_http_date(next(iter(headers.get_list("date")), "")),
            etag=headers.get("etag", "")[:200], last_modified=headers.get("last-modified", "")[:100],
        )

    def _left(self, url, deadline):
        """Seconds left before the deadline; Refused once it has passed."""
        left = deadline - time.monotonic()
        if left <= 0:
            raise Refused(url, "too_slow", f"not read within {self.timeout:g} s")
        return left

    def _over(self, size, prefix=""):
        return f"{prefix}{filesizeformat(size)}, over the {filesizeformat(self.max_bytes)} limit"

    def _wait_turn(self, host):
        """At most one request per `pace` seconds to one host."""
        if self.pace and (last := self.last_request.get(host)) is not None:
            if (pause := last + self.pace - time.monotonic()) > 0:
                time.sleep(pause)
        self.last_request[host] = time.monotonic()


def fetch(url, **kwargs):
    """One address fetched with a fetcher of its own."""
    with Fetcher() as fetcher:
        return fetcher.fetch(url, **kwargs)


def _bracketed(host):
    return f"[{host}]" if ":" in host else host


def _http_date(value):
    """An HTTP date as an aware datetime (UTC when it names no zone), None if absent or unreadable."""
    try:
        moment = parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError):
        return None
    return moment.replace(tzinfo=UTC) if moment and moment.tzinfo is None else moment
