"""A real PostgreSQL server for the tests: initdb and pg_ctl from Debian's `postgresql` package, in a
temporary folder, on a free loopback port; stopped when the session ends.

initdb refuses to run as root, so as root the server runs as the `postgres` user the package creates.
Without the binaries the tests that need a server skip, unless RASHOMON_REQUIRE_POSTGRES is set (CI).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REQUIRED = bool(os.environ.get("RASHOMON_REQUIRE_POSTGRES"))


def binaries() -> Path | None:
    """The folder holding initdb and pg_ctl, if PostgreSQL is installed."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(os.path.realpath(found)).parent
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(folder, "initdb").is_file() and Path(folder, "pg_ctl").is_file():
            return Path(folder)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PostgresServer:
    """One server in its own folder; `url(name)` names a database on it (create it with `create`)."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="rashomon-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.as_root = os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "rashomon", "-E", "UTF8", "--locale=C", "-N")
        self.start()

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bindir / program), *args]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120, cwd=self.root)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-o", options, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://rashomon@127.0.0.1:{self.port}/{database}"

    def create(self, database: str) -> str:
        """A new empty database; its URL."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{database}"')
        return self.url(database)

    def close(self) -> None:
        try:
            self.stop("immediate")
        finally:
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                try:
                    shutil.rmtree(self.root)
                    break
                except OSError:
                    time.sleep(0.2)


@contextmanager
def own_server() -> Iterator[PostgresServer | None]:
    """A server of its own for a benchmark, stopped at the end; None, having said so, without PostgreSQL."""
    found = binaries()
    if found is None:
        print("skipped: PostgreSQL (initdb, pg_ctl) is not installed")
        yield None
        return
    server = PostgresServer(found)
    try:
        yield server
    finally:
        server.close()
