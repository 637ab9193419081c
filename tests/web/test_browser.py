"""WEB-1 and WEB-2 (several hundred XSS vectors in every field, in a real headless Chromium) and the
main paths a user takes, with screenshots written to build/test-artifacts (RASHOMON_ARTIFACTS)."""

from __future__ import annotations

import json
import re
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import lxml.html
import pytest

from rashomon.fetch import Fetcher
from rashomon.ingest import IngestRun
from rashomon.store import Store
from rashomon.web.work import Analyst
from tests.conftest import EXAMPLE
from tests.web.browser import browser, needs_chromium, shot
from tests.web.server import Served, serve
from tests.web.xss import vectors

pytestmark = needs_chromium
PICTURE_TAGS = {"svg", "g", "title", "text", "circle", "rect", "line", "path"}
GROUP = 10


def no_dns(host: str, port: int) -> list[str]:
    raise socket.gaierror(-2, "Name or service not known")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Served, list[str]]]:
    """A store whose every field holds an XSS vector: title, outlet, byline, text and URL of each of
    320 articles (32 stories of 10, two of them compared), plus an ingest job whose given URLs hold them."""
    folder = tmp_path_factory.mktemp("xss")
    found = vectors()
    source = folder / "hostile.jsonl"
    with source.open("w") as fh:
        for i, vector in enumerate(found):
            k = i // GROUP
            text = (
                f"Officials in Town{k}ville said on Monday that the Quarry{k} bridge will close for repairs, "
                f"report {i} says. {vector} Mayor Person{k} said the work on the Quarry{k} bridge would take "
                f'{k + 2} months. "We cannot wait," said engineer Expert{k} on Monday. Report {i} ends here.'
            )
            record = {
                "title": vector,
                "outlet": f"{vector} #{i}",
                "byline": vector,
                "text": text,
                "url": "https://news.invalid/" + vector,
                "date": "2026-03-02",
            }
            fh.write(json.dumps(record) + "\n")
    db = folder / "hostile.db"
    with Store(db) as store:
        run = IngestRun(store, processes=0)
        run.source(str(source))
        run.close()
        assert run.report.added == len(found), run.report.failures[:3]
        sizes = dict(store.db.execute("SELECT id, size FROM stories"))
    analysed = [sid for sid, size in sorted(sizes.items()) if size >= 5][:2]
    for story_id in analysed:
        Analyst(db, use_spacy=True).analyse(story_id)
    with serve(db, fetcher=Fetcher(resolver=no_dns)) as served:
        with served.client() as client:  # an ingest job whose given URLs (its "feed names") hold vectors
            urls = "\n".join(f"https://h{i}.invalid/{quote(v, safe='')}" for i, v in enumerate(found[:40]))
            urls += "\n" + "\n".join(
                f"https://h{i}.invalid/{v}" for i, v in enumerate(found[40:80], 40) if "\n" not in v
            )
            response = client.post("/add", data={"urls": urls}, headers={"sec-fetch-site": "same-origin"})
            assert response.status_code == 303, response.text[:300]
            job = response.headers["location"]
            deadline = time.monotonic() + 120
            while client.get(job + ".json").json()["state"] != "done":
                assert time.monotonic() < deadline
                time.sleep(0.3)
        yield served, [str(s) for s in analysed]


def pages(served: Served) -> list[str]:
    with served.client() as client:
        stories = []
        page = 1
        while True:
            data = client.get("/stories.json", params={"page": page}).json()
            stories += [s["id"] for s in data["stories"]]
            if not data["more"]:
                break
            page += 1
        articles: list[str] = []
        for story in stories[:6]:
            twin = client.get(f"/stories/{story}.json").json()
            if twin["status"] == "ready":
                articles += [a["id"] for a in twin["report"]["articles"]]
        outlets = [o["outlet"] for o in client.get("/outlets.json").json()["outlets"]]
        ids = [r["id"] for r in client.get("/add.json").json()["jobs"]]
    urls = ["/stories", "/outlets", "/add"] + [f"/stories?page={p}" for p in range(2, page + 1)]
    urls += [f"/stories/{s}" for s in stories]
    urls += [f"/articles/{a}?hl=0-40" for a in articles]
    urls += ["/outlets/" + quote(o, safe="") for o in outlets[::4]]
    urls += [f"/jobs/{j}" for j in ids]
    urls += ["/stories?q=" + quote(v, safe="") for v in vectors()[::4]]
    urls += ["/stories?outlet=" + quote(v, safe="") + "&from=" + quote(v[:20], safe="") for v in vectors()[::20]]
    urls += ["/login?next=" + quote(v, safe="") for v in vectors()[::40]]
    return urls


