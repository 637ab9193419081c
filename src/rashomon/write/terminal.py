"""The terminal report (rich): coverage of facts by outlet, conflicts, terms, voices, summary."""

from __future__ import annotations

import io

from rich import box
from rich.markup import escape as esc
from rich.table import Table

from rashomon.model import Comparison, letters
from rashomon.write.common import Clipped, SafeConsole, coverage, shown_facts
from rashomon.write.safe import OUTLET_UNKNOWN, shorten


def _outlets(comparison: Comparison, label: dict[str, str]) -> Table:
    table = Table(title="Articles", box=box.SIMPLE_HEAD, title_justify="left")
    table.add_column("")
    table.add_column("outlet", ratio=1)
    table.add_column("published", no_wrap=True)
    table.add_column("title (or first words)", ratio=3)
    copies = any(a.copy_of for a in comparison.articles)
    if copies:
        table.add_column("note", no_wrap=True)
    for a in comparison.articles:
        outlet = Clipped(a.outlet) if a.outlet else Clipped(OUTLET_UNKNOWN, style="dim")
        published = a.published.isoformat() if a.published else "—"
        title = Clipped(a.title) if a.title else Clipped(a.text, style="dim")
        note = [f"copy of {label[a.copy_of]}" if a.copy_of else ""] if copies else []
        table.add_row(label[a.id], outlet, published, title, *note)
    return table


def _coverage(comparison: Comparison, label: dict[str, str]) -> Table:
    table = Table(
        title="Facts × outlets  (● states it · ✕ contradicts it · blank: silent)",
        box=box.SIMPLE_HEAD,
        title_justify="left",
    )
    table.add_column("fact", ratio=1)
    table.add_column("status", no_wrap=True)
    for a in comparison.articles:
        table.add_column(label[a.id], justify="center", no_wrap=True)
    for fact in shown_facts(comparison):
        marks = [{"states": "●", "contradicts": "✕"}.get(m, "") for m in coverage(comparison, fact)]
        table.add_row(Clipped(fact.text), fact.shown_status, *marks)
    return table


def render_terminal(comparison: Comparison, *, color: bool = False, width: int = 130) -> str:
    """The whole report as terminal text `width` columns wide (tables fit it: long texts are cut at a word,
    never wrapped); colour only when asked."""
    buf = io.StringIO()
    console = SafeConsole(
        file=buf, width=width, force_terminal=color, color_system="auto" if color else None, highlight=False
    )
    label = letters(comparison.articles)
    console.print(_outlets(comparison, label))
    for aside in comparison.set_aside:
        console.print(f"[yellow]Set aside:[/] {esc(aside.source)}: {esc(aside.reason)}")
    console.print(_coverage(comparison, label))
    if comparison.contradictions:
        console.print("[bold]Where accounts contradict each other[/]")
        for c in comparison.contradictions:
            console.print(f"  [red]{c.kind}[/]: {esc(c.explanation)}")
            for s in c.sides:
                console.print(f"    {label[s.article]}: “{esc(shorten(s.text(comparison.by_id), 110))}”")
    if comparison.terms:
        console.print("[bold]Naming choices[/]")
        for t in comparison.terms:
            forms = "; ".join(f"{f.form} ({', '.join(label[a] for a in f.articles)})" for f in t.forms)
            console.print(f"  {esc(t.referent)} ({t.kind}): {esc(forms)}")
    if comparison.voices:
        console.print("[bold]Voices[/] (direct / reported)")
        for v in comparison.voices[:15]:
            d = sum(q.kind == "direct" for q in v.quotes)
            console.print(f"  {esc(v.speaker)}: {', '.join(label[a] for a in v.articles)}  ({d} / {len(v.quotes) - d})")
    own = [x for x in comparison.loaded if not x.quoted]
    if own:
        console.print("[bold]Loaded wording in the outlet's own voice[/]")
        for a in comparison.articles:
            terms = sorted({x.term for x in own if x.span.article == a.id})
            if terms:
                console.print(f"  {label[a.id]}: {esc(', '.join(terms))}")
    if comparison.timeline:
        console.print("[bold]Timeline[/]")
        for entry in comparison.timeline:
            who = ", ".join(sorted({label[s.article] for s in entry.mentions}))
            console.print(
                f"  {entry.date.isoformat()}  {esc(shorten(entry.mentions[0].text(comparison.by_id), 90))}  ({who})"
            )
    for o in comparison.opinion:
        console.print(f"[bold]Opinion[/] in {label[o.span.article]}: {esc(o.reason)}")
    console.print("[bold]Summary[/]")
    for n, sentence in enumerate(comparison.summary, 1):
        cites = ", ".join(f"{label[c.article]}:{c.start}-{c.end}" for c in sentence.citations)
        console.print(f"  {n}. {esc(sentence.text)}  [dim]\\[{cites}][/]")
    return buf.getvalue()
