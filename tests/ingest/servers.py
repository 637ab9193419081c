"""Real HTTP servers on 127.0.0.1 for fetcher and ingest tests: each path answers as a test wants."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Handler = Callable[[BaseHTTPRequestHandler], None]


class Routes:
    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.hits: list[str] = []
        self.headers: list[dict[str, str]] = []

    def add(self, path: str, handler: Handler) -> None:
        self.routes[path] = handler


def reply(status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> Handler:
    def handle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(status)
        for k, v in (headers or {"Content-Type": "text/html; charset=utf-8"}).items():
            h.send_header(k, v)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    return handle


def short_then_whole(body: bytes) -> Handler:
    """The first answer stops short of its Content-Length; later ones are whole."""
    calls = {"n": 0}

    def handle(h: BaseHTTPRequestHandler) -> None:
        calls["n"] += 1
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body if calls["n"] > 1 else body[: len(body) // 3])
        h.close_connection = True

    return handle


def trickle(seconds: float) -> Handler:
    def handle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.end_headers()
        end = time.monotonic() + seconds
        try:
            while time.monotonic() < end:
                h.wfile.write(b"a")
                h.wfile.flush()
                time.sleep(0.2)
        except OSError:
            pass

    return handle


@contextmanager
def serve(routes: Routes, host: str = "127.0.0.1") -> Iterator[str]:
    class H(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            routes.hits.append(self.path)
            routes.headers.append({k.lower(): v for k, v in self.headers.items()})
            handler = routes.routes.get(self.path.split("?")[0]) or reply(404, b"not found")
            handler(self)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer((host, 0), H)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
