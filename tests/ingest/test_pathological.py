"""Reliability-plan rows ING-1 (pathological HTML, a crashing parser), ING-3 (XML bombs and XXE in feeds),
ING-5 (what the parser libraries are given) and ING-8 (field caps), through the real ingest path."""

from __future__ import annotations

import os
import re
import signal
import time
from pathlib import Path

import pytest

from rashomon.ingest.worker import ParseFailure, Worker
from rashomon.store import Store
from tests.conftest import ROOT
from tests.ingest.test_ingest import BODY, page, run_over

PARAGRAPHS = "".join(f"<p>{p}</p>" for p in BODY.split("\n\n"))


def _html_fixtures() -> dict[str, bytes]:
    """ING-1: generated pages, each of which has broken some parser somewhere."""
    return {
        "unclosed": ("<html><body><article><h1>Bridge" + "<p>" + BODY.replace("\n\n", "<p>") + "<div><span>").encode(),
        "nested-40k": ("<html><body>" + "<div>" * 40_000 + PARAGRAPHS + "</div>" * 40_000 + "</body></html>").encode(),
        "table-20k-rows": (
            "<html><body><article>"
            + PARAGRAPHS
            + "<table>"
            + "<tr><td>x</td><td>y</td></tr>" * 20_000
            + "</table></article></body></html>"
        ).encode(),
        "links-100k": ("<html><body>" + PARAGRAPHS + '<a href="/x">l</a>' * 100_000 + "</body></html>").encode(),
        "text-node-1mib": ("<html><body><p>" + "word " * 210_000 + "</p></body></html>").encode(),
        "colspan-huge": (
            "<html><body><article>"
            + PARAGRAPHS
            + '<table><tr><td colspan="9007199254740991">x</td></tr></table></article></body></html>'
        ).encode(),
        "nul-bytes": page("Nul", BODY).replace(b"<p>", b"<p>\x00", 2),
        "binary-named-html": bytes(range(256)) * 200,
        "empty": b"",
        "only-tags": b"<html><head></head><body><div></div></body></html>",
        "script-only": b"<html><body><script>" + b"var a=1;" * 50_000 + b"</script></body></html>",
        "entities": (
            "<html><body><p>" + "&amp;&#x1F600;&#0;&#xD800;&bogus;" * 5000 + "</p>" + PARAGRAPHS + "</body></html>"
        ).encode(),
        "bidi-and-zero-width": page("Bidi", BODY.replace("river", "ri\u202ever\u200b")),
        "deep-inline": ("<html><body><p>" + "<b><i>" * 5000 + BODY + "</i></b>" * 5000 + "</p></body></html>").encode(),
    }


def test_pathological_html_ends_in_an_article_or_a_typed_failure(tmp_path: Path) -> None:
    fixtures = _html_fixtures()
    folder = tmp_path / "pages"
    folder.mkdir()
    for name, data in fixtures.items():
        (folder / f"{name}.html").write_bytes(data)
    start = time.monotonic()
    run = run_over(tmp_path / "r.db", [str(folder)])
    elapsed = time.monotonic() - start
    assert elapsed < 15 * len(fixtures)  # each bounded by the worker's 15 s
    failed = {Path(f.source).stem: f.kind for f in run.report.failures}
    assert run.report.added + run.report.duplicates + len(failed) == len(fixtures)
    assert set(failed.values()) <= {"invalid", "not_article", "timeout", "memory", "crashed"}, failed
    assert "binary-named-html" in failed and "empty" in failed
    with Store(tmp_path / "r.db") as store:
        for (text,) in store.db.execute("SELECT text FROM articles"):
            assert "\x00" not in text
            text.encode("utf-8")  # no lone surrogate from &#xD800;


def test_a_parser_killed_by_a_signal_is_a_crashed_failure_and_the_next_document_parses() -> None:
    worker = Worker(timeout=10)
    try:
        assert worker.run("html", page("First"), None)["text"]
        pid = worker.pid
        assert pid is not None
        os.kill(pid, signal.SIGSEGV)
        time.sleep(0.2)
        with pytest.raises(ParseFailure) as err:
            worker.run("html", page("Second"), None)
        assert err.value.kind == "crashed"
        assert "Bridge" in worker.run("html", page("Bridge closes"), None)["title"]  # a new worker
    finally:
        worker.stop()


