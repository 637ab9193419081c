"""The on-disk annotation cache: same report from cache, damage ignored, opt-out honoured."""

from __future__ import annotations

from rashomon.cache import DiskCache
from tests.conftest import EXAMPLE, run_cli


def test_cached_run_gives_the_same_report(tmp_path):
    env = {"RASHOMON_CACHE_DIR": str(tmp_path / "cache")}
    first = run_cli("compare", str(EXAMPLE), "--format", "json", env=env)
    assert first.returncode == 0
    assert list((tmp_path / "cache").rglob("*.pickle"))
    second = run_cli("compare", str(EXAMPLE), "--format", "json", env=env)
    assert second.returncode == 0 and second.stdout == first.stdout


def test_damaged_entries_are_ignored(tmp_path):
    env = {"RASHOMON_CACHE_DIR": str(tmp_path / "cache")}
    first = run_cli("compare", str(EXAMPLE), "--format", "json", env=env)
    for entry in (tmp_path / "cache").rglob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    again = run_cli("compare", str(EXAMPLE), "--format", "json", env=env)
    assert again.returncode == 0 and again.stdout == first.stdout


def test_no_cache_writes_nothing(tmp_path):
    env = {"RASHOMON_CACHE_DIR": str(tmp_path / "cache")}
    proc = run_cli("compare", str(EXAMPLE), "--format", "json", "--no-cache", env=env)
    assert proc.returncode == 0 and not (tmp_path / "cache").exists()


def test_cache_rebinds_metadata_to_the_article_asked_for(seed_comparison, tmp_path):
    from dataclasses import replace

    cache = DiskCache(tmp_path)
    ann = next(iter(seed_comparison.annotated.values()))
    cache.save(ann, None, {})
    renamed = replace(ann.article, outlet="Another Outlet", source="elsewhere.txt")
    hit = cache.load(renamed, None)
    assert hit is not None and hit[0].article.outlet == "Another Outlet"
    assert hit[0].sentences == ann.sentences