def test_the_detectors_see_a_script_that_runs() -> None:
    """The harness itself: an alert and a request to another host are caught (so a clean run means something)."""
    with browser() as (page, watch):
        page.set_content('<script>alert(1)</script><img src="http://exfil.invalid/x.gif">')
        page.wait_for_timeout(300)
        assert watch.dialogs == ["alert: 1"] and watch.escaped == ["http://exfil.invalid/x.gif"]


UNSAFE_ATTRS = re.compile(r"^on", re.I)


def test_xss_vectors_never_run(hostile: tuple[Served, list[str]]) -> None:
    served, analysed = hostile
    urls = pages(served)
    assert len(urls) > 150
    pictures = 0
    with served.client() as client:  # WEB-1: the served HTML itself
        for url in urls:
            response = client.get(url, headers={"accept": "text/html"})
            assert response.status_code in (200, 400, 404), url
            tree = lxml.html.fromstring(response.text)
            scripts = [s.get("src") for s in tree.iter("script")]
            assert scripts == ["/static/app.js"], url
            for el in tree.iter():
                if not isinstance(el.tag, str):
                    continue
                assert el.tag not in ("iframe", "object", "embed", "base", "svg", "img", "link", "style") or (
                    el.tag in ("svg", "link") and el.get("class") in ("bar", "picture", None)
                ), (url, el.tag)
                if el.tag == "svg":  # rashomon's own drawings: shapes and escaped text, nothing else
                    assert {e.tag for e in el.iter()} <= PICTURE_TAGS, (url, {e.tag for e in el.iter()})
                    pictures += el.get("class") == "picture"
                for name, value in el.attrib.items():
                    assert not UNSAFE_ATTRS.match(name), (url, el.tag, name)
                    if name in ("href", "src", "action", "formaction", "xlink:href"):
                        assert not value.strip().lower().startswith(("javascript:", "vbscript:", "data:")), (url, value)
            for meta in tree.iter("meta"):
                assert meta.get("http-equiv") in (None, "refresh"), url
                if meta.get("http-equiv"):
                    assert re.fullmatch(r"\d+", meta.get("content", "")), url
    assert pictures >= 3  # the outlet map (hostile outlet names) and the pictures of the compared stories
    with browser() as (page, watch):  # WEB-2: in Chromium, nothing runs and nothing leaves 127.0.0.1
        page.goto(f"{served.base}/login?token={served.token}")
        for url in urls:
            page.goto(served.base + url, wait_until="load")
            page.keyboard.press("Tab")  # give autofocus/onfocus vectors their chance
        for story in analysed:  # click every citation of the compared stories
            page.goto(f"{served.base}/stories/{story}")
            for cite in page.query_selector_all("a.cite")[:40]:
                cite.click()
        page.wait_for_timeout(500)
        assert watch.clean(), (watch.dialogs[:5], watch.errors[:5], watch.escaped[:5])
        shot(page, "xss-story")
    # the vectors were really on the pages, as text
    with served.client() as client:
        text = client.get(f"/stories/{analysed[0]}", headers={"accept": "text/html"}).text
        assert "&lt;script&gt;" in text or "&lt;img" in text or "&lt;svg" in text


def test_open_a_story_and_click_a_citation(site: Served) -> None:
    with browser() as (page, watch):
        page.goto(f"{site.base}/login?token={site.token}&next=/stories")
        page.click("li.story a.title")
        page.wait_for_selector("ol.summary a.cite")
        shot(page, "story")
        cite = page.query_selector_all("ol.summary a.cite")[2]
        article, start, end = (cite.get_attribute(k) for k in ("data-article", "data-start", "data-end"))
        cite.click()
        marked = page.eval_on_selector_all(
            f"#art-{article} .text span.hl", "els => els.map(e => e.textContent).join('')"
        )
        text = page.eval_on_selector(f"#art-{article} .text", "e => e.textContent")
        assert text[int(start) : int(end)] in marked and len(marked) < len(text[int(start) : int(end)]) + 400
        # the smooth scroll brings the passage into view (it takes longer the further it goes)
        page.wait_for_function(
            """sel => { const r = document.querySelector(sel).getBoundingClientRect();
                        return r.top >= 0 && r.bottom <= innerHeight }""",
            arg=f"#art-{article} .text span.hl",
            timeout=5000,
        )
        assert page.query_selector_all(f"#art-{article} .text span.hl")
        assert "on" in (cite.get_attribute("class") or "")
        shot(page, "story-citation")
        assert watch.clean()


