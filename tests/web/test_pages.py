"""The pages and their JSON twins over a real store and server: the seed story, search, filters,
highlighting, outlets, adding files, and a story compared in the background."""

from __future__ import annotations

import json
import time
from pathlib import Path

import lxml.html

from rashomon.compare import canonical_order
from rashomon.corpus import story_articles
from rashomon.store import Store
from tests.web.server import Served

HTML = {"accept": "text/html"}
SAME = {"sec-fetch-site": "same-origin"}


def test_stories_page_and_twin(site: Served) -> None:
    with site.client() as client:
        data = client.get("/stories.json").json()
        (story,) = data["stories"]
        assert story["articles"] == 5 and story["independent_outlets"] == 5 and story["id"] == 1
        page = lxml.html.fromstring(client.get("/stories", headers=HTML).text)
        (item,) = page.cssselect("li.story")
        assert item.cssselect("a.title")[0].get("href") == "/stories/1"
        assert "5 articles · 5 independent outlets" in item.text_content()
        assert item.cssselect("svg.bar rect.indep")  # the coverage bar
        assert page.cssselect("footer a")[0].get("href") == "/stories.json"


def test_search_and_filters(site: Served) -> None:
    with site.client() as client:

        def ids(**params: str) -> list[int]:
            response = client.get("/stories.json", params=params)
            assert response.status_code == 200, response.text
            return [s["id"] for s in response.json()["stories"]]

        assert ids(q="Medinsky") == [1]
        assert ids(q="medinsky delegation") == [1]  # every word, any case
        assert ids(q="Atlantis") == []
        assert ids(q='Medinsky" OR "x') == [1]  # FTS syntax is taken as words, never as operators
        assert ids(outlet="Realist English") == [1] and ids(outlet="Nobody") == []
        assert ids(**{"from": "2025-05-17"}) == [1] and ids(**{"from": "2025-05-18"}) == []
        assert ids(to="2025-05-16") == [] and ids(to="2025-05-17") == [1]
        page = client.get("/stories", params={"q": "Atlantis"}, headers=HTML).text
        assert "No story matches." in page


def test_story_page_shows_the_comparison(site: Served, seed_db: Path) -> None:
    with site.client() as client:
        twin = client.get("/stories/1.json").json()
        assert twin["status"] == "ready"
        report = twin["report"]
        assert report["schema_version"] == "1.2" and "view" not in report
        assert len(report["articles"]) == 5 and report["facts"] and report["summary"]
        page = lxml.html.fromstring(client.get("/stories/1", headers=HTML).text)
        rows = page.cssselect("table.matrix tbody tr")
        assert len(rows) >= 5 and all(len(r.cssselect("td.cell")) == 5 for r in rows)
        assert any(c.text_content() == "●" for c in page.cssselect("td.cell.states"))
        assert report["contradictions"]  # the seed story has them
        assert page.cssselect("#contradictions .conflict blockquote")
        assert page.cssselect("#voices table.voices tbody tr")
        assert page.cssselect("#naming li") or not report["terms"]
        # every summary citation names characters of an article shown beside it
        texts = {a["id"]: a["text"] for a in report["articles"]}
        cites = page.cssselect("ol.summary a.cite")
        assert cites
        for cite in cites:
            article, start, end = cite.get("data-article"), int(cite.get("data-start")), int(cite.get("data-end"))
            assert page.cssselect(f"#art-{article} .text")
            assert 0 <= start < end <= len(texts[article])
            assert cite.get("href") == f"/articles/{article}?hl={start}-{end}#hl"  # without JavaScript too
        # the reader's segments rebuild each article's text exactly
        for article_id, text in texts.items():
            (pane,) = page.cssselect(f"#art-{article_id} .text")
            assert pane.text_content() == text
    with Store(seed_db) as store:
        stored = story_articles(store, 1)
    assert sorted(a.id for a in stored) == sorted(a["id"] for a in report["articles"])
    assert [a["id"] for a in report["articles"]] == [a.id for a in canonical_order(stored)]


