"""Web UI speed (reliability-plan.md LOAD-1 and LOAD-2): wrk against `rashomon serve` (one uvicorn worker)
over a store of 10,000 generated articles.

* article pages: random articles, `wrk -t1 -c32` (target ≥ 300 requests/s, p99 ≤ 150 ms);
* article pages of a compared story (with highlights), same load;
* the page of a compared story of about 20 articles, `wrk -t1 -c16` (target p99 ≤ 300 ms);
* the stories list and a search.

Needs `wrk` (Debian: apt-get install wrk). Usage: python benchmarks/web_speed.py [--seconds 20]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.corpus import articles
from rashomon.ingest import IngestRun
from rashomon.store import Store
from rashomon.web.work import Analyst

ROOT = Path(__file__).resolve().parents[1]
BIG_STORY_DAY = "2025-06-01"  # after every generated article (2024), and a plausible date (rashomon drops others)


def build(db: Path | str, n: int, folder: Path | None = None) -> int:
    """n generated articles, plus one story of about 20 articles; the id of that story (compared)."""
    source = (folder or Path(db).parent) / "corpus.jsonl"
    with source.open("w") as fh:
        for record in articles(n - 20, seed=3):
            fh.write(json.dumps(record) + "\n")
        base = next(articles(1, seed=11))
        rng = random.Random(5)
        words = base["text"].split(" ")
        for k in range(20):  # one event told 20 times: the same matter, each telling a third reworded
            told = [w if rng.random() > 0.33 else rng.choice(words) for w in words]
            record = {
                **base,
                "text": " ".join(told),
                "date": BIG_STORY_DAY,
                "url": f"https://big.example/{k}",
                "outlet": f"Outlet {k}",
            }
            fh.write(json.dumps(record) + "\n")
    with Store(db) as store:
        run = IngestRun(store)
        run.source(str(source))
        run.close()
        story_id, size = store.db.execute(
            "SELECT id, size FROM stories WHERE last_date = ? ORDER BY size DESC LIMIT 1", (BIG_STORY_DAY,)
        ).fetchone()
    started = time.perf_counter()
    Analyst(db).analyse(story_id)
    print(
        f"store: {n:,} articles; story {story_id} of {size} articles compared in {time.perf_counter() - started:.1f} s"
    )
    return int(story_id)


@contextmanager
def served(articles: int, *serve_args: str) -> Iterator[tuple[Path, Path, int, str, str, subprocess.Popen[str]]]:
    """A temporary store of `articles` generated articles (one compared story of 20) served by `rashomon serve`:
    the folder, the store, that story's id, the server's URL and token, and its process."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "web.db"
        story = build(db, articles)
        port = free_port()
        server, token = start_server(db, port, *serve_args)
        try:
            yield folder, db, story, f"http://127.0.0.1:{port}", token, server
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=30)


def random_ids(db: Path | str, sql: str, n: int) -> list[str]:
    """`n` random values of a one-column query (article ids, story ids)."""
    with Store(db) as store:
        return [r[0] for r in store.db.execute(f"{sql} ORDER BY random() LIMIT ?", (n,))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def paths_script(paths: list[str]) -> str:
    """A wrk Lua script asking for random paths of the list."""
    return (
        "local paths = {" + ",".join(json.dumps(p) for p in paths) + "}\nmath.randomseed(7)\n"
        "request = function() return wrk.format('GET', paths[math.random(#paths)]) end\n"
    )


def run_wrk(url: str, token: str, script: str, connections: int, seconds: int, folder: Path) -> dict[str, Any]:
    """wrk -t1 with a Lua script: requests/s, latency percentiles (ms), non-2xx/3xx answers and socket errors."""
    path = folder / "load.lua"
    path.write_text(script)
    done = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(path), "-H",
         f"Authorization: Bearer {token}", "-H", "Accept: text/html", url],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    out = done.stdout
    if ".lua:" in done.stderr or ".lua:" in out:  # wrk runs its default request when the script does not compile
        raise RuntimeError(f"the wrk script failed: {(done.stderr or out).strip()[:300]}")

    def ms(label: str) -> float:
        value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)\b", out).groups()  # type: ignore[union-attr]
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50": ms("50%"),
        "p90": ms("90%"),
        "p99": ms("99%"),
        "non2xx": float(errors.group(1)) if errors else 0.0,
        "socket_errors": float(sum(map(int, sockets.groups()))) if sockets else 0.0,
        "statuses": {int(c): float(n) for c, n in re.findall(r"^status (\d+): (\d+)$", out, re.M)},
    }


def start_server(db: Path | str, port: int, *extra: str) -> tuple[subprocess.Popen[str], str]:
    """`rashomon serve` in a process of its own; it and its login token once it accepts connections."""
    server = subprocess.Popen(
        [sys.executable, "-m", "rashomon.cli", "serve", "--db", str(db), "--port", str(port), *extra],
        cwd=ROOT, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    assert server.stderr is not None
    token = ""
    while not token:
        line = server.stderr.readline()
        if not line:
            raise RuntimeError("the server did not start")
        found = re.search(r"token=(\S+)", line)
        token = found.group(1) if found else ""
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    return server, token


def wrk_options(description: str) -> argparse.Namespace | None:
    """--seconds and --articles; None, having said so, when wrk is not installed."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--articles", type=int, default=10_000)
    options = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is not installed (Debian: apt-get install wrk)")
        return None
    return options


def main() -> int:
    options = wrk_options(__doc__.splitlines()[0])
    if options is None:
        return 2
    with served(options.articles) as (folder, db, story, url, token, _server):
        ids = random_ids(db, "SELECT id FROM articles", 2000)
        in_story = random_ids(db, f"SELECT article_id FROM story_articles WHERE story_id = {int(story)}", 100)
        runs = [
            ("article pages, random (c32)", [f"/articles/{a}" for a in ids], 32, "≥ 300 req/s, p99 ≤ 150 ms"),
            ("article pages, compared story (c32)", [f"/articles/{a}" for a in in_story], 32, ""),
            (f"story page, {len(in_story)} articles (c16)", [f"/stories/{story}"], 16, "p99 ≤ 300 ms"),
            ("stories list (c16)", ["/stories"], 16, ""),
            ("search (c16)", ["/stories?q=said", "/stories?q=officials%20week"], 16, ""),
        ]
        print(f"wrk -t1, {options.seconds} s each, one uvicorn worker, 2 cores shared with wrk")
        for name, paths, connections, target in runs:
            run_wrk(url, token, paths_script(paths[:50]), connections, 3, folder)  # warm up
            r = run_wrk(url, token, paths_script(paths), connections, options.seconds, folder)
            print(
                f"  {name:40s} {r['rps']:7.0f} req/s  p50 {r['p50']:6.1f} ms  p99 {r['p99']:6.1f} ms  "
                f"non-2xx {r['non2xx']:.0f}{'  socket errors' if r['socket_errors'] else ''}"
                + (f"   (target {target})" if target else "")
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
