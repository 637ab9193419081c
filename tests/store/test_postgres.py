"""The commands on a PostgreSQL store (a real server of the session's own, tests/pgserver.py) give what
they give on a SQLite file: the same articles, near-copies and stories from one ingest process, and the
same reports."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.corpus import write_jsonl

from tests.conftest import EXAMPLE, run_cli


def _exported(db: str, out: Path) -> tuple[dict[str, dict], set[frozenset[str]]]:
    done = run_cli("export", str(out), "--db", db)
    assert done.returncode == 0, done.stderr.decode()
    rows = [json.loads(line) for line in (out / "articles.jsonl").read_text().splitlines()]
    stories: dict[int, set[str]] = {}
    for row in rows:
        stories.setdefault(row["story_id"], set()).add(row["id"])
    keep = ("source", "outlet", "title", "published", "copy_of", "text")
    return {r["id"]: {k: r[k] for k in keep} for r in rows}, {frozenset(s) for s in stories.values()}


def test_one_ingest_gives_the_same_articles_copies_and_stories_on_both(tmp_path, postgres_server):
    corpus = tmp_path / "corpus.jsonl"
    write_jsonl(corpus, 300, seed=5)
    url = postgres_server.create("same_answers")
    file = str(tmp_path / "r.db")
    for db in (file, url):
        done = run_cli("ingest", str(corpus), str(EXAMPLE), "--db", db, "-q")
        assert done.returncode == 0, done.stderr.decode()
    on_file, stories_file = _exported(file, tmp_path / "file")
    on_server, stories_server = _exported(url, tmp_path / "server")
    assert on_server == on_file and len(on_file) > 250
    assert any(row["copy_of"] for row in on_file.values())  # near-copies found, and found alike
    assert stories_server == stories_file and len(stories_file) > 20


def test_the_read_commands_work_on_a_postgresql_store(tmp_path, postgres_server):
    url = postgres_server.create("read_commands")
    assert run_cli("ingest", str(EXAMPLE), "--db", url, "-q").returncode == 0
    listed = run_cli("stories", "--db", url, "--json")
    assert listed.returncode == 0, listed.stderr.decode()
    story = json.loads(listed.stdout)[0]
    assert story["articles"] == 5 and story["independent_outlets"] == 5
    shown = run_cli("show", str(story["id"]), "--db", url, "--format", "json")
    assert shown.returncode == 0, shown.stderr.decode()
    report = json.loads(shown.stdout)
    assert len(report["articles"]) == 5 and report["facts"] and report["summary"]
    outlets = run_cli("outlets", "--db", url)
    assert outlets.returncode == 0 and "Realist English" in outlets.stdout.decode()
    again = run_cli("ingest", str(EXAMPLE), "--db", url, "-q")  # a rerun adds nothing
    assert again.returncode == 0
    listed_again = json.loads(run_cli("stories", "--db", url, "--json").stdout)
    assert [s["articles"] for s in listed_again] == [5]


def test_a_missing_driver_or_server_is_a_clear_error(tmp_path):
    done = run_cli("stories", "--db", "postgresql://nobody@127.0.0.1:1/none")
    assert done.returncode != 0
    err = done.stderr.decode()
    assert "cannot connect" in err and "Traceback" not in err


def test_doctor_checks_a_postgresql_store_without_writing_and_backup_points_at_pg_dump(tmp_path, postgres_server):
    url = postgres_server.create("doctor")
    assert run_cli("ingest", str(EXAMPLE), "--db", url, "-q").returncode == 0
    checked = run_cli("doctor", "--db", url)
    assert "schema 3, 5 articles (PostgreSQL)" in checked.stdout.decode(), checked.stdout.decode()
    backup = run_cli("backup", str(tmp_path / "copy.db"), "--db", url)
    assert backup.returncode != 0 and "pg_dump" in backup.stderr.decode()


def test_statements_are_put_in_postgresqls_words():
    from rashomon.store.pg import translate

    assert translate("BEGIN IMMEDIATE") == ("BEGIN", False)
    assert translate("SELECT id FROM articles WHERE url = ? AND text LIKE '%bridge%'") == (
        "SELECT id FROM articles WHERE url = %s AND text LIKE '%%bridge%%'",
        False,
    )
    assert translate("SELECT count(*) FROM articles WHERE text LIKE '%x%'", params=False)[0].count("%%") == 0
    assert translate("INSERT OR IGNORE INTO feeds (url) VALUES (?)")[0].endswith("ON CONFLICT DO NOTHING")
    upsert, _ = translate("INSERT OR REPLACE INTO reports (story_id, key, report) VALUES (?, ?, ?)")
    assert upsert.endswith("ON CONFLICT (story_id) DO UPDATE SET key = excluded.key, report = excluded.report")
    assert translate("INSERT INTO failures (source, kind, message) VALUES (?, ?, ?)") == (
        "INSERT INTO failures (source, kind, message) VALUES (%s, %s, %s) RETURNING id",
        True,
    )
    nested = translate("SELECT json_group_array(DISTINCT lower(a.outlet)) FROM articles a")[0]
    assert nested == "SELECT (json_agg(DISTINCT lower(a.outlet)))::text FROM articles a"


def test_without_the_driver_a_postgresql_url_names_the_extra_to_install():
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['psycopg'] = None\n"
        "from rashomon.store import Store, StoreError\n"
        "try:\n    Store('postgresql://nobody@127.0.0.1:1/none')\n"
        "except StoreError as exc:\n    print(exc)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "pip install 'rashomon[postgres]'" in done.stdout, done.stdout + done.stderr


def test_four_ingest_processes_on_one_postgresql_store_store_each_article_once(tmp_path, postgres_server):
    """Several writers at once, half their articles shared: no error, nothing doubled or lost, every article
    in exactly one story, every story's size the count of its members."""
    import random
    import subprocess
    import sys

    from benchmarks.corpus import articles

    from rashomon.store import Store
    from tests.conftest import ROOT

    records = list(articles(600, seed=11))
    shared, own = records[:300], records[300:]
    sources = []
    for k in range(4):
        mine = shared + own[k * 75 : (k + 1) * 75]
        random.Random(k).shuffle(mine)
        path = tmp_path / f"part{k}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in mine))
        sources.append(path)
    url = postgres_server.create("four_writers")
    Store(url).close()
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "rashomon.cli", "ingest", str(s), "--db", url, "--workers", "0", "-q"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for s in sources
    ]
    for p in procs:
        _, err = p.communicate(timeout=600)
        assert p.returncode == 0 and "error" not in err.decode().lower(), err.decode()
    _whole(url, len({r["text"] for r in records}))


