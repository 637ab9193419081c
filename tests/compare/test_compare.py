"""What a user relies on in a comparison: order-free, copies counted once, off-topic set aside."""

from __future__ import annotations

import json
import random
import shutil

from rashomon.write.json import render_json
from tests.conftest import EXAMPLE, FIXTURES


def test_input_order_does_not_change_the_report(workspace, seed_comparison):
    paths = sorted(str(p) for p in EXAMPLE.glob("*.txt"))
    random.Random(7).shuffle(paths)
    shuffled = workspace.compare(paths)
    a = json.loads(render_json(seed_comparison))
    b = json.loads(render_json(shuffled))
    for report in (a, b):
        for art in report["articles"]:
            art["source"] = art["source"].rsplit("/", 1)[-1]
    assert a == b


def test_near_copy_adds_no_independent_support(workspace, tmp_path):
    for p in EXAMPLE.glob("*.txt"):
        shutil.copy(p, tmp_path / p.name)
    original = next(EXAMPLE.glob("001_*.txt")).read_text("utf-8")
    edited = original.replace("Kremlin spokesman", "Kremlin press secretary").replace(
        "On Friday,", "On Friday afternoon,"
    )
    (tmp_path / "reprint.txt").write_text(edited + "\nThis article was syndicated.\n", encoding="utf-8")
    comparison = workspace.compare([str(tmp_path)])
    copies = [a for a in comparison.articles if a.copy_of]
    assert len(copies) == 1 and copies[0].source.endswith("reprint.txt")
    for fact in comparison.facts:
        outlets = {
            a.outlet_key for a in comparison.articles if a.id in {m.article for m in fact.mentions} and not a.copy_of
        }
        assert fact.support.independent <= max(len(outlets), 1)


def test_offtopic_article_is_set_aside_with_a_reason(workspace, tmp_path):
    for p in EXAMPLE.glob("*.txt"):
        shutil.copy(p, tmp_path / p.name)
    shutil.copy(FIXTURES / "offtopic.txt", tmp_path / "offtopic.txt")
    comparison = workspace.compare([str(tmp_path)])
    assert [s.source.rsplit("/", 1)[-1] for s in comparison.set_aside] == ["offtopic.txt"]
    assert "not about the same event" in comparison.set_aside[0].reason
    assert all("bridge" not in f.text for f in comparison.facts)


def test_the_seed_articles_are_all_kept(seed_comparison):
    assert seed_comparison.set_aside == [] and len(seed_comparison.articles) == 5


def test_fact_status_follows_support(seed_comparison):
    total = len(seed_comparison.articles)
    for fact in seed_comparison.facts:
        n = fact.support.independent
        expected = "one" if n < 2 else "all" if n == total else "most" if 2 * n > total else "some"
        assert fact.status == expected


def test_summary_is_cited_supported_and_unloaded(seed_comparison):
    from rashomon.compare.summary import check_summary

    assert seed_comparison.summary
    assert check_summary(seed_comparison) == []
    own_loaded = {x.term for x in seed_comparison.loaded}
    for sentence in seed_comparison.summary:
        if sentence.section != "differ":
            assert not any(t in sentence.text.lower() for t in own_loaded), sentence.text


def test_summary_never_presents_one_outlet_as_shared(seed_comparison):
    facts_by_mentions = {f.mentions: f for f in seed_comparison.facts}
    for sentence in seed_comparison.summary:
        if sentence.section == "shared":
            assert facts_by_mentions[sentence.citations].support.independent >= 2
        if sentence.section == "single":
            assert len({c.article for c in sentence.citations}) == 1


def test_name_spellings_are_naming_choices(seed_report):
    groups = [{f["form"] for f in t["forms"]} for t in seed_report["terms"]]
    assert {"Zelensky", "Zelenskiy", "Zelenskyy"} in groups
    assert {"Kiev", "Kyiv"} in groups
    assert {"Umerov", "Umierov"} in groups


def test_relative_dates_resolve_against_publication(seed_comparison):
    first = seed_comparison.articles[0]
    assert first.published is not None
    friday = [
        d
        for d in seed_comparison.annotated[first.id].dates
        if d.relative and "Friday" in first.text[d.span.start : d.span.end]
    ]
    assert friday and friday[0].date.isoformat() == "2025-05-16"


