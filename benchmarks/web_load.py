"""Web UI under mixed load, reads during an ingest, and a soak (reliability-plan.md LOAD-3, LOAD-4, LOAD-5).

One `rashomon serve` process (one uvicorn worker) over a store of generated articles, driven by wrk:

* LOAD-3, mixed users: 90% reads (article and story pages, the stories list), 8% searches, 2% uploads of a
  new article (a background ingest job each); target: no error, p95 ≤ 250 ms (wrk prints p90 and p99: both shown);
* LOAD-4, reads during ingest: random article pages alone, then the same while `rashomon ingest` adds 1,000
  articles to the store from another process; target: p99 during ingest ≤ 2× p99 alone, no error;
* LOAD-5, soak: article pages at 16 connections for --soak seconds (30 min in the plan; 120 s by default);
  the server's resident memory after warm-up and at the end, its open files and threads; target: RSS growth
  ≤ 10%, file and thread counts flat, no error.

Needs `wrk` (Debian: apt-get install wrk). Usage: python benchmarks/web_load.py [--seconds 20] [--soak 120]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.corpus import write_jsonl
from benchmarks.web_speed import build, free_port
from rashomon.store import Store

ROOT = Path(__file__).resolve().parents[1]

MIXED = """
local reads = {%(reads)s}
local searches = {%(searches)s}
local boundary = "rashomonload"
local n = 0
math.randomseed(11)
request = function()
  local r = math.random(100)
  if r <= 90 then return wrk.format("GET", reads[math.random(#reads)]) end
  if r <= 98 then return wrk.format("GET", searches[math.random(#searches)]) end
  n = n + 1
  local text = "The council of Loadtown met on Friday, upload " .. n .. " of a load test, and voted to close the old "
    .. "bridge after engineers found cracks. The mayor said the closure would last six months."
  local body = "--" .. boundary .. "\\r\\nContent-Disposition: form-data; name=\\"files\\"; filename=\\"load" .. n
    .. ".txt\\"\\r\\nContent-Type: text/plain\\r\\n\\r\\n" .. text .. "\\r\\n--" .. boundary .. "--\\r\\n"
  return wrk.format("POST", "/add", {["Content-Type"] = "multipart/form-data; boundary=" .. boundary}, body)
end
"""


def run_wrk(url: str, token: str, script: str, connections: int, seconds: int, folder: Path) -> dict[str, float]:
    path = folder / "load.lua"
    path.write_text(script)
    done = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(path), "-H",
         f"Authorization: Bearer {token}", "-H", "Accept: text/html", url],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    out = done.stdout

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
        "errors": float(errors.group(1)) if errors else 0.0,
        "socket_errors": float(sum(map(int, sockets.groups()))) if sockets else 0.0,
    }


def paths_script(paths: list[str]) -> str:
    return (
        "local paths = {" + ",".join(json.dumps(p) for p in paths) + "}\nmath.randomseed(7)\n"
        "request = function() return wrk.format('GET', paths[math.random(#paths)]) end\n"
    )


def process_state(pid: int) -> dict[str, float]:
    status = Path(f"/proc/{pid}/status").read_text()
    rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024  # type: ignore[union-attr]
    return {
        "rss_mb": rss,
        "fds": float(len(os.listdir(f"/proc/{pid}/fd"))),
        "threads": float(len(os.listdir(f"/proc/{pid}/task"))),
    }


def show(name: str, r: dict[str, float], target: str = "") -> None:
    print(
        f"  {name:44s} {r['rps']:7.0f} req/s  p50 {r['p50']:6.1f}  p90 {r['p90']:6.1f}  p99 {r['p99']:6.1f} ms  "
        f"non-2xx/3xx {r['errors']:.0f}  socket errors {r['socket_errors']:.0f}" + (f"   ({target})" if target else "")
    )


def start_server(db: Path, port: int) -> tuple[subprocess.Popen[str], str]:
    server = subprocess.Popen(
        [sys.executable, "-m", "rashomon.cli", "serve", "--db", str(db), "--port", str(port), "--no-spacy"],
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=20, help="each mixed and during-ingest run")
    parser.add_argument("--soak", type=int, default=120, help="soak duration in seconds (the plan: 1800)")
    parser.add_argument("--articles", type=int, default=10_000)
    options = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is not installed (Debian: apt-get install wrk)")
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "web.db"
        story = build(db, options.articles)
        with Store(db) as store:
            ids = [r[0] for r in store.db.execute("SELECT id FROM articles ORDER BY random() LIMIT 2000")]
            stories = [r[0] for r in store.db.execute("SELECT id FROM stories ORDER BY random() LIMIT 200")]
        reads = [f"/articles/{a}" for a in ids] + [f"/stories/{story}", "/stories"] + [f"/stories/{s}" for s in stories]
        searches = [
            "/stories?q=said",
            "/stories?q=officials%20week",
            "/stories?q=council",
            "/stories?outlet=Outlet%20A",
        ]
        port = free_port()
        server, token = start_server(db, port)
        url = f"http://127.0.0.1:{port}"
        try:
            print(f"one uvicorn worker, wrk -t1, 2 cores shared with wrk; store of {options.articles:,} articles")
            run_wrk(url, token, paths_script(reads[:100]), 16, 3, folder)  # warm up
            mixed = MIXED % {
                "reads": ",".join(json.dumps(p) for p in reads),
                "searches": ",".join(map(json.dumps, searches)),
            }
            show(
                "LOAD-3 mixed: 90% read, 8% search, 2% upload (c16)",
                run_wrk(url, token, mixed, 16, options.seconds, folder),
                "no errors, p95 ≤ 250 ms",
            )
            article_pages = paths_script([f"/articles/{a}" for a in ids])
            alone = run_wrk(url, token, article_pages, 32, options.seconds, folder)
            show("LOAD-4 article pages alone (c32)", alone)
            source = write_jsonl(folder / "more.jsonl", 1000, seed=99)
            ingest = subprocess.Popen(
                [sys.executable, "-m", "rashomon.cli", "ingest", str(source), "--db", str(db), "-q"],
                cwd=ROOT, stderr=subprocess.PIPE, text=True,
            )  # fmt: skip
            started = time.monotonic()
            during = run_wrk(url, token, article_pages, 32, options.seconds, folder)
            _, err = ingest.communicate(timeout=900)
            took = time.monotonic() - started
            show("LOAD-4 article pages during a 1,000-article ingest", during, f"p99 ≤ {2 * alone['p99']:.0f} ms")
            print(f"    the ingest took {took:.1f} s: {err.strip().splitlines()[-1] if err.strip() else 'no output'}")
            before = process_state(server.pid)
            soak = run_wrk(url, token, article_pages, 16, options.soak, folder)
            after = process_state(server.pid)
            show(f"LOAD-5 soak, {options.soak} s (c16)", soak)
            growth = 100 * (after["rss_mb"] / before["rss_mb"] - 1)
            print(
                f"    server RSS {before['rss_mb']:.0f} → {after['rss_mb']:.0f} MB ({growth:+.1f}%, target ≤ 10%); "
                f"open files {before['fds']:.0f} → {after['fds']:.0f}; threads {before['threads']:.0f} → {after['threads']:.0f}"
            )
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