def test_article_page_marks_the_cited_passage(site: Served) -> None:
    with site.client() as client:
        report = client.get("/stories/1.json").json()["report"]
        citation = report["summary"][0]["citations"][0]
        article, start, end = citation["article"], citation["start"], citation["end"]
        page = lxml.html.fromstring(
            client.get(f"/articles/{article}", params={"hl": f"{start}-{end}"}, headers=HTML).text
        )
        marked = "".join(s.text_content() for s in page.cssselect(".text span.hl"))
        assert marked == citation["text"]
        assert (
            page.cssselect(".text span#hl")[0].text_content()
            == citation["text"][: len(page.cssselect("#hl")[0].text_content())]
        )
        assert page.cssselect(".text")[0].text_content() == next(
            a["text"] for a in report["articles"] if a["id"] == article
        )
        assert page.cssselect(".text span.quote") or page.cssselect(".text span.fact")  # its highlights
        twin = client.get(f"/articles/{article}.json").json()
        assert twin["article"]["story_id"] == 1 and twin["segments"]
        assert client.get("/articles/nope", headers=HTML).status_code == 404


def test_outlet_pages(site: Served) -> None:
    with site.client() as client:
        outlets = {o["outlet"]: o for o in client.get("/outlets.json").json()["outlets"]}
        # the seed story names one outlet (a dateline); the others are unknown, and no file's name stands in
        assert outlets["Realist English"]["stories"] == 1
        assert not any(name.startswith("00") for name in outlets) and "" not in outlets
        profile = client.get("/outlets/Realist%20English.json").json()
        assert profile["stories"] == 1 and profile["compared_stories"] == 1 and profile["facts"] > 0
        assert profile["recent_stories"][0]["id"] == 1
        page = client.get("/outlets/Realist%20English", headers=HTML).text
        assert "Stories covered" in page and "Facts it alone reports" in page
        assert client.get("/outlets/Nobody", headers=HTML).status_code == 404


def wait_for(client, path: str, done, timeout: float = 120):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while True:
        response = client.get(path)
        if done(response):
            return response
        assert time.monotonic() < deadline, response.text[:500]
        time.sleep(0.3)


BRIDGE = (
    "The city council voted on Tuesday to close the old bridge over the river after engineers found deep cracks. "
    "Mayor Ana Duarte said the closure would last at least six months.\n\n"
    "Engineers told the council that the bridge, built in 1931, could not carry buses safely."
)


def test_adding_files_makes_a_story_compared_in_the_background(site: Served, tmp_path: Path) -> None:
    with site.client() as client:
        files = [
            ("files", ("../../Daily Courier.txt", BRIDGE.encode(), "text/plain")),
            (
                "files",
                (
                    "evening-post.txt",
                    BRIDGE.replace("deep cracks", "wide cracks").replace("1931", "1932").encode()
                    + b"\n\nThe ferry starts on Monday.",
                    "text/plain",
                ),
            ),
            ("files", ("empty.txt", b"", "text/plain")),
        ]
        response = client.post("/add", files=files, data={"urls": ""}, headers=SAME)
        assert response.status_code == 303 and response.headers["location"].startswith("/jobs/")
        job_path = response.headers["location"]
        job = wait_for(client, job_path + ".json", lambda r: r.json()["state"] == "done").json()
        assert job["added"] == 2 and [f["kind"] for f in job["failures"]] == ["invalid"]  # the empty file
        assert job["labels"] == ["Daily Courier.txt", "evening-post.txt", "empty.txt"]  # no folder part kept
        assert job["failures"][0]["source"] == "empty.txt"  # the user's name, not the server's temporary path
        assert "rashomon-upload-" not in json.dumps(job) and "/tmp" not in json.dumps(job)
        assert len(job["stories"]) == 1
        page = client.get(job_path, headers=HTML).text
        assert "Done." in page and "empty.txt" in page
        story = job["stories"][0]
        first = client.get(f"/stories/{story}.json")
        assert first.status_code == 202 and first.json()["status"] in ("queued", "running")
        pending = client.get(f"/stories/{story}", headers=HTML).text
        assert 'http-equiv="refresh"' in pending and "Comparing the 2 articles" in pending
        ready = wait_for(client, f"/stories/{story}.json", lambda r: r.status_code == 200, timeout=300).json()
        # a file's name is no outlet: with none named in the form, both are of unknown outlet
        assert [a["outlet"] for a in ready["report"]["articles"]] == [None, None]
        shown = client.get(f"/stories/{story}", headers=HTML).text
        assert 'http-equiv="refresh"' not in shown and "outlet unknown" in shown and "evening-post" not in shown


