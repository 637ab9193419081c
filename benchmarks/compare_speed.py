"""Speed of `rashomon compare` on the bundled example: cold (new process), warm (same process), per stage.

    make bench            # or: .venv/bin/python benchmarks/compare_speed.py [--runs N]

Cold: wall time of `rashomon compare examples/istanbul-2025-05 -o x.json` in a
new process (imports, model loads, everything), best and median of N runs:
without the disk cache, on a first run that fills it, and on a run whose
articles are cached (no model is loaded then).
Warm: the same comparison again in one process whose Workspace has already
compared it (models loaded, articles parsed and embedded once), and
warm-new-text: models loaded but every article unseen (cache cleared).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "istanbul-2025-05"


def cold(runs: int, cache: str) -> list[float]:
    """New-process wall times. cache: "none" (--no-cache), "first" (an empty cache each run), "warm" (filled)."""
    exe = Path(sys.executable).with_name("rashomon")
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "RASHOMON_CACHE_DIR": f"{tmp}/cache"}
        args = [str(exe), "compare", str(EXAMPLE), "-o", f"{tmp}/r.json", "-q"]
        if cache == "none":
            args.append("--no-cache")
        if cache == "warm":
            subprocess.run(args, check=True, env=env)
        for _ in range(runs):
            if cache == "first":
                subprocess.run(["rm", "-rf", f"{tmp}/cache"], check=True)
            start = time.perf_counter()
            subprocess.run(args, check=True, env=env)
            out.append(time.perf_counter() - start)
    return out


def warm(runs: int) -> tuple[list[float], list[float], dict[str, float]]:
    import rashomon

    ws = rashomon.Workspace()
    ws.compare([str(EXAMPLE)])
    cached, fresh = [], []
    for _ in range(runs):
        start = time.perf_counter()
        ws.compare([str(EXAMPLE)])
        cached.append(time.perf_counter() - start)
    stages: dict[str, float] = {}
    for _ in range(runs):
        ws.annotations.clear()
        ws.embedder._cache.clear()
        ws.timer.stages.clear()
        start = time.perf_counter()
        ws.compare([str(EXAMPLE)])
        fresh.append(time.perf_counter() - start)
        for k, v in ws.timer.stages.items():
            stages[k] = stages.get(k, 0.0) + v / runs
    return cached, fresh, stages


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(
        f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; {len(list(EXAMPLE.glob('*.txt')))} articles"
    )
    for cache, what in (("none", "no cache"), ("first", "first run, fills the cache"), ("warm", "articles cached")):
        c = cold(args.runs, cache)
        print(f"cold, {what:27} best {min(c):.2f} s  median {statistics.median(c):.2f} s  (target ≤ 1.5 s)")
    cached, fresh, stages = warm(args.runs)
    print(
        f"warm (same articles again)  best {min(cached):.3f} s  median {statistics.median(cached):.3f} s  (target ≤ 0.2 s)"
    )
    print(f"warm (new articles)         best {min(fresh):.3f} s  median {statistics.median(fresh):.3f} s")
    print("per stage, new articles (mean s):")
    for name, secs in sorted(stages.items(), key=lambda kv: -kv[1]):
        print(f"  {name:12} {secs:.3f}")


if __name__ == "__main__":
    main()
