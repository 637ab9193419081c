"""Web UI under mixed load, reads during an ingest, and a soak (reliability-plan.md LOAD-3, LOAD-4, LOAD-5).

One `rashomon serve` process (one uvicorn worker) over a store of generated articles, driven by wrk:

* LOAD-3, mixed users: 90% reads (article and story pages, the stories list), 8% searches, 2% uploads of a
  new article (a background ingest job each); target: no error, p95 ≤ 250 ms (wrk prints p90 and p99: both shown);
* LOAD-4, reads during ingest: random article pages alone, then the same while `rashomon ingest` adds 6,000
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
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.corpus import articles
from benchmarks.web_speed import paths_script, random_ids, run_wrk, served

ROOT = Path(__file__).resolve().parents[1]
INGESTED = 6000  # LOAD-4: enough new articles (about 20 s of ingest) to outlast the read run

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
  local headers = {}  -- wrk.format takes these instead of the -H headers: keep them (the bearer token)
  for name, value in pairs(wrk.headers) do headers[name] = value end
  headers["Content-Type"] = "multipart/form-data; boundary=" .. boundary
  return wrk.format("POST", "/add", headers, body)
end
local threads = {}
setup = function(thread) table.insert(threads, thread) end
codes = {}
response = function(status, headers, body)
  codes[status] = (codes[status] or 0) + 1
end
done = function(summary, latency, requests)
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("codes")) do io.write("status " .. status .. ": " .. count .. "\\n") end
  end
end
"""


def process_state(pid: int) -> dict[str, float]:
    status = Path(f"/proc/{pid}/status").read_text()
    rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024  # type: ignore[union-attr]
    return {
        "rss_mb": rss,
        "fds": float(len(os.listdir(f"/proc/{pid}/fd"))),
        "threads": float(len(os.listdir(f"/proc/{pid}/task"))),
    }


def show(name: str, r: dict[str, Any], target: str = "") -> None:
    print(
        f"  {name:44s} {r['rps']:7.0f} req/s  p50 {r['p50']:6.1f}  p90 {r['p90']:6.1f}  p99 {r['p99']:6.1f} ms  "
        f"non-2xx/3xx {r['non2xx']:.0f}  socket errors {r['socket_errors']:.0f}" + (f"   ({target})" if target else "")
    )


def mixed_users(url: str, token: str, db: Path, story: int, ids: list[str], seconds: int, folder: Path) -> None:
    """LOAD-3: 90% pages, 8% searches, 2% uploads."""
    stories = random_ids(db, "SELECT id FROM stories", 200)
    reads = [f"/articles/{a}" for a in ids] + [f"/stories/{story}", "/stories"] + [f"/stories/{s}" for s in stories]
    searches = ["/stories?q=said", "/stories?q=officials%20week", "/stories?q=council", "/stories?outlet=Outlet%20A"]
    run_wrk(url, token, paths_script(reads[:100]), 16, 3, folder)  # warm up
    mixed = MIXED % {"reads": ",".join(map(json.dumps, reads)), "searches": ",".join(map(json.dumps, searches))}
    result = run_wrk(url, token, mixed, 16, seconds, folder)
    show("LOAD-3 mixed: 90% read, 8% search, 2% upload (c16)", result, "no errors, p95 ≤ 250 ms")
    statuses = result.get("statuses", {})
    print("    answers: " + ", ".join(f"{status}: {count:.0f}" for status, count in sorted(statuses.items())))
    if statuses.get(400):
        print("    (400: searches stopped at the 1 s search time limit)")


def reads_during_ingest(url: str, token: str, db: Path, pages: str, seconds: int, folder: Path) -> None:
    """LOAD-4: article pages alone, then while INGESTED new articles are ingested from another process."""
    alone = run_wrk(url, token, pages, 32, seconds, folder)
    show("LOAD-4 article pages alone (c32)", alone)
    source = folder / "more.jsonl"
    with source.open("w") as fh:  # new articles at new URLs, so every one is stored
        for i, record in enumerate(articles(INGESTED, seed=99)):
            fh.write(json.dumps({**record, "url": f"https://more.example/{i}"}) + "\n")
    ingest = subprocess.Popen(
        [sys.executable, "-m", "rashomon.cli", "ingest", str(source), "--db", str(db), "-q"],
        cwd=ROOT, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    started = time.monotonic()
    during = run_wrk(url, token, pages, 32, seconds, folder)
    read_until = time.monotonic()
    _, err = ingest.communicate(timeout=900)
    took = time.monotonic() - started
    show(f"LOAD-4 article pages during a {INGESTED:,}-article ingest", during, f"p99 ≤ {2 * alone['p99']:.0f} ms")
    overlap = "the whole read run" if took >= read_until - started else "part of the read run"
    print(
        f"    the ingest ran {took:.1f} s ({overlap}): {err.strip().splitlines()[-1] if err.strip() else 'no output'}"
    )


def soak(url: str, token: str, server: subprocess.Popen[str], pages: str, seconds: int, folder: Path) -> None:
    """LOAD-5: article pages for `seconds`; the server's memory, open files and threads before and after."""
    before = process_state(server.pid)
    result = run_wrk(url, token, pages, 16, seconds, folder)
    after = process_state(server.pid)
    show(f"LOAD-5 soak, {seconds} s (c16)", result)
    growth = 100 * (after["rss_mb"] / before["rss_mb"] - 1)
    print(
        f"    server RSS {before['rss_mb']:.0f} → {after['rss_mb']:.0f} MB ({growth:+.1f}%, target ≤ 10%); "
        f"open files {before['fds']:.0f} → {after['fds']:.0f}; threads {before['threads']:.0f} → {after['threads']:.0f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=20, help="each mixed and during-ingest run")
    parser.add_argument("--soak", type=int, default=120, help="soak duration in seconds (the plan: 1800)")
    parser.add_argument("--articles", type=int, default=10_000)
    options = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is not installed (Debian: apt-get install wrk)")
        return 2
    with served(options.articles, "--no-spacy") as (folder, db, story, url, token, server):
        print(f"one uvicorn worker, wrk -t1, 2 cores shared with wrk; store of {options.articles:,} articles")
        ids = random_ids(db, "SELECT id FROM articles", 2000)
        mixed_users(url, token, db, story, ids, options.seconds, folder)
        pages = paths_script([f"/articles/{a}" for a in ids])
        reads_during_ingest(url, token, db, pages, options.seconds, folder)
        soak(url, token, server, pages, options.soak, folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
