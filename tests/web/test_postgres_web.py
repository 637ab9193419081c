"""The web UI on a PostgreSQL store (a real server of the session's own): pages, search with PostgreSQL's
own full-text search, and the browser tests of reading a story, searching and adding a file."""

from __future__ import annotations

from pathlib import Path

import lxml.html

from tests.web import test_browser
from tests.web.browser import needs_chromium
from tests.web.server import Served

HTML = {"accept": "text/html"}


def test_pages_and_search_on_postgresql(pg_site: Served) -> None:
    with pg_site.client() as client:
        stories = client.get("/stories.json").json()
        assert len(stories["stories"]) == 1 and stories["stories"][0]["outlets"] == ["Realist English"]
        story = stories["stories"][0]["id"]
        page = lxml.html.fromstring(client.get(f"/stories/{story}", headers=HTML).text)
        assert page.cssselect("ol.summary a.cite") and page.cssselect("svg")
        found = client.get("/stories.json", params={"q": "Medinsky delegation"}).json()["stories"]
        assert [s["id"] for s in found] == [story]
        assert client.get("/stories.json", params={"q": "Atlantis"}).json()["stories"] == []
        for absurd in ("", "&&& !!! ((", "x" * 10_000, '"unclosed'):
            response = client.get("/stories", params={"q": absurd}, headers=HTML)
            assert response.status_code in (200, 400), absurd[:20]
        article = client.get(f"/stories/{story}.json").json()["report"]["articles"][0]["id"]
        assert client.get(f"/articles/{article}", headers=HTML).status_code == 200
        outlets = client.get("/outlets", headers=HTML)
        assert outlets.status_code == 200 and "Realist English" in outlets.text


@needs_chromium
def test_the_browser_reads_searches_and_adds_on_postgresql(pg_site: Served, tmp_path: Path) -> None:
    test_browser.test_open_a_story_and_click_a_citation(pg_site)
    test_browser.test_search_from_the_stories_page(pg_site)
    test_browser.test_ingest_a_file_from_the_add_page(pg_site, tmp_path)


def test_the_pages_come_back_after_the_server_restarts(pg_site: Served, postgres_server) -> None:  # type: ignore[no-untyped-def]
    with pg_site.client() as client:
        assert client.get("/stories.json").status_code == 200
        postgres_server.stop("fast")
        postgres_server.start()
        codes = [client.get("/stories.json").status_code for _ in range(3)]
        assert codes == [200, 200, 200], codes
