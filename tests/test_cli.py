"""The command as a user runs it: formats, stdin, exit codes and one-line errors."""

from __future__ import annotations

import json

from tests.conftest import EXAMPLE, run_cli


def test_compare_writes_json_inferred_from_suffix(tmp_path):
    out = tmp_path / "r.json"
    proc = run_cli("compare", str(EXAMPLE), "-o", str(out))
    assert proc.returncode == 0, proc.stderr.decode()
    report = json.loads(out.read_text("utf-8"))
    assert report["schema_version"] and len(report["articles"]) == 5


def test_unknown_suffix_is_bad_usage(tmp_path):
    proc = run_cli("compare", str(EXAMPLE), "-o", str(tmp_path / "r.docx"))
    assert proc.returncode == 2
    assert proc.stderr.decode().startswith("error: ") and "Traceback" not in proc.stderr.decode()


def test_missing_file_is_bad_usage(tmp_path):
    proc = run_cli("compare", str(tmp_path / "missing.txt"))
    assert proc.returncode == 2
    assert "no such file" in proc.stderr.decode() and "Traceback" not in proc.stderr.decode()


def test_empty_directory_is_a_clear_error(tmp_path):
    proc = run_cli("compare", str(tmp_path))
    assert proc.returncode == 1
    lines = proc.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "no article files" in lines[0]


def test_only_bad_files_is_a_clear_error(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02" * 100)
    proc = run_cli("compare", str(tmp_path))
    err = proc.stderr.decode()
    assert proc.returncode == 1 and "Traceback" not in err
    assert "empty" in err and "binary" in err


def test_a_bad_file_among_good_ones_is_partial_failure(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    files = sorted(str(p) for p in EXAMPLE.glob("*.txt"))[:2]
    proc = run_cli("compare", *files, str(tmp_path / "empty.txt"), "--format", "json")
    assert proc.returncode == 1
    assert len(json.loads(proc.stdout)["articles"]) == 2
    assert "warning:" in proc.stderr.decode() and "empty" in proc.stderr.decode()


def test_single_article_warns_and_still_reports():
    path = next(EXAMPLE.glob("003_*.txt"))
    proc = run_cli("compare", str(path), "--format", "json")
    assert proc.returncode == 0
    assert "only one article" in proc.stderr.decode()
    assert {f["status"] for f in json.loads(proc.stdout)["facts"]} == {"one"}


def test_stdin_is_read_as_one_article():
    path = next(EXAMPLE.glob("001_*.txt"))
    other = next(EXAMPLE.glob("003_*.txt"))
    proc = run_cli("compare", "-", str(other), "--format", "json", stdin=path.read_bytes())
    assert proc.returncode == 0, proc.stderr.decode()
    sources = [a["source"] for a in json.loads(proc.stdout)["articles"]]
    assert "-" in sources


def test_bad_outlet_option_is_bad_usage():
    proc = run_cli("compare", str(EXAMPLE), "--outlet", "nonsense")
    assert proc.returncode == 2 and "FILE=NAME" in proc.stderr.decode()


def test_terminal_report_shows_the_coverage_table():
    proc = run_cli("compare", str(EXAMPLE))
    assert proc.returncode == 0
    out = proc.stdout.decode()
    assert "Facts × outlets" in out and "Summary" in out and "Naming choices" in out


def test_an_internal_failure_is_one_line_not_a_traceback(monkeypatch, capsys):
    import rashomon.cli as cli

    def broken(args):
        raise RuntimeError("something inside broke")

    monkeypatch.setattr(cli, "run_compare", broken)
    monkeypatch.delenv("RASHOMON_DEBUG", raising=False)
    assert cli.main(["compare", str(EXAMPLE)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "this is a bug" in err[0] and "something inside broke" in err[0]


def test_set_changes_a_tunable_and_rejects_unknown_ones(tmp_path):
    few = run_cli("compare", str(EXAMPLE), "--format", "json", "--set", "max_contradictions=1")
    assert few.returncode == 0 and len(json.loads(few.stdout)["contradictions"]) <= 1
    bad = run_cli("compare", str(EXAMPLE), "--set", "nonsense=3")
    assert bad.returncode == 2 and "fact_threshold" in bad.stderr.decode()
    wrong = run_cli("compare", str(EXAMPLE), "--set", "fact_threshold=high")
    assert wrong.returncode == 2 and "not a float" in wrong.stderr.decode()
    helptext = run_cli("compare", "--help")
    assert "fact_threshold" in helptext.stdout.decode()