BOMBS = {
    "billion-laughs": "<?xml version='1.0'?><!DOCTYPE r [<!ENTITY a 'lol'>"
    + "".join(f"<!ENTITY {chr(98 + i)} '{('&' + chr(97 + i) + ';') * 10}'>" for i in range(9))
    + "]><rss version='2.0'><channel><title>&j;</title><item><title>&j;</title><link>https://b.example/1</link></item></channel></rss>",
    "quadratic": "<?xml version='1.0'?><!DOCTYPE r [<!ENTITY a '"
    + "x" * 100_000
    + "'>]><rss version='2.0'><channel><item><title>"
    + "&a;" * 10_000
    + "</title><link>https://b.example/2</link></item></channel></rss>",
    "xxe-file": "<?xml version='1.0'?><!DOCTYPE r [<!ENTITY x SYSTEM 'file:///etc/hostname'>]>"
    "<rss version='2.0'><channel><title>&x;</title><item><title>&x;</title><description>&x; "
    + "word " * 200
    + "</description><link>https://b.example/3</link></item></channel></rss>",
    "external-dtd": "<?xml version='1.0'?><!DOCTYPE rss SYSTEM 'http://127.0.0.1:9/evil.dtd'>"
    "<rss version='2.0'><channel><item><title>t</title><description>"
    + "word " * 200
    + "</description></item></channel></rss>",
    "parameter-entities": "<?xml version='1.0'?><!DOCTYPE r [<!ENTITY % p SYSTEM 'file:///etc/passwd'> %p;]>"
    "<rss version='2.0'><channel><item><title>t</title></item></channel></rss>",
}


@pytest.mark.parametrize("name", BOMBS)
def test_xml_bombs_and_external_entities_in_feeds_are_bounded_and_never_read_files(name: str, tmp_path: Path) -> None:
    feed = tmp_path / f"{name}.rss"
    feed.write_text(BOMBS[name])
    start = time.monotonic()
    run = run_over(tmp_path / "r.db", [str(feed)])
    assert time.monotonic() - start < 20
    secrets = [Path(p).read_text().strip() for p in ("/etc/hostname", "/etc/passwd") if Path(p).is_file()]
    with Store(tmp_path / "r.db") as store:
        stored = " ".join(
            str(v)
            for row in store.db.execute("SELECT title, outlet, byline, text FROM articles")
            for v in row
            if v is not None
        )
        assert len(stored) < 5_000_000  # no entity expansion reached the store
    for secret in secrets:
        assert not secret or secret[:40] not in stored
    for failure in run.report.failures:
        assert failure.kind in (
            "invalid_feed",
            "not_article",
            "timeout",
            "memory",
            "crashed",
            "invalid",
            "robots",
            "refused",
            "dns",
            "connect",
        ), failure


def test_parser_libraries_never_get_a_path_or_a_url() -> None:
    """ING-5: feedparser only ever sees bytes, and no parser library fetches anything."""
    source = "\n".join(p.read_text() for p in (ROOT / "src" / "rashomon").rglob("*.py"))
    assert "fetch_url" not in source  # trafilatura's own downloader
    for call in re.findall(r"feedparser\.parse\(([^,)]*)", source):
        assert call.strip() == "data", call
    assert "resolve_entities=True" not in source
    for module in (ROOT / "src" / "rashomon").rglob("*.py"):
        text = module.read_text()
        if module.name != "fetch.py":
            assert not re.search(
                r"^\s*(import|from) (http\.client|urllib\.request|socket|httpx|requests)\b", text, re.M
            ), module


def test_feedparser_refuses_anything_but_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    import feedparser

    from rashomon.ingest.worker import parse_feed_bytes

    seen: list[type] = []
    real = feedparser.parse

    def trap(data, *args, **kw):
        seen.append(type(data))
        return real(data, *args, **kw)

    monkeypatch.setattr(feedparser, "parse", trap)
    parse_feed_bytes(b"<rss version='2.0'><channel><item><title>t</title></item></channel></rss>", None)
    assert seen == [bytes]
    with pytest.raises(AssertionError):
        parse_feed_bytes("/etc/hostname", None)  # type: ignore[arg-type]


def test_field_caps_hold_in_the_store(tmp_path: Path) -> None:
    """ING-8: a 1 MB title, 100,000 authors, a 10 MB body: nothing stored over its cap."""
    import json

    data = tmp_path / "big.jsonl"
    record = {
        "url": "https://big.example/1",
        "title": "T" * 1_000_000,
        "byline": ", ".join(f"Author {i}" for i in range(100_000)),
        "outlet": "O" * 100_000,
        "text": ("The council met again. " * 450_000),
    }
    data.write_text(json.dumps(record))
    run = run_over(tmp_path / "r.db", [str(data)])
    assert run.report.added == 1
    with Store(tmp_path / "r.db") as store:
        title, byline, outlet, text = store.db.execute("SELECT title, byline, outlet, text FROM articles").fetchone()
    assert len(title) <= 1000 and len(byline) <= 256 and len(text) <= 2_000_000
    assert len(outlet) <= 200
    assert any("longer than 2,000,000" in w for w in run.report.warnings)