def _whole(url: str, expected: int) -> None:
    """Each of `expected` articles stored once, each in exactly one story, every story's size its members."""
    from rashomon.store import Store

    with Store(url) as store:
        ids = [r[0] for r in store.db.execute("SELECT id FROM articles")]
        assert len(ids) == len(set(ids)) == expected
        members = store.db.execute("SELECT count(*), count(DISTINCT article_id) FROM story_articles").fetchone()
        assert tuple(members) == (expected, expected)
        sizes = store.db.execute(
            "SELECT count(*) FROM stories s WHERE size != (SELECT count(*) FROM story_articles m WHERE m.story_id = s.id)"
        ).fetchone()[0]
        assert sizes == 0


QUIET = ("--workers", "0", "-q")


def _partition(url: str) -> dict[str, int]:
    from rashomon.store import Store

    with Store(url) as store:
        return {a: int(s) for a, s in store.db.execute("SELECT article_id, story_id FROM story_articles")}


def test_several_ingest_processes_share_one_story_index(tmp_path, postgres_server):
    """Four processes given the articles in turn (line k to process k mod 4) form the stories one process
    forms from them all: B-cubed agreement of at least 0.98, every story under one id."""
    import subprocess
    import sys

    from rashomon.group.stories import bcubed
    from tests.conftest import ROOT

    write_jsonl(tmp_path / "all.jsonl", 800, seed=21, per_story=8)
    lines = (tmp_path / "all.jsonl").read_text().splitlines()
    for k in range(4):
        (tmp_path / f"part{k}.jsonl").write_text("".join(line + "\n" for line in lines[k::4]))
    one, four = postgres_server.create("one_process"), postgres_server.create("four_processes")
    done = run_cli("ingest", str(tmp_path / "all.jsonl"), "--db", one, "--workers", "0", "-q")
    assert done.returncode == 0, done.stderr.decode()
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "rashomon.cli", "ingest", str(tmp_path / f"part{k}.jsonl"), "--db", four, *QUIET],
            cwd=ROOT,
            stderr=subprocess.PIPE,
        )
        for k in range(4)
    ]
    for p in procs:
        _, err = p.communicate(timeout=600)
        assert p.returncode == 0, err.decode()
    alone, together = _partition(one), _partition(four)
    assert alone.keys() == together.keys()
    ids = sorted(alone)
    _, _, f1 = bcubed([str(alone[a]) for a in ids], [together[a] for a in ids])
    assert f1 >= 0.98, f1


def test_a_server_restart_mid_ingest_fails_cleanly_and_a_rerun_completes(tmp_path, postgres_server):
    """The server restarts while an ingest writes: the run ends with a clear error (no traceback), nothing
    saved is half-written, and the same command run again completes the store."""
    import subprocess
    import sys
    import time

    from rashomon.store import Store
    from tests.conftest import ROOT

    write_jsonl(tmp_path / "all.jsonl", 3000, seed=31)
    url = postgres_server.create("restart")
    command = [sys.executable, "-m", "rashomon.cli", "ingest", str(tmp_path / "all.jsonl"), "--db", url, *QUIET]
    proc = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        with Store(url) as store:
            if store.count() >= 200:
                break
        time.sleep(0.1)
    postgres_server.stop("fast")
    postgres_server.start()
    _, err = proc.communicate(timeout=600)
    assert "Traceback" not in err.decode(), err.decode()
    assert proc.returncode != 0 and "run the same command again" in err.decode(), err.decode()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, timeout=600)
    assert done.returncode == 0, done.stderr.decode()
    texts = {json.loads(line)["text"] for line in (tmp_path / "all.jsonl").read_text().splitlines()}
    _whole(url, len(texts))


