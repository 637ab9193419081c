"""Web UI speed on PostgreSQL (issue 12): two `rashomon serve` processes on one PostgreSQL store, beside one.

    .venv/bin/python benchmarks/pg_web_speed.py [--seconds 20] [--articles 10000]

The store is built as benchmarks/web_speed.py builds its SQLite one (10,000 generated articles and one
compared story of 20), in a database on a PostgreSQL server this script starts (tests/pgserver.py:
Debian's initdb and pg_ctl; fsync off, as in the tests). Then, for one serve process and for two (each
with its own port, both on the one store), wrk asks for random article pages (32 connections in all:
with two processes, one wrk of 16 per process, run at once) and for the compared story's page.
Printed: requests/s summed over the processes and the worst p99 (target: article pages ≥ 300 req/s,
p99 ≤ 150 ms). The 2 cores are shared by the serve processes, the database server and wrk.
"""

from __future__ import annotations

import signal
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.web_speed import build, free_port, paths_script, random_ids, run_wrk, start_server, wrk_options


def _together(
    servers: list[tuple[str, str]], paths: list[str], connections: int, seconds: int, folder: Path
) -> dict[str, float]:
    """wrk against every server at once (`connections` shared out); summed req/s, worst latencies."""
    results: list[dict[str, Any]] = [{} for _ in servers]
    each = max(1, connections // len(servers))

    def one(k: int) -> None:
        sub = folder / f"wrk{k}"
        sub.mkdir(exist_ok=True)
        results[k] = run_wrk(servers[k][0], servers[k][1], paths_script(paths), each, seconds, sub)

    threads = [threading.Thread(target=one, args=(k,)) for k in range(len(servers))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {
        "rps": sum(r["rps"] for r in results),
        "p50": max(r["p50"] for r in results),
        "p99": max(r["p99"] for r in results),
        "non2xx": sum(r["non2xx"] for r in results),
    }


def _serve(url: str, processes: int, runs: list[tuple], seconds: int, folder: Path) -> None:
    """`processes` serve processes on the store at `url`, each of `runs` asked of all of them at once."""
    started = []
    try:
        for _ in range(processes):
            port = free_port()
            server, token = start_server(url, port)
            started.append((server, f"http://127.0.0.1:{port}", token))
        targets = [(address, token) for _, address, token in started]
        for name, paths, connections, target in runs:
            _together(targets, paths[:50], connections, 3, folder)  # warm up
            r = _together(targets, paths, connections, seconds, folder)
            print(
                f"  {processes} serve process{'es' if processes > 1 else '  '}  {name:30s} "
                f"{r['rps']:7.0f} req/s  p50 {r['p50']:6.1f} ms  p99 {r['p99']:6.1f} ms  "
                f"non-2xx {r['non2xx']:.0f}" + (f"   (target {target})" if target else "")
            )
    finally:
        for server, _, _ in started:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=30)


def main() -> int:
    options = wrk_options(__doc__.splitlines()[0])
    if options is None:
        return 2
    from tests.pgserver import own_server

    with own_server() as pg, tempfile.TemporaryDirectory() as tmp:
        if pg is None:
            return 0
        folder = Path(tmp)
        url = pg.create("web")
        story = build(url, options.articles, folder)
        ids = random_ids(url, "SELECT id FROM articles", 2000)
        runs = [
            ("article pages, random (c32)", [f"/articles/{a}" for a in ids], 32, "≥ 300 req/s, p99 ≤ 150 ms"),
            ("story page, compared (c16)", [f"/stories/{story}"], 16, "p99 ≤ 300 ms"),
        ]
        print(f"wrk -t1 per serve process, {options.seconds} s each, 2 cores shared with PostgreSQL and wrk")
        for processes in (1, 2):
            _serve(url, processes, runs, options.seconds, folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
