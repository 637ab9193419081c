"""The four report formats: the JSON contract, a self-contained HTML page, Markdown and terminal text."""

from __future__ import annotations

import re

from rashomon.write.html import render_html
from rashomon.write.markdown import render_markdown
from rashomon.write.terminal import render_terminal


def _evidence(report):
    yield from (m for f in report["facts"] for m in f["mentions"])
    yield from (s for c in report["contradictions"] for s in c["sides"])
    yield from (c for s in report["summary"] for c in s["citations"])
    yield from (q for v in report["voices"] for q in v["quotes"])
    yield from report["loaded"]
    yield from report["opinion"]
    yield from (m for t in report["timeline"] for m in t["mentions"])
    yield from (m for t in report["terms"] for f in t["forms"] for m in f["mentions"])


def test_every_piece_of_evidence_matches_its_article_text(seed_report):
    texts = {a["id"]: a["text"] for a in seed_report["articles"]}
    count = 0
    for ev in _evidence(seed_report):
        assert set(ev) >= {"article", "start", "end", "text"}
        assert texts[ev["article"]][ev["start"] : ev["end"]] == ev["text"]
        count += 1
    assert count > 100


def test_json_has_the_documented_fields(seed_report):
    assert set(seed_report) >= {
        "schema_version",
        "articles",
        "set_aside",
        "facts",
        "contradictions",
        "terms",
        "voices",
        "loaded",
        "opinion",
        "timeline",
        "summary",
    }
    assert set(seed_report["articles"][0]) >= {
        "id",
        "source",
        "outlet",
        "title",
        "published",
        "byline",
        "text",
        "copy_of",
    }
    assert set(seed_report["facts"][0]) >= {"id", "status", "support", "mentions"}


def test_html_is_self_contained_and_escaped(seed_comparison):
    page = render_html(seed_comparison)
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "<script src" not in page and "<link" not in page
    assert page.count('class="cite"') >= len(seed_comparison.summary)
    assert "Facts × outlets" in page


def test_html_escapes_article_text(workspace, tmp_path):
    (tmp_path / "a.txt").write_text(
        "Evil <script>alert(1)</script> headline text that goes on\n\nThe council met and said <img src=x onerror=alert(2)> was fine.\n"
    )
    (tmp_path / "b.txt").write_text("The council met on Monday and said the pool would close for repairs.\n")
    page = render_html(workspace.compare([str(tmp_path)]))
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)" in page


def test_markdown_and_terminal_show_every_section(seed_comparison):
    md = render_markdown(seed_comparison)
    for heading in ("## Summary", "## Facts × outlets", "## Contradictions", "## Naming choices", "## Voices"):
        assert heading in md
    term = render_terminal(seed_comparison)
    assert "Facts × outlets" in term and "Summary" in term and "\x1b[" not in term


def test_json_lists_merged_entities_and_quantities(seed_report):
    by_name = {e["name"]: e for e in seed_report["entities"]}
    zelensky = next(
        e for e in seed_report["entities"] if "Zelenskiy" in e["aliases"] or e["name"].endswith("Zelenskiy")
    )
    assert {"Zelensky", "Zelenskyy"} <= {*zelensky["aliases"], *zelensky["name"].split()}
    assert len(zelensky["articles"]) == 5
    assert "Kiev" in by_name["Kyiv"]["aliases"]
    units = {(q["value"], q["unit"]) for q in seed_report["quantities"]}
    assert (1000.0, "prisoners") in units and (30.0, "day") in units
    assert not any(q["text"].lower().startswith("one ") for q in seed_report["quantities"])


def test_the_matrix_marks_who_contradicts_a_fact(seed_comparison):
    from rashomon.write.common import coverage

    order = [a.id for a in seed_comparison.articles]
    by_stem = {a.source.rsplit("/", 1)[-1][:3]: a.id for a in seed_comparison.articles}
    call = next(
        f
        for f in seed_comparison.facts
        if any("Lavrov held a phone call" in m.text(seed_comparison.by_id) for m in f.mentions)
    )
    marks = dict(zip(order, coverage(seed_comparison, call), strict=True))
    assert marks[by_stem["000"]] == "states"
    assert marks[by_stem["001"]] == "contradicts"  # "Russia has not held talks with the US"
    for fact in seed_comparison.facts:
        cells = dict(zip(order, coverage(seed_comparison, fact), strict=True))
        for span in fact.mentions:
            assert cells[span.article] in ("states", "contradicts")


# -- the reader's view: outlets never named by a file, texts cut at a word, tables that fit --------------------


def test_no_file_stem_is_ever_shown_as_an_outlet(seed_comparison, seed_report):
    from rashomon.write.html import render_html as html

    stems = [a.source.rsplit("/", 1)[-1].removesuffix(".txt") for a in seed_comparison.articles]
    shown = [render_terminal(seed_comparison), render_markdown(seed_comparison), html(seed_comparison)]
    shown += [s["text"] for s in seed_report["summary"]]
    for text in shown:
        for stem in stems:
            # the page's data may carry the source path; no stem is shown as who speaks
            assert f"{stem} reports" not in text and f">{stem}<" not in text and f"│ {stem}" not in text
    assert [a["outlet"] for a in seed_report["articles"]].count(None) == 4
    assert "Realist English" in [a["outlet"] for a in seed_report["articles"]]


def test_the_summary_names_an_unknown_outlet_by_its_article_letter(seed_comparison):
    from rashomon.model import letters

    label = letters(seed_comparison.articles)
    unknown = {f"article {label[a.id]} (outlet unknown)" for a in seed_comparison.articles if a.outlet is None}
    spoken = [s.text for s in seed_comparison.summary if s.section in ("single", "differ")]
    assert spoken and all(any(u in t for u in unknown) or "Realist English" in t for t in spoken)


def test_shorten_cuts_at_a_word_with_an_ellipsis():
    from rashomon.write.safe import shorten

    text = "despite no breakthroughs at Friday's Istanbul talks by delegations representing the warring sides."
    for width in range(12, len(text)):
        cut = shorten(text, width)
        assert len(cut) <= width and cut.endswith("…")
        assert text.startswith(cut[:-1]) and text[len(cut) - 1] in " ,.", (width, cut)  # the next is a space
    assert shorten("  short   text ", 40) == "short text"
    assert shorten("Putin-Zelensky meeting, talks", 24) == "Putin-Zelensky meeting…"  # no dangling comma


def test_the_terminal_report_fits_a_narrow_terminal(seed_comparison):
    for width in (80, 100):
        term = render_terminal(seed_comparison, width=width)
        lines = term.splitlines()
        assert max(len(line) for line in lines) <= width
        # each article and each shown fact is one row: no title wrapped onto further lines
        table = lines[: next(i for i, line in enumerate(lines) if line.startswith("Facts"))]
        rows = [line for line in table if re.match(r"^\s+[A-Z]\s{2,}", line)]
        assert len(rows) == len(seed_comparison.articles)
        assert all(re.search(r"(…|\w|’)\s*$", row) for row in rows)
