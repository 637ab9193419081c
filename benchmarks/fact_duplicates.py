"""Facts that repeat each other, counted over development stories (target: none).

    .venv/bin/python benchmarks/fact_duplicates.py [--limit N]

Two facts repeat each other when most of the smaller one's sentences are also
the other's, or when both show the same sentence (`compare.facts.duplicate_pairs`):
the matrix then has two rows for one proposition. Runs over the bundled example,
and the BASIL and ECB+ dev stories when ../shared/data is present. Prints, per
corpus, the stories, the mean facts a story, the duplicate pairs (and the worst
story), and, as a looser count, the pairs where most of the smaller fact's
sentences are the larger one's.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from devdata import DATA
from metamorphic import load

ROOT = Path(__file__).resolve().parent.parent


def _nested(facts: list) -> int:
    """Pairs where most of the smaller fact's sentences are also the larger one's (a looser count:
    a sentence stating two propositions rightly sits in two facts)."""
    n = 0
    for i, a in enumerate(facts):
        for b in facts[i + 1 :]:
            shared = len(set(a.mentions) & set(b.mentions))
            n += bool(shared) and shared >= 0.5 * min(len(a.mentions), len(b.mentions))
    return n


def _count(workspace, stories: list[list]) -> tuple[int, float, int, int, int]:
    from rashomon.compare.facts import duplicate_pairs

    facts = dups = worst = nested = 0
    for articles in stories:
        comparison = workspace.compare_articles(articles)
        n = len(duplicate_pairs(comparison.facts))
        facts += len(comparison.facts)
        dups += n
        worst = max(worst, n)
        nested += _nested(comparison.facts)
    return len(stories), facts / max(len(stories), 1), dups, worst, nested


def main() -> int:
    from rashomon import Workspace
    from rashomon.read import read_sources
    from rashomon.settings import CompareOptions

    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=None, help="stories a corpus (default: all)")
    args = parser.parse_args()
    workspace = Workspace()
    options = CompareOptions()
    example = read_sources(
        [str(ROOT / "examples" / "istanbul-2025-05")], outlets=options.outlets, max_chars=options.max_chars
    ).articles
    corpora = {"bundled example": [example]}
    if DATA.is_dir():
        for corpus in ("basil", "ecbplus"):
            corpora[corpus] = [s.articles for s in load(corpus)[: args.limit]]
    else:
        print(f"BASIL, ECB+: skipped ({DATA} is absent)")
    print(
        f"{'corpus':18} {'stories':>7} {'facts a story':>13} {'duplicate pairs':>15} {'worst story':>11} {'nested':>6}"
    )
    for name, stories in corpora.items():
        n, mean, dups, worst, nested = _count(workspace, stories)
        print(f"{name:18} {n:7d} {mean:13.1f} {dups:15d} {worst:11d} {nested:6d}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