def test_a_shared_claim_is_never_reported_as_one_outlets(seed_comparison):
    shared = {s for f in seed_comparison.facts if f.support.independent >= 2 for s in f.mentions}
    for fact in seed_comparison.facts:
        if fact.support.independent == 1 and len(fact.mentions) == 1:
            assert fact.mentions[0] not in shared, fact.text
    for sentence in seed_comparison.summary:
        if sentence.section == "single":
            assert not set(sentence.citations) & shared, sentence.text


def test_one_proposition_is_one_fact(seed_comparison):
    from rashomon.compare.facts import duplicate_pairs

    facts = seed_comparison.facts
    assert duplicate_pairs(facts) == [], [(facts[i].text[:60], facts[j].text[:60]) for i, j in duplicate_pairs(facts)]
    assert len({f.text for f in facts}) == len(facts)


def test_groups_sharing_most_of_each_merge_and_those_sharing_a_sentence_stay_apart():
    from rashomon.compare.facts import merge_overlapping

    assert merge_overlapping([[1, 2, 3], [2, 3, 4], [7, 8]]) == [[1, 2, 3, 4], [7, 8]]
    # one sentence stating two propositions keeps both facts
    assert merge_overlapping([[1, 2, 3, 4], [4, 5, 6]]) == [[1, 2, 3, 4], [4, 5, 6]]
    # a chain merges step by step
    assert merge_overlapping([[1, 2], [2, 3], [1, 2, 3, 9]]) == [[1, 2, 3, 9]]


def test_the_summary_is_never_empty_while_outlets_share_a_fact(workspace):
    """Every sentence of the shared fact holds a loaded word: it is quoted with them elided, not left out."""
    from rashomon.compare.summary import check_summary
    from rashomon.model import Article

    a = Article(
        id="a",
        source="a",
        outlet="A",
        text="The mayor slammed the radical plan to close the old bridge on Monday.\n\n"
        "The council will vote again in June on the bridge, officials said.",
    )
    b = Article(
        id="b",
        source="b",
        outlet="B",
        text="The mayor blasted the radical plan to close the old bridge on Monday.\n\n"
        "Engineers found deep cracks in the bridge last year, a report showed.",
    )
    comparison = workspace.compare_articles([a, b])
    shared = [s for s in comparison.summary if s.section == "shared"]
    assert len(shared) == 1 and shared[0].text.startswith("2 accounts report: “The mayor […] the […] plan")
    assert not {"slammed", "blasted", "radical"} & set(shared[0].text.split())
    assert {c.article for c in shared[0].citations} == {"a", "b"} and not check_summary(comparison)


def test_no_summary_sentence_is_cut_inside_a_quote(seed_comparison):
    from rashomon.compare.summary import _whole_quotes

    assert _whole_quotes('He said "we will stay" and left.') and _whole_quotes("“We will stay,” he said.")
    assert not _whole_quotes("“We will stay. We will not leave.") and not _whole_quotes('We will not leave," he said.')
    for sentence in seed_comparison.summary:
        if sentence.section == "shared":
            assert _whole_quotes(sentence.text), sentence.text


def test_the_summary_keeps_to_its_word_budget_and_to_every_section(seed_comparison, workspace):
    from rashomon.compare.summary import SUMMARY_MAX_WORDS
    from rashomon.settings import CompareOptions

    words = sum(len(s.text.split()) for s in seed_comparison.summary)
    assert words <= SUMMARY_MAX_WORDS  # five long articles: the cap, not the median article's length
    assert {s.section for s in seed_comparison.summary} == {"shared", "differ", "single"}
    short = workspace.compare_articles(seed_comparison.articles, options=CompareOptions(summary_length=0.05))
    assert 1 <= len(short.summary) <= 3 and short.summary[0].section == "shared"  # 40 words: one a section at most


def test_a_shared_fact_is_said_in_a_sentence_that_stands_alone(workspace):
    """Of two outlets' sentences stating one fact, the summary takes the one whose "he" does not point at
    a sentence the summary leaves out, though the other is nearer a readable length."""
    from rashomon.model import Article

    a = Article(
        id="a",
        source="a",
        outlet="A",
        text="The city engineer spoke at the council meeting.\n\n"
        "The old river bridge will close on Monday for six weeks of repairs to its cracked deck, he said.",
    )
    b = Article(
        id="b",
        source="b",
        outlet="B",
        text="The old river bridge will close on Monday for six weeks of deck repairs.\n\n"
        "Drivers will be sent over the northern bypass, the council said.",
    )
    shared = [s for s in workspace.compare_articles([a, b]).summary if s.section == "shared"]
    assert shared and shared[0].text == "The old river bridge will close on Monday for six weeks of deck repairs."
