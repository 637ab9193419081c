"""Ingest a JSONL file into a store (a SQLite path or a postgresql:// URL), printing each article's id once
the transaction holding it has committed (on PostgreSQL a batch of articles is one transaction)."""

from __future__ import annotations

import sys

from rashomon.ingest import IngestRun, Report
from rashomon.store import Store


def main(db: str, source: str) -> None:
    printed = 0

    def acknowledge(report: Report) -> None:  # called after each article is counted, so after its commit
        nonlocal printed
        for article_id in report.saved[printed:]:
            sys.stdout.write(article_id + "\n")
        printed = len(report.saved)
        sys.stdout.flush()

    with Store(db) as store:
        run = IngestRun(store, on_progress=acknowledge)
        run.source(source)
        run.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
