"""A real rashomon web server on 127.0.0.1 (uvicorn in a thread, a free port), for the web tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from rashomon.web.app import Settings, create_app
from rashomon.web.security import Access

TOKEN = "test-token-" + "x" * 40


@dataclass
class Served:
    base: str
    token: str | None
    app: Any

    def client(self, *, login: bool = True, **kw: Any) -> httpx.Client:
        """An HTTP client; logged in (session cookie) unless told otherwise."""
        client = httpx.Client(base_url=self.base, follow_redirects=False, timeout=30, **kw)
        if login and self.token:
            response = httpx.get(self.base + "/login", params={"token": self.token}, timeout=30)
            assert response.status_code == 303, response.text
            client.cookies.update(response.cookies)
        return client


@contextmanager
def serve(
    db: Path | str, *, token: str | None = TOKEN, password: str | None = None, **settings: Any
) -> Iterator[Served]:
    app = create_app(Settings(db=db, access=Access(token=token, password=password), **settings))
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="error", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield Served(f"http://127.0.0.1:{port}", token, app)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
