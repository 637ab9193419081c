"""`rashomon ingest` and the corpus commands on real files, real feeds over loopback HTTP, and a real SQLite file."""

from __future__ import annotations

import gzip
import io
import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from rashomon.fetch import Fetcher
from rashomon.ingest import IngestRun, canonical_url
from rashomon.store import Store
from tests.conftest import EXAMPLE, run_cli
from tests.ingest.servers import Routes, reply, serve

PUBLIC = "127.0.0.2"
BODY = (
    "The city council voted on Tuesday to close the old bridge over the river after engineers found deep cracks. "
    "Mayor Ana Duarte said the closure would last at least six months. Commuters will use a ferry service instead.\n\n"
    "Engineers told the council that the bridge, built in 1931, could not carry buses safely. "
    "Repairs are expected to cost 12 million euros, the city said."
)


class _Result:
    def __init__(self, done) -> None:
        self.returncode = done.returncode
        self.stdout = done.stdout.decode()
        self.stderr = done.stderr.decode()


def cli(*args: str) -> _Result:
    return _Result(run_cli(*args))


def page(title: str, body: str = BODY) -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{paragraphs}</article></body></html>".encode()


def run_over(db: Path, sources: list[str], **kw) -> IngestRun:
    with Store(db) as store:
        run = IngestRun(store, **kw)
        try:
            for s in sources:
                run.source(s)
        finally:
            run.close()
    return run


def test_seed_story_ingested_once_and_grouped_as_one_story(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    first = cli("ingest", str(EXAMPLE), "--db", str(db))
    assert first.returncode == 0, first.stderr
    assert "5 added" in first.stderr
    again = cli("ingest", str(EXAMPLE), "--db", str(db))
    assert "0 added" in again.stderr and "5 already stored" in again.stderr
    listing = json.loads(cli("stories", "--db", str(db), "--json").stdout)
    assert len(listing) == 1 and listing[0]["articles"] == 5 and listing[0]["independent_outlets"] == 5


def test_show_writes_the_same_report_as_compare(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    cli("ingest", str(EXAMPLE), "--db", str(db))
    shown = cli("show", "1", "--db", str(db), "-o", str(tmp_path / "s.json"))
    assert shown.returncode == 0, shown.stderr
    cli("compare", str(EXAMPLE), "-o", str(tmp_path / "c.json"))
    a, b = (json.loads((tmp_path / n).read_text()) for n in ("s.json", "c.json"))
    for key in ("facts", "contradictions", "terms", "voices", "summary"):
        assert a[key] == b[key], key
    missing = cli("show", "99", "--db", str(db))
    assert missing.returncode == 2 and "no story 99" in missing.stderr


def test_jsonl_bad_lines_are_typed_failures_and_the_rest_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    lines = [
        json.dumps(
            {
                "text": BODY,
                "title": "Bridge closed",
                "outlet": "Daily",
                "date": "2025-03-04",
                "url": "https://daily.example/b?utm_source=x",
            }
        ),
        "{broken",
        json.dumps({"title": "no text"}),
        json.dumps(
            {"html": page("Bridge shut").decode(), "outlet": "Courier", "url": "https://courier.example/bridge"}
        ),
    ]
    path.write_text("\n".join(lines) + "\n")
    result = cli("ingest", str(path), "--db", str(tmp_path / "r.db"))
    assert result.returncode == 1
    assert "2 added" in result.stderr and "2 failed" in result.stderr
    assert f"{path}:2" in result.stderr and f"{path}:3" in result.stderr
    with Store(tmp_path / "r.db") as store:
        rows = store.db.execute("SELECT url, outlet, published FROM articles ORDER BY url").fetchall()
        assert rows[1] == ("https://daily.example/b", "Daily", "2025-03-04")
        assert store.db.execute("SELECT count(*) FROM failures").fetchone()[0] == 2


@pytest.mark.parametrize(
    "variant",
    [
        "http://daily.example/b",
        "https://www.daily.example/b/",
        "https://daily.example/b#top",
        "https://daily.example/b?utm_medium=social&fbclid=abc",
        "https://daily.example/b/amp",
        "https://amp.daily.example/b?amp",
    ],
)
def test_url_variants_are_one_url(variant: str) -> None:
    assert canonical_url(variant) == canonical_url("https://daily.example/b")
    assert canonical_url(canonical_url(variant)) == canonical_url(variant)


def test_url_variant_is_not_fetched_or_stored_twice(tmp_path: Path) -> None:
    routes = Routes()
    routes.add("/story", reply(200, page("Bridge closed")))
    with serve(routes, PUBLIC) as base:
        fetcher = Fetcher(allow=frozenset({PUBLIC}), ports=None, min_gap=0)
        run_over(tmp_path / "r.db", [f"{base}/story"], fetcher=fetcher)
        again = run_over(tmp_path / "r.db", [f"{base}/story?utm_source=feed#x"], fetcher=fetcher)
    assert routes.hits == ["/story"]
    assert again.report.duplicates == 1 and again.report.added == 0


def test_feed_over_http_with_robots_conditional_get_and_bad_entries(tmp_path: Path) -> None:
    routes = Routes()
    items = (
        "".join(f"<item><title>Story {i}</title><link>{{base}}/a{i}</link><guid>g{i}</guid></item>" for i in range(3))
        + "<item><title>Bad</title><link>javascript:alert(1)</link></item>"
    )
    routes.add("/robots.txt", reply(200, b"User-agent: *\nDisallow: /a2\n", {"Content-Type": "text/plain"}))
    for i in range(3):
        routes.add(f"/a{i}", reply(200, page(f"Story {i}", BODY.replace("Tuesday", f"day {i}"))))
    with serve(routes, PUBLIC) as base:
        feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Daily</title>{items.format(base=base)}</channel></rss>'
        state = {"n": 0}

        def feed_handler(h) -> None:
            state["n"] += 1
            if h.headers.get("If-None-Match") == '"f1"':
                reply(304, b"", {"ETag": '"f1"'})(h)
            else:
                reply(200, feed.encode(), {"Content-Type": "application/rss+xml", "ETag": '"f1"'})(h)

        routes.add("/feed.xml", feed_handler)
        fetcher = Fetcher(allow=frozenset({PUBLIC}), ports=None, min_gap=0)
        run = run_over(tmp_path / "r.db", [f"{base}/feed.xml"], fetcher=fetcher)
        assert run.report.added == 2
        kinds = sorted(f.kind for f in run.report.failures)
        assert kinds == ["not_article", "robots"]
        assert "/a2" not in routes.hits
        with Store(tmp_path / "r.db") as store:
            store.db.execute("UPDATE feeds SET polled_at = '2000-01-01T00:00:00+00:00'")
        second = run_over(tmp_path / "r.db", [f"{base}/feed.xml"], fetcher=fetcher)
        assert second.report.added == 0
        assert routes.headers[-1].get("if-none-match") == '"f1"'


def test_opml_dead_feed_and_refused_feed_are_reported(tmp_path: Path) -> None:
    opml = tmp_path / "feeds.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><body>'
        '<outline text="dead" xmlUrl="http://127.0.0.2:1/feed"/>'
        '<outline text="inside" xmlUrl="http://10.0.0.1/feed"/>'
        "</body></opml>"
    )
    run = run_over(tmp_path / "r.db", [str(opml)], fetcher=Fetcher(allow=frozenset({PUBLIC}), ports=None, min_gap=0))
    kinds = sorted(f.kind for f in run.report.failures)
    assert kinds == ["refused", "refused"] or kinds == ["connect", "refused"]
    assert run.report.added == 0


def test_hostile_feed_is_stopped_and_the_others_are_ingested(tmp_path: Path) -> None:
    slow = tmp_path / "slow.rss"
    author = "a@" + "a." * 32_000
    slow.write_text(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>t</title>'
        f"<author>{author}</author><description>d</description></item></channel></rss>"
    )
    good = tmp_path / "good.rss"
    long_body = " ".join([BODY] * 3)
    good.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Good</title><item><title>Bridge</title>'
        f"<link>https://good.example/1</link><description><![CDATA[<p>{long_body}</p>]]></description></item></channel></rss>"
    )
    run = run_over(tmp_path / "r.db", [str(slow), str(good)], parse_timeout=2.0)
    assert [f.kind for f in run.report.failures] == ["timeout"]
    assert run.report.added == 1


