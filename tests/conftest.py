from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "istanbul-2025-05"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def workspace():
    import rashomon

    return rashomon.Workspace()


@pytest.fixture(scope="session")
def seed_comparison(workspace):
    return workspace.compare([str(EXAMPLE)])


@pytest.fixture(scope="session")
def seed_report(seed_comparison):
    from rashomon.write.json import to_dict

    return to_dict(seed_comparison)


CLI_CACHE = Path(os.environ.get("PYTEST_RASHOMON_CACHE", "/tmp")) / f"rashomon-test-cache-{os.getpid()}"


def run_cli(
    *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    """The real command in a new process, as a user runs it (with a cache folder of the test run's own)."""
    full_env = {**os.environ, "RASHOMON_CACHE_DIR": str(CLI_CACHE), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "rashomon.cli", *args],
        input=stdin,
        capture_output=True,
        timeout=300,
        cwd=ROOT,
        env=full_env,
    )


def write_outlets(folder: Path, texts: list[str]) -> list[str]:
    """Each text as one outlet's article file in `folder`; the paths to compare."""
    for i, text in enumerate(texts):
        (folder / f"outlet{i}.txt").write_text(text, encoding="utf-8")
    return [str(folder)]


def load_json(path: Path) -> dict:
    return json.loads(path.read_text("utf-8"))


@pytest.fixture(scope="session", autouse=True)
def _remove_cli_cache():
    yield
    import shutil

    shutil.rmtree(CLI_CACHE, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL server of the session's own (tests/pgserver.py); skips without PostgreSQL or
    psycopg unless RASHOMON_REQUIRE_POSTGRES is set."""
    from tests.pgserver import REQUIRED, PostgresServer, binaries

    found = binaries()
    try:
        import psycopg  # noqa: F401
    except ImportError:
        found = None
    if found is None:
        if REQUIRED:
            pytest.fail("PostgreSQL (initdb, pg_ctl) or psycopg is missing; .ci/run installs them")
        pytest.skip("PostgreSQL (initdb, pg_ctl) or psycopg is not installed")
    server = PostgresServer(found)
    yield server
    server.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_target(request, tmp_path):
    """A --db value for a new, empty store: a SQLite file, or a new database on the session's server."""
    if request.param == "sqlite":
        return str(tmp_path / "r.db")
    server = request.getfixturevalue("postgres_server")
    return server.create(f"t_{os.getpid()}_{next(_DATABASES)}")


_DATABASES = itertools.count()
