"""HTML → article fields, with trafilatura for the main text and metadata."""

from __future__ import annotations

import re

from rashomon.errors import InputError
from rashomon.read.text import ParsedText, normalise, parse_date, parse_text

_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html|<head|<body|<article|<p[\s>])", re.I | re.S)


def looks_like_html(data: bytes) -> bool:
    """True when the first bytes open an HTML document or fragment."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf")
    return bool(_HTML_START.match(head))


def parse_html(html: str, source: str) -> ParsedText:
    """Main text and metadata of a page; the text is normalised like plain text."""
    import trafilatura

    doc = trafilatura.bare_extraction(
        html,
        url=source if source.startswith(("http://", "https://")) else None,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=False,
    )
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        raise InputError(
            source,
            "no article text found in this HTML page",
            "give the article's own page (not a home or list page) or its text as a .txt file",
        )
    parsed = parse_text(text)
    title = getattr(doc, "title", None)
    if title:
        parsed.title = normalise(title)
        first = parsed.text.split("\n", 1)
        if first[0].strip() == parsed.title and len(first) > 1:
            parsed.text = first[1].strip()
    parsed.byline = getattr(doc, "author", None) or parsed.byline
    parsed.outlet = getattr(doc, "sitename", None) or parsed.outlet
    parsed.url = getattr(doc, "url", None) or parsed.url
    date = getattr(doc, "date", None)
    if date:
        parsed.published = parse_date(date) or parsed.published
    return parsed