def test_warc_records_and_a_truncated_warc(tmp_path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for i in range(3):
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                f"https://paper.example/{i}",
                "response",
                payload=io.BytesIO(page(f"S{i}", BODY.replace("six", str(i + 6)))),
                http_headers=headers,
            )
            writer.write_record(record)
    run = run_over(tmp_path / "r.db", [str(path)])
    assert run.report.added == 3 and not run.report.failures
    cut = tmp_path / "cut.warc.gz"
    data = path.read_bytes()
    cut.write_bytes(data[: len(data) - 100])  # inside the last record's gzip member, never on a boundary
    run2 = run_over(tmp_path / "r2.db", [str(cut)])
    assert [f.kind for f in run2.report.failures] == ["truncated"]
    assert run2.report.added >= 1


def test_near_copy_is_linked_and_not_an_independent_outlet(tmp_path: Path) -> None:
    a = tmp_path / "wire.txt"
    b = tmp_path / "reprint.txt"
    a.write_text("Outlet: Wire\n\n" + BODY)
    b.write_text("Outlet: Reprint\n\n" + BODY.replace("Commuters will use", "Commuters can use"))
    run = run_over(tmp_path / "r.db", [str(a), str(b)])
    assert run.report.copies == 1
    with Store(tmp_path / "r.db") as store:
        from rashomon.corpus import stories

        (story,) = stories(store)
        assert story.articles == 2 and story.independent_outlets == 1 and story.copies == 1


def test_export_formats_round_trip(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    cli("ingest", str(EXAMPLE), "--db", str(db))
    for fmt in ("jsonl", "csv", "parquet"):
        out = tmp_path / fmt
        result = cli("export", str(out), "--db", str(db), "--format", fmt)
        assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in (tmp_path / "jsonl" / "articles.jsonl").read_text().splitlines()]
    assert len(rows) == 5 and all(r["story_id"] == 1 for r in rows)
    import csv

    with (tmp_path / "csv" / "stories.csv").open() as fh:
        assert [r["articles"] for r in csv.DictReader(fh)] == ["5"]
    import pyarrow.parquet as pq

    assert pq.read_table(tmp_path / "parquet" / "articles.parquet").num_rows == 5


