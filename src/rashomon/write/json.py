"""The JSON report: the contract other tools read (schema documented in README.md)."""

from __future__ import annotations

import json
from typing import Any

from rashomon.model import Article, Comparison, Span

SCHEMA_VERSION = "1.0"


def evidence(span: Span, articles: dict[str, Article]) -> dict[str, Any]:
    """One piece of evidence: {"article", "start", "end", "text"}."""
    return {"article": span.article, "start": span.start, "end": span.end, "text": span.text(articles)}


def to_dict(comparison: Comparison) -> dict[str, Any]:
    """The report as plain data."""
    arts = comparison.by_id
    ev = lambda span: evidence(span, arts)  # noqa: E731
    return {
        "schema_version": SCHEMA_VERSION,
        "articles": [
            {
                "id": a.id,
                "source": a.source,
                "outlet": a.outlet,
                "title": a.title,
                "published": a.published.isoformat() if a.published else None,
                "byline": a.byline,
                "language": a.language,
                "copy_of": a.copy_of,
                "text": a.text,
            }
            for a in comparison.articles
        ],
        "set_aside": [{"article": s.article, "source": s.source, "reason": s.reason} for s in comparison.set_aside],
        "facts": [
            {
                "id": f.id,
                "text": f.text,
                "status": f.status,
                "support": {
                    "articles": f.support.articles,
                    "outlets": f.support.outlets,
                    "independent_outlets": f.support.independent,
                },
                "outlets": list(f.outlets),
                "mentions": [ev(s) for s in f.mentions],
            }
            for f in comparison.facts
        ],
        "contradictions": [
            {
                "id": c.id,
                "kind": c.kind,
                "explanation": c.explanation,
                "score": c.score,
                "sides": [ev(s) for s in c.sides],
            }
            for c in comparison.contradictions
        ],
        "terms": [
            {
                "referent": t.referent,
                "kind": t.kind,
                "forms": [
                    {
                        "form": f.form,
                        "articles": list(f.articles),
                        "count": f.count,
                        "mentions": [ev(s) for s in f.spans],
                    }
                    for f in t.forms
                ],
            }
            for t in comparison.terms
        ],
        "voices": [
            {
                "speaker": v.speaker,
                "aliases": list(v.aliases),
                "articles": list(v.articles),
                "direct": sum(q.kind == "direct" for q in v.quotes),
                "reported": sum(q.kind == "reported" for q in v.quotes),
                "quotes": [{**ev(q.span), "kind": q.kind, "cue": q.cue} for q in v.quotes],
            }
            for v in comparison.voices
        ],
        "loaded": [
            {
                **ev(x.span),
                "term": x.term,
                "category": x.category,
                "reason": x.reason,
                "voice": "quoted" if x.quoted else "outlet",
            }
            for x in comparison.loaded
        ],
        "opinion": [{**ev(o.span), "reason": o.reason} for o in comparison.opinion],
        "timeline": [
            {"date": t.date.isoformat(), "mentions": [ev(s) for s in t.mentions]} for t in comparison.timeline
        ],
        "summary": [
            {"text": s.text, "section": s.section, "citations": [ev(c) for c in s.citations]}
            for s in comparison.summary
        ],
        "warnings": list(comparison.warnings),
    }


def render_json(comparison: Comparison) -> str:
    return json.dumps(to_dict(comparison), ensure_ascii=False, indent=2) + "\n"
