"""The load test's balancer (perf/loadtest/proxy.py): bytes both ways, each connection to the next server in turn."""
import asyncio
import http.client
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from perf.loadtest.proxy import Proxy


def backend_server(name):
    """An HTTP/1.1 server (keep-alive) answering with its name, the path and the body it was sent."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            answer = f"{name} {self.path} ".encode() + body
            self.send_response(200)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.connections = 0
    accept = server.get_request

    def counted():
        server.connections += 1
        return accept()

    server.get_request = counted
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def balanced():
    """A proxy in front of backends a and b, plus a port nothing listens on, given third."""
    servers = [backend_server("a"), backend_server("b")]
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        nobody = closed.getsockname()
    proxy = Proxy([server.server_address[:2] for server in servers] + [nobody])
    loop = asyncio.new_event_loop()
    running = threading.Thread(target=loop.run_forever, daemon=True)
    running.start()
    # Served from the loop's own thread: after the browser tests, Playwright's loop runs in this one.
    listening = asyncio.run_coroutine_threadsafe(proxy.serve("127.0.0.1", 0), loop).result(5)
    yield proxy, listening.sockets[0].getsockname()[1], servers
    asyncio.run_coroutine_threadsafe(_close(listening), loop).result(5)
    loop.call_soon_threadsafe(loop.stop)
    running.join(5)
    loop.close()
    for server in servers:
        server.shutdown()


async def _close(listening):
    listening.close()
    pending = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)


def post(connection, path, body):
    connection.request("POST", path, body=body)
    response = connection.getresponse()
    return response.status, response.read()


def test_each_connection_goes_to_the_next_backend_with_every_byte_both_ways(balanced):
    proxy, port, servers = balanced
    body = bytes(range(256)) * 1000  # 256 kB: more than one read's chunk, in both directions
    answers = []
    for number in range(4):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        answers.append(post(connection, f"/{number}", body))
        connection.close()

    assert answers == [(200, f"{name} /{number} ".encode() + body) for number, name in enumerate("abab")]
    # The third backend refused: its turn went to the next one, and no client was dropped.
    assert proxy.connections == [2, 2, 0] and proxy.refused == 1 and proxy.dropped == 0
    assert proxy.stats()["connections"] == [2, 2, 0]


def test_a_kept_alive_connection_stays_with_its_backend(balanced):
    proxy, port, servers = balanced
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    answers = [post(connection, f"/{number}", b"x") for number in range(3)]
    connection.close()

    assert answers == [(200, f"a /{number} x".encode()) for number in range(3)]
    assert [server.connections for server in servers] == [1, 0]
