from __future__ import annotations

import json
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


def run_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """The real command in a new process, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "rashomon.cli", *args], input=stdin, capture_output=True, timeout=300, cwd=ROOT
    )


def load_json(path: Path) -> dict:
    return json.loads(path.read_text("utf-8"))
