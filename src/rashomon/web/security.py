"""The guard in front of every route: Host allowlist, authentication, CSRF, body limits, security headers.

One ASGI middleware, so that nothing (not an error page, not a static file)
escapes it (reliability-plan.md WEB-5 to WEB-9):

* **Host allowlist** (DNS rebinding, WEB-7): the Host header must name a
  loopback address or a host given with `--allow-host`; otherwise 400.
* **Authentication** (WEB-8): a random token (256 bits) printed at start-up.
  `/login?token=…` (or the login form, with the token or the password) sets a
  session cookie (an HMAC of the token: HttpOnly, SameSite=Strict, Secure on
  https); API clients send `Authorization: Bearer <token>`. Every other route
  but `/static/` answers 401 (JSON) or redirects to the login page (HTML). Ten
  failed logins from one client in a minute: 429.
* **CSRF** (WEB-6, the datasette matrix): an unsafe method is refused (403)
  when `Sec-Fetch-Site` is cross-site, same-site or cross-origin, or, without
  that header, when `Origin` does not match the Host; with neither header only a
  bearer token is accepted.
* **Body limits** (WEB-9): 2 MB for forms and JSON, 20 MB for uploads
  (multipart), by Content-Length (the server holds the body to it; a body
  without one is refused with 411); 413 beyond.
* **Headers** (WEB-5): a strict Content-Security-Policy with no inline script,
  nosniff, no referrer, same-origin opener, no framing.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import secrets
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]
FORM_LIMIT = 2 * 1024 * 1024
UPLOAD_LIMIT = 20 * 1024 * 1024
COOKIE = "rashomon_session"
LOGIN_FAILURES = 10  # per client per minute
OPEN_PATHS = ("/static/", "/login")
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def is_loopback(host: str) -> bool:
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def new_token() -> str:
    return secrets.token_urlsafe(32)  # 256 bits


@dataclass
class Access:
    """Who may come in: the token (None: no authentication, loopback only), an optional password,
    and the host names a request may use besides loopback ones."""

    token: str | None
    password: str | None = None
    hosts: frozenset[str] = frozenset()
    failures: dict[str, deque[float]] = field(default_factory=lambda: defaultdict(deque))

    @property
    def session(self) -> str:
        assert self.token is not None
        return hmac.new(self.token.encode(), b"rashomon session v1", hashlib.sha256).hexdigest()

    def token_ok(self, given: str | None) -> bool:
        return bool(self.token and given and hmac.compare_digest(given.encode(), self.token.encode()))

    def password_ok(self, given: str | None) -> bool:
        return bool(self.password and given and hmac.compare_digest(given.encode(), self.password.encode()))

    def session_ok(self, cookie: str | None) -> bool:
        return bool(self.token and cookie and hmac.compare_digest(cookie.encode(), self.session.encode()))

    def too_many_failures(self, client: str) -> bool:
        recent = self.failures[client]
        while recent and recent[0] < time.monotonic() - 60:
            recent.popleft()
        return len(recent) >= LOGIN_FAILURES

    def failed(self, client: str) -> None:
        self.failures[client].append(time.monotonic())

    def host_ok(self, host_header: str) -> bool:
        host = urlsplit("//" + host_header).hostname or ""
        return is_loopback(host) or host.lower() in self.hosts


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


def _cookies(header: str) -> dict[str, str]:
    out = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name:
            out[name] = value
    return out


class Guard:
    def __init__(self, app: ASGIApp, access: Access) -> None:
        self.app = app
        self.access = access

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        path = scope.get("path", "")
        method = scope.get("method", "GET")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [h for h in HEADERS if h[0] not in present]
            await send(message)

        host = headers.get("host", "")
        if not host or not self.access.host_ok(host):
            await _plain(send_with_headers, 400, "This server answers only to its own host names (Host refused).")
            return
        bearer = headers.get("authorization", "")
        by_bearer = bearer.lower().startswith("bearer ") and self.access.token_ok(bearer[7:].strip())
        if method in UNSAFE:
            refusal = _csrf(headers, host, by_bearer)
            if refusal:
                await _plain(send_with_headers, 403, refusal)
                return
        if self.access.token is not None and not path.startswith(OPEN_PATHS):
            cookie = _cookies(headers.get("cookie", "")).get(COOKIE)
            if not (by_bearer or self.access.session_ok(cookie)):
                await _unauthenticated(send_with_headers, scope, headers)
                return
        limit = UPLOAD_LIMIT if headers.get("content-type", "").startswith("multipart/form-data") else FORM_LIMIT
        length = headers.get("content-length")
        if "transfer-encoding" in headers:  # chunked bodies are refused: the length is checked up front
            await _plain(send_with_headers, 411, "A request body needs a Content-Length.")
            return
        if length is not None and (not length.isdigit() or int(length) > limit):
            await _plain(send_with_headers, 413, f"Request body over {limit // (1024 * 1024)} MB.")
            return
        await self.app(scope, receive, send_with_headers)


def _csrf(headers: dict[str, str], host: str, by_bearer: bool) -> str | None:
    """Why an unsafe request is refused as cross-site, or None (Filippo Valsorda's Sec-Fetch-Site/Origin check)."""
    site = headers.get("sec-fetch-site")
    origin = headers.get("origin")
    if site is not None:
        if site in ("same-origin", "none"):
            return None
        return f"Cross-site request refused (Sec-Fetch-Site: {site})."
    if origin is not None:
        if origin != "null" and urlsplit(origin).netloc.lower() == host.lower():
            return None
        return "Cross-origin request refused (Origin does not match Host)."
    if by_bearer:
        return None
    return "Request refused: a browser request without Sec-Fetch-Site or Origin; API clients send a bearer token."


async def _plain(
    send: Send,
    status: int,
    text: str,
    extra: list[tuple[bytes, bytes]] | None = None,
    content_type: bytes = b"text/plain; charset=utf-8",
) -> None:
    body = text.encode()
    headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers + (extra or [])})
    await send({"type": "http.response.body", "body": body})


async def _unauthenticated(send: Send, scope: Scope, headers: dict[str, str]) -> None:
    """A browser asking for a page goes to the login page (and back after); anything else gets 401."""
    path = scope.get("path", "/")
    wants_html = (
        scope.get("method") == "GET" and not path.endswith(".json") and "text/html" in headers.get("accept", "")
    )
    if wants_html:
        query = scope.get("query_string", b"").decode("latin-1")
        target = path + ("?" + query if query else "")
        location = "/login?next=" + quote(target, safe="")
        await _plain(send, 303, "Log in first.", [(b"location", location.encode())])
        return
    body = json.dumps({"error": "unauthenticated", "fix": "log in at /login, or send Authorization: Bearer <token>"})
    await _plain(send, 401, body, [(b"www-authenticate", b"Bearer")], content_type=b"application/json")


def safe_next(value: str | None) -> str:
    """A redirect target after login: a local path only (never //host or a scheme)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value
