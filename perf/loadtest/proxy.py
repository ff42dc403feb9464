"""A tiny TCP load balancer for the load test: each client connection goes to the next app server in turn.

    python perf/loadtest/proxy.py --port 8000 --backend 127.0.0.1:8001 --backend 127.0.0.1:8002 [--stats FILE]

It forwards bytes and knows nothing of HTTP, as a layer-4 balancer would. gunicorn's sync workers
close the connection after every response, so every request opens a new connection and the next
server takes it: one reviewer's requests land on both servers in turn, which is what the shape
tests (sessions, CSRF and writes shared through the database, not a server's memory). A server
that refuses the connection is skipped for the next. On SIGTERM or SIGINT it writes the
connections each backend took as JSON to --stats and exits. Standard library only.
"""
import argparse
import asyncio
import itertools
import json
import signal
import sys

CHUNK = 64 * 1024


class Proxy:
    """Round-robin over `backends` ([(host, port)]); counts the connections each one took."""

    def __init__(self, backends):
        self.backends = list(backends)
        self.connections = [0] * len(self.backends)
        self.refused = 0  # connections a backend refused (the next one took them)
        self.dropped = 0  # client connections no backend took
        self._turn = itertools.cycle(range(len(self.backends)))

    async def serve(self, host, port):
        """An asyncio server listening on host:port (port 0: any free one)."""
        return await asyncio.start_server(self.handle, host, port)

    async def handle(self, client_reader, client_writer):
        upstream = await self._connect()
        if upstream is None:
            self.dropped += 1
            client_writer.close()
            return
        backend_reader, backend_writer = upstream
        # Request bytes flow on in the background; the connection ends when the server's side does.
        sending = asyncio.create_task(_pipe(client_reader, backend_writer, half_close=True))
        try:
            await _pipe(backend_reader, client_writer)
        finally:
            sending.cancel()
            for writer in (client_writer, backend_writer):
                writer.close()

    async def _connect(self):
        for _ in self.backends:
            index = next(self._turn)
            try:
                connection = await asyncio.open_connection(*self.backends[index])
            except OSError:
                self.refused += 1
                continue
            self.connections[index] += 1
            return connection
        return None

    def stats(self):
        return {
            "backends": [f"{host}:{port}" for host, port in self.backends],
            "connections": self.connections,
            "refused": self.refused,
            "dropped": self.dropped,
        }


async def _pipe(reader, writer, half_close=False):
    """Copy until end of stream; `half_close` passes the end on (the client is done sending) but keeps reading."""
    try:
        while data := await reader.read(CHUNK):
            writer.write(data)
            await writer.drain()
        if half_close and writer.can_write_eof():
            writer.write_eof()
    except (ConnectionError, OSError):
        pass  # either side went away: the connection ends, as it would through any balancer


def backend(text):
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit():
        raise argparse.ArgumentTypeError(f"expected HOST:PORT, not {text!r}")
    return host, int(port)


async def main(args):
    proxy = Proxy(args.backend)
    server = await proxy.serve(args.host, args.port)
    stopped = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopped.set)
    async with server:
        await stopped.wait()
    if args.stats:
        with open(args.stats, "w", encoding="utf-8") as out:
            json.dump(proxy.stats(), out)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--backend", type=backend, action="append", required=True, help="HOST:PORT, repeated")
    parser.add_argument("--stats", help="write the connections per backend here as JSON on exit")
    asyncio.run(main(parser.parse_args()))
    sys.exit(0)
