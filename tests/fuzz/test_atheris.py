"""Every input the fuzzers ever crashed on stays fixed, and each atheris target runs for a few seconds."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

HERE = Path(__file__).resolve().parent
CRASHERS = sorted((HERE / "crashers").iterdir())
TARGETS = ["decode_text", "jsonl_line", "warc", "feed", "opml", "url"]


@pytest.mark.parametrize("crasher", CRASHERS, ids=lambda p: p.name)
def test_former_crashers_are_rejected_cleanly(crasher: Path) -> None:
    pytest.importorskip("atheris")
    code = (
        "import sys; sys.argv=['x']; from tests.fuzz.atheris_targets import TARGETS; "
        f"TARGETS[{crasher.name.split('-')[0]!r}](open({str(crasher)!r}, 'rb').read())"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()[-2000:]


@pytest.mark.parametrize("target", TARGETS)
def test_a_short_coverage_guided_run_finds_no_crash(target: str, tmp_path: Path) -> None:
    pytest.importorskip("atheris")
    done = subprocess.run(
        [
            sys.executable,
            str(HERE / "atheris_targets.py"),
            target,
            "-max_total_time=4",
            "-timeout=10",
            "-rss_limit_mb=1024",
            f"-artifact_prefix={tmp_path}/",
        ],
        cwd=ROOT,
        capture_output=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr.decode()[-3000:]
