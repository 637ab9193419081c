"""Bad lines, bad dates and terminal escapes from strangers' files: typed failures, and the run goes on."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

import pytest

from rashomon.ingest.prepare import MAX_LINE, bounded_lines
from rashomon.store import Store
from tests.conftest import run_cli
from tests.ingest.test_ingest import BODY, run_over


def _line(**fields: object) -> str:
    return json.dumps({"text": BODY, **fields})


@pytest.mark.parametrize("processes", [0, 1], ids=["in-process", "pool"])
def test_bad_jsonl_lines_are_typed_failures_and_every_good_line_is_kept(tmp_path: Path, processes: int) -> None:
    lines = [
        _line(url="https://a.example/1", title="Good one"),
        '{"text": "\\ud800 lone surrogate in the text", "url": "https://a.example/2"}',
        "[" * 100_000 + "]" * 100_000,
        _line(url="https://a.example/4", title="Good two", text=BODY.replace("six", "nine")),
        '{"text": "' + "x" * (MAX_LINE + 10) + '"}',
        '{"title": "\\udfff", "text": "a b c d e"}',
        _line(url="https://a.example/7", title="Good three", text=BODY.replace("six", "eleven")),
    ]
    data = tmp_path / "feed.jsonl"
    data.write_text("\n".join(lines) + "\n")
    later = tmp_path / "later.txt"
    later.write_text("Outlet: Later\n\n" + BODY.replace("bridge", "tunnel"))
    run = run_over(tmp_path / "r.db", [str(data), str(later)], processes=processes)
    kinds = {f.source.rsplit(":", 1)[-1]: f.kind for f in run.report.failures}
    assert kinds == {"2": "invalid", "3": "invalid", "5": "too_large", "6": "invalid"}, run.report.failures
    assert run.report.added == 4  # three good lines and the file after
    assert all(len(str(f)) < 600 for f in run.report.failures)
    with Store(tmp_path / "r.db") as store:
        rows = store.db.execute("SELECT kind, source FROM failures ORDER BY id").fetchall()
    assert [k for k, _ in rows] == ["invalid", "invalid", "too_large", "invalid"]


def test_bounded_lines_never_hold_a_long_line() -> None:
    data = b"short\n" + b"y" * 5000 + b"\nlast"
    assert list(bounded_lines(io.BytesIO(data), limit=100)) == [(1, b"short\n"), (2, None), (3, b"last")]
    assert list(bounded_lines(io.BytesIO(b"x" * 101 + b"\n"), limit=100)) == [(1, None)]
    assert list(bounded_lines(io.BytesIO(b"x" * 100 + b"\n"), limit=100)) == [(1, b"x" * 100 + b"\n")]


def test_implausible_dates_are_unknown_and_the_store_keeps_working(tmp_path: Path) -> None:
    data = tmp_path / "dates.jsonl"
    data.write_text(
        "\n".join(
            [
                _line(url="https://d.example/1", date="0001-01-01T00:00:00Z"),
                _line(url="https://d.example/2", date="9999-12-31", text=BODY.replace("six", "ten")),
                _line(url="https://d.example/3", date="1899-12-31", text=BODY.replace("six", "two")),
            ]
        )
    )
    db = tmp_path / "r.db"
    run = run_over(db, [str(data)])
    assert run.report.added == 3 and not run.report.failures
    assert sum("treated as unknown" in w for w in run.report.warnings) == 3
    with Store(db) as store:
        assert store.db.execute("SELECT count(*) FROM articles WHERE published IS NOT NULL").fetchone()[0] == 0
    # a store written before dates were checked: the bad date is already in it
    with sqlite3.connect(db) as raw:
        raw.execute("UPDATE articles SET published = '0001-01-01'")
        raw.execute("UPDATE stories SET first_date = '0001-01-01', last_date = '0001-01-01'")
    second = tmp_path / "more.jsonl"
    second.write_text(_line(url="https://d.example/4", date="2024-05-01", text=BODY.replace("six", "eight")))
    run = run_over(db, [str(second)])
    assert run.report.added == 1 and not run.report.failures
    done = run_cli("stories", "--db", str(db), "--json")
    assert done.returncode == 0, done.stderr
    show = run_cli("show", "1", "--db", str(db), "--no-spacy", "--format", "json")
    assert show.returncode in (0, 1), show.stderr  # 1 when a story holds one article
    assert b"this is a bug" not in show.stderr


def test_far_future_date_with_relative_words_compares(tmp_path: Path) -> None:
    for name, outlet in (("a.txt", "One"), ("b.txt", "Two")):
        (tmp_path / name).write_text(
            f"Outlet: {outlet}\nDate: 9999-12-31\n\nThe council will vote tomorrow on the bridge. {BODY}"
        )
    done = run_cli("compare", str(tmp_path), "--no-spacy", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert b"treated as unknown" in done.stderr
    report = json.loads(done.stdout)
    assert all(a["published"] is None for a in report["articles"])


ESCAPES = "\x1b]0;owned\x07\x1b[2J\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\\u202e"


def test_control_characters_are_stripped_at_ingest_and_escaped_on_output(tmp_path: Path) -> None:
    data = tmp_path / "esc.jsonl"
    data.write_text(
        "\n".join(
            [
                _line(
                    url="https://e.example/1", title=f"Bridge{ESCAPES} closes", outlet=f"Evil{ESCAPES}", byline=ESCAPES
                ),
                _line(url="https://e.example/2", title="Bridge closes", outlet="Calm", text=BODY.replace("six", "5")),
            ]
        )
    )
    db = tmp_path / "r.db"
    run = run_over(db, [str(data)])
    assert run.report.added == 2
    with Store(db) as store:
        for title, outlet, byline in store.db.execute("SELECT title, outlet, byline FROM articles"):
            for value in (title, outlet, byline or ""):
                assert "\x1b" not in value and "\x07" not in value
    for args in (
        ("stories",),
        ("outlets", "--no-spacy"),
        ("show", "1", "--no-spacy"),
        ("show", "1", "--no-spacy", "--format", "markdown"),
    ):
        done = run_cli(*args, "--db", str(db))
        assert done.returncode == 0, (args, done.stderr)
        assert b"\x1b" not in done.stdout and b"\x07" not in done.stdout, args
        assert "\u202e".encode() not in done.stdout, args


def test_escapes_in_local_file_names_and_headers_never_reach_the_terminal(tmp_path: Path) -> None:
    (tmp_path / "plain.txt").write_text(f"Title: Bridge\x1b[2J closes\nOutlet: One\x1b]0;x\x07\n\n{BODY}")
    (tmp_path / "evil\x1b[31m.txt").write_text(BODY.replace("six", "seven"))
    for fmt in ("terminal", "markdown"):
        done = run_cli("compare", str(tmp_path), "--no-spacy", "--format", fmt)
        assert done.returncode == 0, done.stderr
        assert b"\x1b" not in done.stdout and b"\x1b" not in done.stderr, fmt


def test_stored_articles_are_compared_under_the_same_cap_as_files(tmp_path: Path) -> None:
    long_text = "\n\n".join([BODY] * 3000)  # about 1.2 million characters: spaCy refuses over 1,000,000
    assert len(long_text) > 1_000_000
    data = tmp_path / "long.jsonl"
    data.write_text(
        "\n".join(
            [
                _line(url="https://l.example/1", outlet="Long", text=long_text),
                _line(url="https://l.example/2", outlet="Short", text=BODY.replace("six", "four")),
            ]
        )
    )
    db = tmp_path / "r.db"
    run = run_over(db, [str(data)])
    assert run.report.added == 2
    with Store(db) as store:
        assert max(len(t) for (t,) in store.db.execute("SELECT text FROM articles")) > 1_000_000
    done = run_cli("show", "1", "--db", str(db), "--no-spacy", "--format", "json", "--max-chars", "3000")
    assert done.returncode == 0, done.stderr
    assert b"longer than 3,000 characters" in done.stderr
    report = json.loads(done.stdout)
    assert max(len(a["text"]) for a in report["articles"]) <= 3000
    bad = run_cli("show", "1", "--db", str(db), "--max-chars", "2000000")
    assert bad.returncode == 2 and b"max_chars must lie between" in bad.stderr


def test_an_unexpected_error_in_one_source_is_its_failure_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rashomon.ingest import IngestRun

    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("Outlet: A\n\n" + BODY)
    second.write_text("Outlet: B\n\n" + BODY.replace("bridge", "tunnel"))
    original = IngestRun.keep
    calls = {"n": 0}

    def flaky(self, *args, **kw):
        calls["n"] += 1
        if calls["n"] == 1:
            raise KeyError("a bug in one place")
        return original(self, *args, **kw)

    monkeypatch.setattr(IngestRun, "keep", flaky)
    run = run_over(tmp_path / "r.db", [str(first), str(second)])
    assert [(f.source, f.kind) for f in run.report.failures] == [(str(first), "error")]
    assert "KeyError" in run.report.failures[0].message
    assert run.report.added == 1


def test_a_truncated_page_is_a_failure_and_its_url_is_fetched_again(tmp_path: Path) -> None:
    from rashomon.fetch import Fetcher
    from tests.ingest.servers import Routes, serve, short_then_whole
    from tests.ingest.test_ingest import PUBLIC, page

    routes = Routes()
    routes.add("/story", short_then_whole(page("Bridge closes")))
    with serve(routes, PUBLIC) as base:
        fetcher = Fetcher(allow=frozenset({PUBLIC}), ports=None, min_gap=0)
        first = run_over(tmp_path / "r.db", [f"{base}/story"], fetcher=fetcher)
        assert [f.kind for f in first.report.failures] == ["truncated"] and first.report.added == 0
        second = run_over(tmp_path / "r.db", [f"{base}/story"], fetcher=fetcher)
        assert second.report.added == 1 and not second.report.failures


def test_a_million_bad_lines_cannot_fill_memory_or_the_terminal(tmp_path: Path) -> None:
    """Failures and warnings kept in memory (and printed) stop at 1,000; every failure is still in the store."""
    data = tmp_path / "bad.jsonl"
    lines = ["not json"] * 1500 + [
        _line(url=f"https://w.example/{i}", date="0001-01-01", text=f"{BODY} {i}") for i in range(1200)
    ]
    data.write_text("\n".join(lines) + "\n")
    db = tmp_path / "r.db"
    done = run_cli("ingest", str(data), "--db", str(db), "--workers", "0")
    assert done.returncode == 1
    err = done.stderr.decode()
    assert err.count("\nfailed: ") + err.startswith("failed: ") <= 1001
    assert "500 more failures not shown" in err and "1,500 failed" in err
    assert "200 more warnings not shown" in err
    with Store(db) as store:
        assert store.db.execute("SELECT count(*) FROM failures").fetchone()[0] == 1500