def test_without_javascript_a_citation_opens_the_article_at_the_passage(site: Served) -> None:
    from playwright.sync_api import sync_playwright

    from tests.web.browser import ARGS, CHROMIUM

    with sync_playwright() as p:
        chrome = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = chrome.new_context(java_script_enabled=False)
        page = context.new_page()
        page.goto(f"{site.base}/login?token={site.token}&next=/stories/1")
        page.click("ol.summary a.cite >> nth=0")
        assert "/articles/" in page.url and "hl=" in page.url
        assert page.query_selector_all(".text span.hl")
        shot(page, "article-no-js")
        chrome.close()


def test_search_from_the_stories_page(site: Served) -> None:
    with browser() as (page, watch):
        page.goto(f"{site.base}/login?token={site.token}&next=/stories")
        page.fill("input[name=q]", "Medinsky")
        page.click("form.search button")
        page.wait_for_load_state()
        assert "q=Medinsky" in page.url and len(page.query_selector_all("li.story")) == 1
        page.fill("input[name=q]", "Atlantis")
        page.click("form.search button")
        page.wait_for_load_state()
        assert page.query_selector("p.empty") and not page.query_selector_all("li.story")
        page.goto(f"{site.base}/stories")
        page.fill("#filter", "zzzz")  # the page filter, in JavaScript
        assert page.eval_on_selector("li.story", "e => e.hidden")
        shot(page, "search")
        assert watch.clean()


def test_ingest_a_file_from_the_add_page(site: Served, tmp_path: Path) -> None:
    story = tmp_path / "Harbour Gazette.txt"
    story.write_text(
        "The harbour authority closed the northern pier on Friday after a storm damaged its supports. "
        "Director Lena Vos said repairs would take three weeks.\n\nFishing boats will use the southern pier."
    )
    with browser() as (page, watch):
        page.goto(f"{site.base}/login?token={site.token}&next=/add")
        page.set_input_files("input[name=files]", str(story))
        page.click("form.add button")
        page.wait_for_url(re.compile(r"/jobs/\d+"))
        page.wait_for_selector("p.status.done", timeout=60_000)
        assert page.inner_text("#added") == "1"
        shot(page, "add-job")
        page.click("ul.touched a")
        page.wait_for_load_state()
        assert "harbour authority closed the northern pier" in page.content()
        assert watch.clean()


def test_phone_layout_has_no_sideways_scroll(site: Served) -> None:
    with browser(viewport={"width": 390, "height": 844}) as (page, watch):
        page.goto(f"{site.base}/login?token={site.token}&next=/stories/1")
        page.wait_for_selector("ol.summary")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390 + 1
        shot(page, "phone-story")
        assert watch.clean()


@pytest.fixture(scope="module")
def named(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The bundled story with each article's outlet named, compared: the outlet map has five outlets."""
    db = tmp_path_factory.mktemp("named") / "named.db"
    outlets = {p.name: f"Outlet {p.name[:3]}" for p in sorted(EXAMPLE.glob("00[0-3]_*.txt"))}
    with Store(db) as store:
        run = IngestRun(store, processes=0, outlets=outlets)
        run.source(str(EXAMPLE))
        run.close()
    Analyst(db).analyse(1)
    with serve(db) as served:
        yield served


def test_the_story_page_and_the_outlets_page_draw_their_pictures_without_script(named: Served) -> None:
    from playwright.sync_api import sync_playwright

    from tests.web.browser import ARGS, CHROMIUM

    with sync_playwright() as p:
        chrome = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = chrome.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900}).new_page()
        page.goto(f"{named.base}/login?token={named.token}&next=/stories/1")
        for picture, marks in (("#matrix-picture svg", "circle"), ("#timeline-picture svg", "circle")):
            box = page.locator(picture).bounding_box()
            assert box and box["width"] > 200 and box["height"] > 60, picture
            assert page.locator(f"{picture} {marks}").count() >= 5
        assert page.locator("#matrix-picture svg g.row").count() == page.locator("table.matrix tbody tr").count()
        page.locator("#matrix-picture").screenshot(path=str(shot_path("picture-matrix")))
        page.locator("#timeline-picture").screenshot(path=str(shot_path("picture-timeline")))
        page.goto(f"{named.base}/outlets")
        assert page.locator("#outlet-map svg g.outlet").count() == 5
        names = page.eval_on_selector_all("#outlet-map svg g.outlet text", "els => els.map(e => e.textContent)")
        assert sorted(names) == ["Outlet 000", "Outlet 001", "Outlet 002", "Outlet 003", "Realist English"]
        page.locator("#outlet-map").screenshot(path=str(shot_path("picture-outlet-map")))
        phone = chrome.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844}).new_page()
        for path in ("/stories/1", "/outlets"):
            phone.goto(f"{named.base}/login?token={named.token}&next={path}")
            assert phone.evaluate("document.documentElement.scrollWidth") <= 391, path
        chrome.close()


def shot_path(name: str) -> Path:
    from tests.web.browser import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / f"{name}.png"