def test_migrate_copies_a_sqlite_store_whole_resumes_after_a_kill_and_verifies(tmp_path, postgres_server):
    """Articles, copies, stories, stored comparisons and failures arrive as they were; a copy killed
    midway is finished by running it again; a database holding other data is refused."""
    import signal
    import subprocess
    import sys
    import time

    from rashomon.store import Store
    from rashomon.store.migrate import table_hash
    from rashomon.web.work import Analyst
    from tests.conftest import ROOT

    corpus = tmp_path / "corpus.jsonl"
    write_jsonl(corpus, 2500, seed=41)
    corpus.write_text(corpus.read_text() + "{not json\n")  # one typed failure, to be copied too
    file = str(tmp_path / "r.db")
    ingested = run_cli("ingest", str(corpus), str(EXAMPLE), "--db", file, *QUIET)
    assert "1 failed" in ingested.stderr.decode(), ingested.stderr.decode()  # the bad line: exit code 1
    with Store(file) as store:
        story = store.db.execute("SELECT story_id FROM story_articles ORDER BY rowid DESC LIMIT 1").fetchone()[0]
    Analyst(file).analyse(story)
    url = postgres_server.create("migrated")
    command = [sys.executable, "-m", "rashomon.cli", "migrate", "--from", file, "--to", url, "-q"]
    proc = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        with Store(url) as target:
            if target.count() >= 1000:
                break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done = run_cli("migrate", "--from", file, "--to", url, "-q")
    assert done.returncode == 0 and "verified" in done.stderr.decode(), done.stderr.decode()
    with Store(file) as source, Store(url) as target:
        for table in ("articles", "stories", "story_articles", "reports"):
            assert table_hash(source, table) == table_hash(target, table), table
        for table in ("failures", "analyses", "minhash_bands", "state"):
            query = f"SELECT count(*) FROM {table}"
            assert source.db.execute(query).fetchone()[0] == target.db.execute(query).fetchone()[0], table
        assert target.db.execute("SELECT count(*) FROM failures").fetchone()[0] >= 1
    shown = run_cli("show", str(story), "--db", url, "--format", "json")
    assert shown.returncode == 0 and json.loads(shown.stdout)["facts"]
    more = tmp_path / "more.jsonl"
    write_jsonl(more, 20, seed=42, start=__import__("datetime").date(2030, 1, 1))
    assert run_cli("ingest", str(more), "--db", url, *QUIET).returncode == 0  # new stories get new ids
    other = postgres_server.create("not_empty")
    assert run_cli("ingest", str(more), "--db", other, *QUIET).returncode == 0
    refused = run_cli("migrate", "--from", file, "--to", other, "-q")
    assert refused.returncode != 0 and "new, empty database" in refused.stderr.decode()


def test_both_dialects_of_the_schema_hold_the_same_tables_and_columns(tmp_path, postgres_server):
    """The schema is written twice (store/schema.py, store/pg.py): a migration added to one only fails here."""
    import sqlite3

    from rashomon.store import Store

    url = postgres_server.create("dialects")
    Store(str(tmp_path / "r.db")).close()
    Store(url).close()
    raw = sqlite3.connect(tmp_path / "r.db")
    on_file = {
        (table, column)
        for (table,) in raw.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'articles_fts%'"
        )
        for column in [r[1] for r in raw.execute(f"PRAGMA table_info({table})")]
    }
    raw.close()
    with Store(url) as store:
        on_server = {
            (t, c)
            for t, c in store.db.execute(
                "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'"
            )
            if t != "rashomon_schema" and (t, c) not in {("articles", "rowid"), ("articles", "search")}
        }
    assert on_server == on_file


def test_the_batch_stored_check_finds_by_id_and_by_url_and_queries_run_without_jit(tmp_path, postgres_server):
    from rashomon.ingest.shared import _STORED
    from rashomon.store import Store

    corpus = tmp_path / "corpus.jsonl"
    write_jsonl(corpus, 60, seed=3)
    url = postgres_server.create("stored_check")
    assert run_cli("ingest", str(corpus), "--db", url, "-q").returncode == 0
    with Store(url) as store:
        rows = store.db.execute("SELECT id, url FROM articles ORDER BY rowid").fetchall()
        by_id, by_url = rows[:3], rows[3:6]
        asked_ids = [r[0] for r in by_id] + ["not-stored"]
        asked_urls = [r[1] for r in by_url] + ["https://nowhere.example/x"]
        found = {tuple(r) for r in store.db.execute(_STORED, (asked_ids, asked_urls)).fetchall()}
        assert found == {tuple(r) for r in by_id + by_url}
        # a plan's JIT compilation cost milliseconds per small lookup (benchmarks/pg_ingest_speed.py)
        assert store.db.execute("SHOW jit").fetchone()[0] == "off"