def test_outlets_profile(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    names = [f"--outlet={p.name}=Outlet {p.name[:3]}" for p in sorted(EXAMPLE.glob("00[0-3]_*.txt"))]
    cli("ingest", str(EXAMPLE), "--db", str(db), *names)
    result = cli("outlets", "--db", str(db), "--json")
    assert result.returncode == 0, result.stderr
    profiles = json.loads(result.stdout)
    assert len(profiles) == 5 and all(p["stories"] == 1 and p["compared_stories"] == 1 for p in profiles)
    assert all(p["facts"] > 0 for p in profiles)
    assert any(p["loaded_per_1000_words"] > 0 for p in profiles)
    assert sum(p["single_source_facts"] for p in profiles) > 0
    again = json.loads(cli("outlets", "--db", str(db), "--json").stdout)
    assert again == profiles  # the stored analyses are reused, the figures the same
    assert any(p["voices"] for p in profiles) and any(p["naming"] for p in profiles)


def test_an_unknown_outlet_is_stored_as_unknown_and_counted_as_its_own(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    cli("ingest", str(EXAMPLE), "--db", str(db))
    listing = json.loads(cli("stories", "--db", str(db), "--json").stdout)
    # four articles name no outlet: none is credited to a file's name, and each counts as an outlet of its own
    assert listing[0]["outlets"] == ["Realist English"] and listing[0]["independent_outlets"] == 5
    assert [p["outlet"] for p in json.loads(cli("outlets", "--db", str(db), "--json").stdout)] == ["Realist English"]
    cli("export", str(tmp_path / "x"), "--db", str(db), "--format", "jsonl")
    rows = [json.loads(line) for line in (tmp_path / "x" / "articles.jsonl").read_text().splitlines()]
    assert sorted(r["outlet"] or "" for r in rows) == ["", "", "", "", "Realist English"]
    with Store(db) as store:
        from rashomon.corpus import story_articles

        assert sorted(a.outlet or "" for a in story_articles(store, 1)) == ["", "", "", "", "Realist English"]
    shown = cli("show", "1", "--db", str(db))
    assert "outlet unknown" in shown.stdout and "000_8c6a7c3e1bc46ae9" not in shown.stdout


def test_the_stories_table_fits_an_80_column_terminal(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    folder = tmp_path / "in"
    folder.mkdir()
    long_title = "Title: " + " ".join(["Parliament"] * 5 + ["approves"] + ["bridge"] * 20) + "\n\n"
    (folder / "a.txt").write_text(long_title + BODY)
    cli("ingest", str(folder), str(EXAMPLE), "--db", str(db))
    done = run_cli("stories", "--db", str(db), env={"COLUMNS": "80"})
    lines = done.stdout.decode().splitlines()
    assert done.returncode == 0 and max(len(line) for line in lines) <= 80
    assert len(lines) == 1 + 2  # the header and one line a story: no title wrapped a word a line
    row = next(line for line in lines[1:] if "Parliament" in line)
    assert re.search(r"Parliament…\s", row) and "bridge" not in row  # cut at a word, with an ellipsis
    full = json.loads(cli("stories", "--db", str(db), "--json").stdout)
    assert any(s["title"].startswith("Parliament") and len(s["title"]) <= 120 for s in full)


def test_missing_store_and_newer_store_are_refused_untouched(tmp_path: Path) -> None:
    result = cli("stories", "--db", str(tmp_path / "none.db"))
    assert result.returncode == 2 and "no store here" in result.stderr
    db = tmp_path / "new.db"
    raw = sqlite3.connect(db)
    raw.execute("PRAGMA user_version=99")
    raw.close()
    before = db.read_bytes()
    result = cli("ingest", str(EXAMPLE), "--db", str(db))
    assert result.returncode == 1 and "newer rashomon" in result.stderr
    assert db.read_bytes() == before


def test_directory_walk_mixes_kinds(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    shutil.copytree(EXAMPLE, folder)
    (folder / "extra.jsonl").write_text(json.dumps({"text": BODY, "outlet": "Daily"}) + "\n")
    (folder / "ignored.bin").write_bytes(gzip.compress(b"x"))
    run = run_over(tmp_path / "r.db", [str(folder)])
    assert run.report.added == 6 and not run.report.failures


def test_workers_option_is_checked_and_used(tmp_path: Path) -> None:
    bad = cli("ingest", str(EXAMPLE), "--db", str(tmp_path / "r.db"), "--workers", "many")
    assert bad.returncode == 2 and "'many' is not a number of worker processes" in bad.stderr
    assert not (tmp_path / "r.db").exists()
    good = cli("ingest", str(EXAMPLE), "--db", str(tmp_path / "r.db"), "--workers", "0")
    assert good.returncode == 0 and "5 added" in good.stderr
