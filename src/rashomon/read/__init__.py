"""Sources → Article: files, HTML (trafilatura), metadata."""

from rashomon.read.files import ReadResult, build_article, decode, expand_paths, read_article, read_sources

__all__ = ["ReadResult", "build_article", "decode", "expand_paths", "read_article", "read_sources"]
