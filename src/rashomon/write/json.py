"""The JSON report: the contract other tools read (schema documented in README.md)."""

from __future__ import annotations

import json
from typing import Any

from rashomon.model import Article, Comparison, Conflict, Fact, Span, TermChoice, Voice

SCHEMA_VERSION = "1.2"


def evidence(span: Span, articles: dict[str, Article]) -> dict[str, Any]:
    """One piece of evidence: {"article", "start", "end", "text"}."""
    return {"article": span.article, "start": span.start, "end": span.end, "text": span.text(articles)}


def _article(a: Article) -> dict[str, Any]:
    return {
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


def _fact(f: Fact, arts: dict[str, Article]) -> dict[str, Any]:
    return {
        "id": f.id,
        "text": f.text,
        "status": f.status,
        "disputed": f.disputed,
        "conflicts": list(f.conflicts),
        "support": {
            "articles": f.support.articles,
            "outlets": f.support.outlets,
            "independent_outlets": f.support.independent,
        },
        "outlets": list(f.outlets),
        "mentions": [evidence(s, arts) for s in f.mentions],
    }


def _conflict(c: Conflict, arts: dict[str, Article]) -> dict[str, Any]:
    return {
        "id": c.id,
        "kind": c.kind,
        "explanation": c.explanation,
        "score": c.score,
        "sides": [evidence(s, arts) for s in c.sides],
    }


def _term(t: TermChoice, arts: dict[str, Article]) -> dict[str, Any]:
    forms = [
        {
            "form": f.form,
            "articles": list(f.articles),
            "count": f.count,
            "mentions": [evidence(s, arts) for s in f.spans],
        }
        for f in t.forms
    ]
    return {"referent": t.referent, "kind": t.kind, "forms": forms}


def _voice(v: Voice, arts: dict[str, Article]) -> dict[str, Any]:
    return {
        "speaker": v.speaker,
        "kind": v.kind,
        "aliases": list(v.aliases),
        "articles": list(v.articles),
        "direct": sum(q.kind == "direct" for q in v.quotes),
        "reported": sum(q.kind == "reported" for q in v.quotes),
        "quotes": [{**evidence(q.span, arts), "kind": q.kind, "cue": q.cue} for q in v.quotes],
    }


def to_dict(comparison: Comparison) -> dict[str, Any]:
    """The report as plain data."""
    arts = comparison.by_id
    return {
        "schema_version": SCHEMA_VERSION,
        "articles": [_article(a) for a in comparison.articles],
        "set_aside": [{"article": s.article, "source": s.source, "reason": s.reason} for s in comparison.set_aside],
        "facts": [_fact(f, arts) for f in comparison.facts],
        "contradictions": [_conflict(c, arts) for c in comparison.contradictions],
        "terms": [_term(t, arts) for t in comparison.terms],
        "voices": [_voice(v, arts) for v in comparison.voices],
        "entities": [
            {
                "name": e.name,
                "label": e.label,
                "aliases": list(e.aliases),
                "articles": sorted({s.article for s in e.mentions}),
                "mentions": [evidence(s, arts) for s in e.mentions],
            }
            for e in comparison.entities
        ],
        "quantities": [{**evidence(n.span, arts), "value": n.value, "unit": n.unit} for n in comparison.quantities],
        "loaded": [
            {
                **evidence(x.span, arts),
                "term": x.term,
                "category": x.category,
                "reason": x.reason,
                "voice": "quoted" if x.quoted else "outlet",
            }
            for x in comparison.loaded
        ],
        "opinion": [{**evidence(o.span, arts), "reason": o.reason} for o in comparison.opinion],
        "timeline": [
            {"date": t.date.isoformat(), "mentions": [evidence(s, arts) for s in t.mentions]}
            for t in comparison.timeline
        ],
        "summary": [
            {"text": s.text, "section": s.section, "citations": [evidence(c, arts) for c in s.citations]}
            for s in comparison.summary
        ],
        "warnings": list(comparison.warnings),
    }


def render_json(comparison: Comparison) -> str:
    return json.dumps(to_dict(comparison), ensure_ascii=False, indent=2) + "\n"