def test_an_outlet_named_in_the_add_form_is_the_uploaded_files_outlet(site: Served) -> None:
    with site.client() as client:
        text = BRIDGE.replace("deep cracks", "hairline cracks").encode()
        form = {"urls": "", "outlet": "  The   Daily Courier "}
        response = client.post("/add", files=[("files", ("x.txt", text, "text/plain"))], data=form, headers=SAME)
        job = wait_for(client, response.headers["location"] + ".json", lambda r: r.json()["state"] == "done").json()
        assert job["added"] == 1 and job["outlet"] == "The Daily Courier"
        profile = client.get("/outlets/The%20Daily%20Courier.json")
        assert profile.status_code == 200 and profile.json()["articles"] == 1
        assert "x" not in {o["outlet"] for o in client.get("/outlets.json").json()["outlets"]}


def test_add_refuses_bad_input(site: Served) -> None:
    with site.client() as client:
        bad = client.post("/add", data={"urls": "file:///etc/passwd"}, headers={**SAME, **HTML})
        assert bad.status_code == 400 and "not an http(s) URL" in bad.text
        empty = client.post("/add", data={"urls": "  "}, headers={**SAME, **HTML})
        assert empty.status_code == 400 and "at least one URL or one file" in empty.text
        too_many = "\n".join(f"https://example.invalid/{i}" for i in range(201))
        assert client.post("/add", data={"urls": too_many}, headers=SAME).status_code == 400


def test_twins_are_json_everywhere(site: Served) -> None:
    with site.client() as client:
        for path in ("/stories.json", "/stories/1.json", "/outlets.json", "/add.json"):
            response = client.get(path)
            assert response.headers["content-type"].startswith("application/json")
            json.loads(response.text)


def test_every_page_links_its_json_twin(site: Served) -> None:
    with site.client() as client:
        article = client.get("/stories/1.json").json()["report"]["articles"][0]
        pages = [
            "/stories",
            "/stories?q=Medinsky",
            "/stories/1",
            f"/articles/{article['id']}",
            "/outlets",
            "/outlets/Realist%20English",
            "/add",
        ]
        for path in pages:
            page = lxml.html.fromstring(client.get(path, headers=HTML).text)
            (link,) = page.cssselect("footer a")
            twin = client.get(link.get("href"))
            assert twin.status_code == 200 and twin.headers["content-type"].startswith("application/json"), path
        for path in ("/nope", "/login"):  # pages without a twin do not offer one
            page = lxml.html.fromstring(client.get(path, headers=HTML).text)
            assert not page.cssselect("footer a"), path


def test_an_uploaded_warc_bomb_is_a_short_failure_and_the_server_stays_small(site: Served) -> None:
    """The red team's 51 KB upload raised the server by 362 MB and kept 262 MB in /jobs/N.json: the WARC is now
    read, bounded, in a worker process, and the failure message is short."""
    import gzip
    import io
    import re

    def peak_mb() -> float:  # this process's peak resident memory since the last reset
        status = Path("/proc/self/status").read_text()
        return int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024  # type: ignore[union-attr]

    raw = io.BytesIO()
    with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9) as fh:
        for _ in range(200):
            fh.write(b"\0" * (1 << 20))
    Path("/proc/self/clear_refs").write_text("5")  # reset the peak to the current size
    before = peak_mb()
    with site.client() as client:
        files = [("files", ("crawl.warc.gz", raw.getvalue(), "application/gzip"))]
        response = client.post("/add", files=files, data={"urls": ""}, headers=SAME)
        assert response.status_code == 303
        job_path = response.headers["location"]
        job = wait_for(client, job_path + ".json", lambda r: r.json()["state"] == "done")
    after = peak_mb()
    (failure,) = job.json()["failures"]
    assert failure["kind"] == "invalid" and failure["source"] == "crawl.warc.gz"
    assert len(job.content) < 5_000
    assert after - before < 100  # MB: the server process never held the decompressed zeros


def test_a_long_story_title_is_cut_at_a_word_with_an_ellipsis(site: Served, tmp_path: Path) -> None:
    import sqlite3

    title = ("The first direct meeting between the Kremlin and Kyiv delegations since the war began " * 3)[:200]
    assert not title.endswith(" ")  # stored as older versions stored it: cut mid-word at 200 characters
    with sqlite3.connect(tmp_path / "site.db") as db:  # the site fixture's store
        db.execute("UPDATE stories SET title = ? WHERE id = 1", (title,))
    with site.client() as client:
        for path, selector in (("/stories", "li.story a.title"), ("/stories/1", "h1")):
            page = lxml.html.fromstring(client.get(path, headers=HTML).text)
            shown = page.cssselect(selector)[0].text_content()
            assert shown.endswith("…") and len(shown) <= 121, path
            assert title.startswith(shown[:-1]) and title[len(shown) - 1] == " ", path  # cut before a space
