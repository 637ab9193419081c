"""Sources → Article: files, HTML (trafilatura), metadata."""

from rashomon.read.files import ReadResult, expand_paths, read_article, read_sources

__all__ = ["ReadResult", "expand_paths", "read_article", "read_sources"]
