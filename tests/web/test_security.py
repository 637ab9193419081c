"""WEB-3 and WEB-5 to WEB-9 of reliability-plan.md, against a real server on 127.0.0.1."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from rashomon.web.app import environment
from rashomon.web.security import CSP, new_token
from tests.conftest import ROOT
from tests.web.server import Served, serve

ROUTES = [
    "/",
    "/stories",
    "/stories.json",
    "/stories/1",
    "/stories/1.json",
    "/outlets",
    "/outlets.json",
    "/add",
    "/add.json",
    "/jobs/1",
    "/nope",
    "/static/app.css",
    "/static/app.js",
    "/login",
]


def test_every_route_sends_the_security_headers(site: Served) -> None:
    with site.client() as client:
        for path in ROUTES:
            response = client.get(path, headers={"accept": "text/html"})
            assert response.headers["content-security-policy"] == CSP, path
            assert response.headers["x-content-type-options"] == "nosniff"
            assert response.headers["referrer-policy"] == "no-referrer"
            assert response.headers["cross-origin-opener-policy"] == "same-origin"
            assert response.headers["x-frame-options"] == "DENY"
    for part in ("unsafe-inline", "unsafe-eval", "*"):
        assert part not in CSP
    assert "script-src 'self'" in CSP and "frame-ancestors 'none'" in CSP and "base-uri 'none'" in CSP
    with site.client(login=False) as anonymous:  # refusals carry them too
        for response in (anonymous.get("/stories"), anonymous.get("/x", headers={"host": "evil.test"})):
            assert response.headers["content-security-policy"] == CSP


@pytest.mark.parametrize("host", ["evil.test:8000", "127.0.0.1.evil.test", "localhost.evil.test", "10.0.0.1", ""])
def test_foreign_host_headers_are_refused_on_every_route(site: Served, host: str) -> None:
    with site.client() as client:
        for path in ROUTES:
            assert client.get(path, headers={"host": host}).status_code == 400, (host, path)


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "[::1]:8000", "LOCALHOST:1"])
def test_loopback_host_names_are_served(site: Served, host: str) -> None:
    with site.client() as client:
        assert client.get("/stories.json", headers={"host": host}).status_code == 200


def test_a_configured_host_name_is_served(seed_db: Path) -> None:
    from rashomon.web.security import Access

    assert Access(token=None, hosts=frozenset({"news.lan"})).host_ok("news.lan:8000")
    assert not Access(token=None, hosts=frozenset({"news.lan"})).host_ok("news.lan.evil.test")


def test_authentication(site: Served) -> None:
    with site.client(login=False) as anonymous:
        page = anonymous.get("/stories/1?x=1", headers={"accept": "text/html"})
        assert page.status_code == 303 and page.headers["location"] == "/login?next=%2Fstories%2F1%3Fx%3D1"
        assert anonymous.get("/stories.json").status_code == 401
        assert anonymous.get("/static/app.css").status_code == 200
        assert anonymous.get("/stories.json", headers={"authorization": f"Bearer {site.token}"}).status_code == 200
        assert anonymous.get("/stories.json", headers={"authorization": "Bearer wrong"}).status_code == 401
        assert anonymous.get("/stories.json", headers={"cookie": "rashomon_session=forged"}).status_code == 401
        login = anonymous.get("/login", params={"token": site.token, "next": "//evil.test/x"})
        assert login.status_code == 303 and login.headers["location"] == "/"  # never off-site
        cookie = login.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie and "path=/" in cookie
        assert site.token not in login.headers["set-cookie"]  # the cookie is an HMAC, not the token
        assert anonymous.get("/stories.json").status_code == 200


def test_failed_logins_are_limited(site: Served) -> None:
    with site.client(login=False) as client:
        codes = [client.get("/login", params={"token": f"bad{i}"}).status_code for i in range(11)]
        assert codes[:10] == [401] * 10 and codes[10] == 429
        assert client.get("/login", params={"token": site.token}).status_code == 429  # for the rest of the minute


def test_logins_from_another_site_neither_count_nor_lock_the_user_out(site: Served) -> None:
    with site.client(login=False) as client:
        for i in range(20):  # what <img src="http://127.0.0.1:PORT/login?token=…"> on a hostile page sends
            answer = client.get("/login", params={"token": f"bad{i}"}, headers={"Sec-Fetch-Site": "cross-site"})
            assert answer.status_code == 403
        own = client.get("/login", params={"token": site.token}, headers={"Sec-Fetch-Site": "none"})
        assert own.status_code == 303
    with site.client(login=False) as client:  # nor can another site try the token or password
        answer = client.get("/login", params={"token": site.token}, headers={"Sec-Fetch-Site": "same-site"})
        assert answer.status_code == 403 and "set-cookie" not in answer.headers


def test_password_login(seed_db: Path, tmp_path: Path) -> None:
    import shutil

    db = tmp_path / "p.db"
    shutil.copy(seed_db, db)
    with serve(db, password="correct horse battery staple") as served, served.client(login=False) as client:
        form = {"secret": "correct horse battery staple", "next": "/outlets"}
        response = client.post("/login", data=form, headers={"sec-fetch-site": "same-origin"})
        assert response.status_code == 303 and response.headers["location"] == "/outlets"
        assert client.get("/outlets.json").status_code == 200


def test_tokens_are_256_bits() -> None:
    tokens = {new_token() for _ in range(50)}
    assert len(tokens) == 50 and all(len(t) >= 43 for t in tokens)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_refuses_a_public_address_without_authentication(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "rashomon.cli",
            "serve",
            "--db",
            str(tmp_path / "r.db"),
            "--host",
            "0.0.0.0",
            "--port",
            str(_free_port()),
            "--no-token",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "refusing to listen on 0.0.0.0 without authentication" in done.stderr


def test_serve_prints_a_login_url_and_serves(tmp_path: Path) -> None:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "rashomon.cli", "serve", "--db", str(tmp_path / "r.db"), "--port", str(port)],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stderr is not None
        lines = [proc.stderr.readline(), proc.stderr.readline()]
        match = re.search(r"open (http://127\.0\.0\.1:\d+/login\?token=(\S+))", lines[1])
        assert match and len(match.group(2)) >= 43, lines
        import httpx

        for _ in range(100):
            try:
                response = httpx.get(match.group(1), follow_redirects=True, timeout=5)
                break
            except httpx.ConnectError:
                import time

                time.sleep(0.1)
        assert response.status_code == 200 and "Stories" in response.text
    finally:
        proc.terminate()
        proc.wait(timeout=10)


SITES = ["cross-site", "same-site", "cross-origin", "same-origin", "none", None]
ORIGINS = ["match", "mismatch", None]


@pytest.mark.parametrize("site_header", SITES)
@pytest.mark.parametrize("origin", ORIGINS)
def test_csrf_matrix(site: Served, site_header: str | None, origin: str | None) -> None:
    """Each mutating route × Sec-Fetch-Site × Origin, with a session cookie (the browser case)."""
    with site.client() as client:
        headers = {"content-type": "application/json"}
        if site_header:
            headers["sec-fetch-site"] = site_header
        if origin:
            headers["origin"] = site.base if origin == "match" else "http://evil.test"
        expected_ok = site_header in ("same-origin", "none") or (site_header is None and origin == "match")
        for path, body in (("/add.json", b'{"urls": []}'), ("/login", b"secret=x")):
            response = client.post(path, content=body, headers=headers)
            if expected_ok:
                assert response.status_code != 403, (path, site_header, origin)
            else:
                assert response.status_code == 403, (path, site_header, origin)


def test_without_browser_headers_only_a_bearer_token_may_post(site: Served) -> None:
    with site.client(login=False) as client:
        body = {"urls": ["https://example.invalid/a"]}
        assert client.post("/add.json", json=body).status_code == 403
        assert (
            client.post("/add.json", json={"urls": []}, headers={"authorization": f"Bearer {site.token}"}).status_code
            == 400
        )


def test_wrong_methods_and_content_types(site: Served) -> None:
    with site.client() as client:
        same = {"sec-fetch-site": "same-origin"}
        assert client.delete("/add", headers=same).status_code == 405
        assert client.put("/add.json", headers=same, content=b"{}").status_code == 405
        form = client.post("/add.json", data={"urls": "https://example.invalid/"}, headers=same)
        assert form.status_code == 415
        text = client.post("/add.json", content=b"urls", headers={**same, "content-type": "text/plain"})
        assert text.status_code == 415


def test_request_limits(site: Served) -> None:
    with site.client() as client:
        same = {"sec-fetch-site": "same-origin"}
        big_json = b'{"urls": ["' + b"a" * (3 * 1024 * 1024) + b'"]}'
        assert (
            client.post("/add.json", content=big_json, headers={**same, "content-type": "application/json"}).status_code
            == 413
        )
        upload = {"files": ("big.txt", b"x" * (25 * 1024 * 1024), "text/plain")}
        assert client.post("/add", files=upload, headers=same).status_code == 413
        fields = "&".join(f"f{i}=1" for i in range(10_000)).encode()
        response = client.post(
            "/add", content=fields, headers={**same, "content-type": "application/x-www-form-urlencoded"}
        )
        assert response.status_code == 400

        def chunks():  # no Content-Length: refused before reading
            yield b'{"urls": []}'

        chunked = client.post("/add.json", content=chunks(), headers={**same, "content-type": "application/json"})
        assert chunked.status_code == 411
        assert client.get("/stories.json", params={"q": '"'}).status_code == 400
        assert client.get("/stories.json", params={"from": "yesterday"}).status_code == 400
        too_long = client.get("/stories.json", params={"q": "a" * 201})
        assert too_long.status_code == 400 and "the query is not valid (q:" in too_long.json()["error"]
        assert client.get("/stories/abc", headers={"accept": "text/html"}).status_code == 404  # a bad path part


def test_templates_escape_whatever_their_name() -> None:
    env = environment()
    names = env.list_templates()
    assert {"base.html", "story.html", "stories.html", "article.html", "add.html"} <= set(names)
    assert env.autoescape is True
    assert env.from_string("{{ x }}").render(x="<script>x</script>") == "&lt;script&gt;x&lt;/script&gt;"
    folder = resources.files("rashomon.web").joinpath("templates")
    for name in names:
        source = folder.joinpath(name).read_text("utf-8")
        assert "|safe" not in source.replace(" ", "") and "Markup(" not in source, name
        assert not re.search(r"<script(?![^>]*\bsrc=\"/static/)", source), name  # no inline script
        assert not re.search(r"\son[a-z]+\s*=", source), name  # no inline event handler
        assert "style=" not in source, name  # no inline style (CSP style-src 'self')
    import rashomon.web

    web = Path(rashomon.web.__file__).parent
    for path in web.rglob("*.py"):
        text = path.read_text()
        assert "Markup(" not in text and "|safe" not in text, path
    # the one module that vouches for markup: the SVG pictures, whose every text it escapes
    vouching = {p.relative_to(web.parent).as_posix() for p in web.parent.rglob("*.py") if "Markup(" in p.read_text()}
    assert vouching == {"write/pictures.py"}


def test_a_slow_query_is_stopped_at_the_time_limit(seed_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from rashomon.web import data

    monkeypatch.setattr(data, "SEARCH_SECONDS", 0.2)
    reader = data.Reader(seed_db)
    slow = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n WHERE i < ?"
    started = time.monotonic()
    with pytest.raises(data.BadQuery, match="took too long"):
        reader._timed(slow, (10**12,))
    assert time.monotonic() - started < 2.0
    assert reader._timed("SELECT count(*) FROM articles", ()) == [(5,)]  # the connection still works


def test_out_of_range_numbers_and_deep_json_are_client_errors(site: Served) -> None:
    with site.client() as client:
        for path in (
            "/stories/99999999999999999999",
            "/stories/99999999999999999999.json",
            "/jobs/99999999999999999999.json",
            "/stories/0",
        ):
            assert client.get(path).status_code == 404, path
        deep = "[" * 100_000 + "]" * 100_000
        answer = client.post(
            "/add.json", content=deep, headers={"content-type": "application/json", "sec-fetch-site": "same-origin"}
        )
        assert answer.status_code == 400 and "nested" in answer.json()["error"]
