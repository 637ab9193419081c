"""The Markdown report."""

from __future__ import annotations

from rashomon.model import Comparison
from rashomon.write.common import conflict_sides, letters, shorten, shown_facts


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(comparison: Comparison) -> str:
    """The report as Markdown, every citation as outlet letter and character range."""
    label = letters(comparison.articles)
    arts = comparison.by_id
    lines = ["# Comparison", "", "## Articles", "", "| | outlet | published | title |", "|---|---|---|---|"]
    for a in comparison.articles:
        copy = f" (copy of {label[a.copy_of]})" if a.copy_of else ""
        lines.append(
            f"| {label[a.id]} | {_cell(a.outlet)}{copy} | {a.published or '—'} | {_cell(shorten(a.title or a.text, 70))} |"
        )
    for aside in comparison.set_aside:
        lines += ["", f"*Set aside:* {aside.source}: {aside.reason}"]
    lines += ["", "## Summary", ""]
    for s in comparison.summary:
        cites = ", ".join(f"{label[c.article]}:{c.start}–{c.end}" for c in s.citations)
        lines.append(f"- {s.text} [{cites}]")
    lines += [
        "",
        "## Facts × outlets",
        "",
        "| fact | status | " + " | ".join(label[a.id] for a in comparison.articles) + " |",
    ]
    lines.append("|---|---|" + "---|" * len(comparison.articles))
    for fact in shown_facts(comparison):
        ids = {s.article for s in fact.mentions}
        clash = conflict_sides(comparison, fact)
        marks = ["✕" if a.id in clash and a.id in ids else "●" if a.id in ids else "" for a in comparison.articles]
        lines.append(f"| {_cell(shorten(fact.text, 120))} | {fact.status} | " + " | ".join(marks) + " |")
    if comparison.contradictions:
        lines += ["", "## Contradictions", ""]
        for c in comparison.contradictions:
            lines.append(f"- **{c.kind}**: {c.explanation}")
            lines += [f"  - {label[s.article]}: “{shorten(s.text(arts), 200)}”" for s in c.sides]
    if comparison.terms:
        lines += ["", "## Naming choices", ""]
        for t in comparison.terms:
            forms = "; ".join(f"*{f.form}* ({', '.join(label[a] for a in f.articles)})" for f in t.forms)
            lines.append(f"- {t.referent} ({t.kind}): {forms}")
    if comparison.voices:
        lines += ["", "## Voices", "", "| speaker | kind | articles | direct | reported |", "|---|---|---|---|---|"]
        for v in comparison.voices:
            d = sum(q.kind == "direct" for q in v.quotes)
            lines.append(
                f"| {_cell(v.speaker)} | {v.kind} | {', '.join(label[a] for a in v.articles)} | {d} | {len(v.quotes) - d} |"
            )
    if comparison.loaded:
        lines += ["", "## Loaded wording", ""]
        for x in comparison.loaded:
            voice = "quoted" if x.quoted else "own voice"
            lines.append(f"- {label[x.span.article]}: *{x.term}* ({x.category}, {voice})")
    if comparison.timeline:
        lines += ["", "## Timeline", ""]
        for entry in comparison.timeline:
            cites = ", ".join(f"{label[s.article]}:{s.start}–{s.end}" for s in entry.mentions)
            lines.append(
                f"- **{entry.date.isoformat()}**: {_cell(shorten(entry.mentions[0].text(arts), 140))} [{cites}]"
            )
    if comparison.opinion:
        lines += ["", "## Opinion", ""]
        lines += [f"- {label[o.span.article]}: {o.reason}" for o in comparison.opinion]
    if comparison.warnings:
        lines += ["", "## Warnings", ""] + [f"- {w}" for w in comparison.warnings]
    return "\n".join(lines) + "\n"
