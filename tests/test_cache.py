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

    import numpy as np

    cache = DiskCache(tmp_path)
    ann = next(iter(seed_comparison.annotated.values()))
    tokens = {"a claim": (np.array([7, 9], dtype=np.uint16), np.ones((2, 384), dtype=np.int8))}
    cache.save(ann, None, {"a claim": np.ones(384, dtype=np.float32)}, tokens)
    renamed = replace(ann.article, outlet="Another Outlet", source="elsewhere.txt")
    hit = cache.load(renamed, None)
    assert hit is not None and hit[0].article.outlet == "Another Outlet"
    assert hit[0].sentences == ann.sentences
    ids, vectors = hit[2]["a claim"]
    assert ids.tolist() == [7, 9] and vectors.dtype == np.int8 and vectors.shape == (2, 384)


def test_a_run_whose_articles_are_all_cached_loads_no_model(tmp_path):
    """Annotations, sentence and token vectors and the vectors of every phrase compared for naming
    choices come from the cache: neither spaCy nor MiniLM is loaded."""
    from rashomon import Workspace

    first = Workspace(cache_dir=tmp_path)
    expected = first.compare([str(EXAMPLE)])
    again = Workspace(cache_dir=tmp_path)
    comparison = again.compare([str(EXAMPLE)])
    assert "_session" not in again.embedder.__dict__, "MiniLM was loaded for a cached run"
    assert "_loaded" not in again.nlp.__dict__, "spaCy was loaded for a cached run"
    assert comparison.terms == expected.terms and comparison.facts == expected.facts
