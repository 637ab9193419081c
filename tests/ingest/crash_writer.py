"""Ingest a JSONL file article by article, printing each id once its transaction has committed."""

from __future__ import annotations

import sys

from rashomon.ingest import IngestRun
from rashomon.store import Store


def main(db: str, source: str) -> None:
    with Store(db) as store:
        run = IngestRun(store)
        original_keep = run.keep

        def keep(article, url, prepared=None):  # type: ignore[no-untyped-def]
            before = len(run.report.saved)
            original_keep(article, url, prepared)
            if len(run.report.saved) > before:
                sys.stdout.write(run.report.saved[-1] + "\n")
                sys.stdout.flush()

        run.keep = keep  # type: ignore[method-assign]
        run.source(source)
        run.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
