from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rashomon.ingest import IngestRun
from rashomon.store import Store
from rashomon.web.work import Analyst
from tests.conftest import EXAMPLE
from tests.web.server import Served, serve


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled story ingested and compared once (the comparison stored as the web UI stores it)."""
    db = tmp_path_factory.mktemp("web") / "seed.db"
    with Store(db) as store:
        run = IngestRun(store, processes=0)
        run.source(str(EXAMPLE))
        run.close()
    Analyst(db).analyse(1)
    return db


@pytest.fixture
def site(seed_db: Path, tmp_path: Path) -> Iterator[Served]:
    """A server over a copy of the seed store (tests may add to it)."""
    db = tmp_path / "site.db"
    shutil.copy(seed_db, db)
    with serve(db) as served:
        yield served


@pytest.fixture
def pg_site(postgres_server: Any) -> Iterator[Served]:
    """The same site over a PostgreSQL store: the bundled story ingested and compared into a new database."""
    url = postgres_server.create(f"site_{next(_SITES)}")
    with Store(url) as store:
        run = IngestRun(store, processes=0)
        run.source(str(EXAMPLE))
        run.close()
        story = store.db.execute("SELECT min(id) FROM stories").fetchone()[0]
    Analyst(url).analyse(story)
    with serve(url) as served:
        yield served


_SITES = itertools.count()
