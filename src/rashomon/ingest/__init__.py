"""Corpus mode: ingest sources into the store, with copies found and stories formed as articles arrive."""

from rashomon.ingest.pipeline import Ingestor, Saved
from rashomon.ingest.run import Failure, IngestRun, Report
from rashomon.ingest.urls import canonical_url

__all__ = ["Failure", "IngestRun", "Ingestor", "Report", "Saved", "canonical_url"]
