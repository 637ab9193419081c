"""The Markdown report."""

from __future__ import annotations

from rashomon.model import Comparison, letters
from rashomon.write.common import coverage, shown_facts
from rashomon.write.safe import OUTLET_UNKNOWN, printable, shorten


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _articles(c: Comparison, label: dict[str, str]) -> list[str]:
    lines = ["## Articles", "", "| | outlet | published | title |", "|---|---|---|---|"]
    for a in c.articles:
        copy = f" (copy of {label[a.copy_of]})" if a.copy_of else ""
        title = _cell(shorten(a.title or a.text, 70))
        outlet = _cell(a.outlet) if a.outlet else f"*{OUTLET_UNKNOWN}*"
        lines.append(f"| {label[a.id]} | {outlet}{copy} | {a.published or '—'} | {title} |")
    for aside in c.set_aside:
        lines += ["", f"*Set aside:* {aside.source}: {aside.reason}"]
    return lines


def _summary(c: Comparison, label: dict[str, str]) -> list[str]:
    lines = ["## Summary", ""]
    for s in c.summary:
        cites = ", ".join(f"{label[x.article]}:{x.start}–{x.end}" for x in s.citations)
        lines.append(f"- {s.text} [{cites}]")
    return lines


def _matrix(c: Comparison, label: dict[str, str]) -> list[str]:
    lines = ["## Facts × outlets", "", "| fact | status | " + " | ".join(label[a.id] for a in c.articles) + " |"]
    lines.append("|---|---|" + "---|" * len(c.articles))
    for fact in shown_facts(c):
        marks = [{"states": "●", "contradicts": "✕"}.get(m, "") for m in coverage(c, fact)]
        lines.append(f"| {_cell(shorten(fact.text, 120))} | {fact.shown_status} | " + " | ".join(marks) + " |")
    return lines


def _contradictions(c: Comparison, label: dict[str, str]) -> list[str]:
    lines = ["## Contradictions", ""]
    for k in c.contradictions:
        lines.append(f"- **{k.kind}**: {k.explanation}")
        lines += [f"  - {label[s.article]}: “{shorten(s.text(c.by_id), 200)}”" for s in k.sides]
    return lines


def _terms(c: Comparison, label: dict[str, str]) -> list[str]:
    lines = ["## Naming choices", ""]
    for t in c.terms:
        forms = "; ".join(f"*{f.form}* ({', '.join(label[a] for a in f.articles)})" for f in t.forms)
        lines.append(f"- {t.referent} ({t.kind}): {forms}")
    return lines


def _voices(c: Comparison, label: dict[str, str]) -> list[str]:
    lines = ["## Voices", "", "| speaker | kind | articles | direct | reported |", "|---|---|---|---|---|"]
    for v in c.voices:
        d = sum(q.kind == "direct" for q in v.quotes)
        where = ", ".join(label[a] for a in v.articles)
        lines.append(f"| {_cell(v.speaker)} | {v.kind} | {where} | {d} | {len(v.quotes) - d} |")
    return lines


def _loaded(c: Comparison, label: dict[str, str]) -> list[str]:
    lines = ["## Loaded wording", ""]
    for x in c.loaded:
        voice = "quoted" if x.quoted else "own voice"
        lines.append(f"- {label[x.span.article]}: *{x.term}* ({x.category}, {voice})")
    return lines


def _timeline(c: Comparison, label: dict[str, str]) -> list[str]:
    lines = ["## Timeline", ""]
    for entry in c.timeline:
        cites = ", ".join(f"{label[s.article]}:{s.start}–{s.end}" for s in entry.mentions)
        lines.append(
            f"- **{entry.date.isoformat()}**: {_cell(shorten(entry.mentions[0].text(c.by_id), 140))} [{cites}]"
        )
    return lines


def _opinion(c: Comparison, label: dict[str, str]) -> list[str]:
    return ["## Opinion", "", *(f"- {label[o.span.article]}: {o.reason}" for o in c.opinion)]


def _warnings(c: Comparison, label: dict[str, str]) -> list[str]:
    return ["## Warnings", "", *(f"- {w}" for w in c.warnings)]


def render_markdown(comparison: Comparison) -> str:
    """The report as Markdown, every citation as outlet letter and character range."""
    label = letters(comparison.articles)
    sections = [
        (True, _articles),
        (True, _summary),
        (True, _matrix),
        (comparison.contradictions, _contradictions),
        (comparison.terms, _terms),
        (comparison.voices, _voices),
        (comparison.loaded, _loaded),
        (comparison.timeline, _timeline),
        (comparison.opinion, _opinion),
        (comparison.warnings, _warnings),
    ]
    lines = ["# Comparison"]
    for present, section in sections:
        if present:
            lines += ["", *section(comparison, label)]
    return printable("\n".join(lines) + "\n")  # no terminal command survives a `cat` of the file
