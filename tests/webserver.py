"""A local HTTP server for tests of fetching and of webhooks: routes set per test, requests recorded."""
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict = field(default_factory=dict)
    delay: float = 0.0  # seconds before the answer
    etag: str = ""  # answered 304 to a request with If-None-Match: this
    length: bool = True  # send Content-Length; without it the body ends when the connection closes


@dataclass
class Post:
    path: str
    headers: dict
    body: bytes


class WebServer:
    """Serves `routes` ({path: Route}) on 127.0.0.1; `requests` lists GETs as (path, headers) as they came,
    `posts` POSTs as Post (a webhook receiver's record)."""

    def __init__(self):
        self.routes, self.requests, self.posts = {}, [], []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                server.posts.append(Post(self.path, dict(self.headers), self.rfile.read(length)))
                self.answer()

            def do_GET(self):
                server.requests.append((self.path, dict(self.headers)))
                self.answer()

            def answer(self):
                route = server.routes.get(self.path, server.routes.get(self.path.split("?", 1)[0]))
                if route is None:
                    route = Route(b"<h1>Not found</h1>", status=404)
                if route.delay:
                    time.sleep(route.delay)
                if route.etag and self.headers.get("If-None-Match") == route.etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(route.status)
                if route.content_type:
                    self.send_header("Content-Type", route.content_type)
                if route.etag:
                    self.send_header("ETag", route.etag)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                if route.length and "Content-Length" not in route.headers:
                    self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                try:
                    self.wfile.write(route.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the fetcher stopped reading: what a size limit does

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def page(title, paragraphs, lang="en", extra=""):
    """A saved-page-like HTML document of an article: headline, byline-free paragraphs."""
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>{extra}</head>'
        f"<body><nav>Home News</nav><article><h1>{title}</h1>{body}</article>"
        f"<script>document.title='pwned'</script><footer>© Example</footer></body></html>"
    ).encode()
