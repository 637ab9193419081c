"""Timeline: the dates the articles mention, each with the sentences that mention it."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from rashomon.model import Annotated, Article, Span, TimelineEntry


def build_timeline(annotated: dict[str, Annotated], articles: list[Article]) -> list[TimelineEntry]:
    """Dated sentences grouped by date, earliest first."""
    by_date: dict[dt.date, list[Span]] = defaultdict(list)
    for article in articles:
        ann = annotated[article.id]
        for mention in ann.dates:
            sent = next((s.span for s in ann.sentences if s.span.contains(mention.span)), mention.span)
            if sent not in by_date[mention.date]:
                by_date[mention.date].append(sent)
    return [TimelineEntry(date, tuple(sorted(spans))) for date, spans in sorted(by_date.items())]
