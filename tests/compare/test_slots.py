"""Contradictions read from the parse (annotate.structure, compare.slots): one quantity with two figures,
one event with two dates, one predicate asserted and denied; and what must not be set against each other.

The texts are written for these tests; each pair differs from a real pattern found in the development
stories (see benchmarks/metamorphic.py), not from the bundled example.
"""

from __future__ import annotations

import datetime as dt

import pytest

from rashomon.annotate import NLP, annotate_articles
from rashomon.model import Article

FRIDAY = dt.date(2024, 3, 8)


def _article(aid: str, text: str) -> Article:
    return Article(id=aid, source=aid, outlet=f"Outlet {aid}", text=text, published=FRIDAY)


def _conflicts(workspace, a: str, b: str):
    return workspace.compare_articles([_article("a", a), _article("b", b)]).contradictions


def _slots(text: str):
    article = _article("x", text)
    return annotate_articles([article], NLP(), {"x": FRIDAY})["x"].slots


def test_a_figure_knows_what_it_counts_and_who_it_belongs_to():
    text = "Mitt Romney leads the field at 32 percent. Russia agreed to exchange 1,000 prisoners of war on Friday."
    figures = {text[s.span.start : s.span.end]: s for s in _slots(text) if s.kind == "figure"}
    assert figures["32 percent"].head == "percent"
    assert "romney" in figures["32 percent"].names
    assert figures["1,000 prisoners"].head == "prison"
    assert {"exchang", "war"} <= figures["1,000 prisoners"].context


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("The two sides did not agree on a ceasefire.", "agree"),
        ("Ukraine refused to sign the memorandum.", "sign"),
        ("The coach has not been fired by the club.", "fired"),
        ("A secure border is not vital to the economy.", "vital"),
        ("The negotiators reached no agreement in Geneva.", "reached"),
    ],
)
def test_denied_predicates_are_negated_whatever_their_form(text, word):
    slots = [s for s in _slots(text) if s.kind == "predicate" and text[s.span.start : s.span.end] == word]
    assert slots and slots[0].negated


def test_what_is_only_believed_is_hedged():
    text = "Many voters believe that the senator was not born in the state."
    born = next(s for s in _slots(text) if s.kind == "predicate" and s.head == "born")
    assert born.negated and born.hedged


def test_a_changed_figure_of_one_quantity_is_a_contradiction(workspace):
    found = _conflicts(
        workspace,
        "The driver dragged the woman 15 feet before speeding away from the store, police said.",
        "The driver dragged the woman 10 feet before speeding away from the store, a witness said.",
    )
    assert [c.kind for c in found] == ["number"]


def test_figures_of_two_people_are_not_set_against_each_other(workspace):
    found = _conflicts(
        workspace,
        "In the new poll Mitt Romney leads the Republican field at 32 percent of likely voters.",
        "In the new poll Donald Trump trails the Republican field at 17 percent of likely voters.",
    )
    assert not [c for c in found if c.kind == "number"]


def test_one_event_told_with_two_weekdays_is_a_contradiction(workspace):
    found = _conflicts(
        workspace,
        "The governor signed the budget bill into law on Tuesday after a long night of negotiations.",
        "The governor signed the budget bill into law on Wednesday after a long night of negotiations.",
    )
    assert [c.kind for c in found] == ["date"]


def test_unresolvable_month_days_still_differ(workspace):
    a = Article(
        id="a", source="a", outlet="A", text="The coach was fired on March 4 after four losing seasons with the club."
    )
    b = Article(
        id="b", source="b", outlet="B", text="The coach was fired on March 2 after four losing seasons with the club."
    )
    assert [c.kind for c in workspace.compare_articles([a, b]).contradictions] == ["date"]


def test_the_same_weekday_read_against_two_publication_dates_is_no_contradiction(workspace):
    a = Article(
        id="a",
        source="a",
        outlet="A",
        text="The mayor resigned on Friday after the audit of the city budget.",
        published=FRIDAY,
    )
    b = Article(
        id="b",
        source="b",
        outlet="B",
        text="The mayor resigned on Friday after the audit of the city budget.",
        published=FRIDAY + dt.timedelta(days=7),
    )
    assert not workspace.compare_articles([a, b]).contradictions


@pytest.mark.parametrize(
    ("denied", "stated"),
    [
        (
            "The suspect was not charged with manslaughter by the district attorney.",
            "The suspect was charged with manslaughter by the district attorney.",
        ),
        (
            "The two delegations did not agree on a prisoner exchange in Istanbul.",
            "The two delegations agreed on a prisoner exchange in Istanbul.",
        ),
        (
            "The club refused to renew the coach's contract for next season.",
            "The club renewed the coach's contract for next season.",
        ),
    ],
)
def test_a_denied_predicate_is_a_contradiction(workspace, denied, stated):
    assert [c.kind for c in _conflicts(workspace, denied, stated)] == ["negation"]


def test_a_belief_does_not_contradict_a_statement(workspace):
    found = _conflicts(
        workspace,
        "Many voters still believe that the senator was not born in the state he represents.",
        "State officials have certified that the senator was born in the state he represents.",
    )
    assert not [c for c in found if c.kind == "negation"]


def test_one_denial_against_several_outlets_is_one_conflict_with_every_side(workspace):
    texts = [
        "The suspect was not charged with manslaughter by the district attorney on Thursday.",
        "The suspect was charged with manslaughter by the district attorney on Thursday.",
        "The suspect was charged with manslaughter by the district attorney's office on Thursday.",
    ]
    found = workspace.compare_articles([_article(str(i), t) for i, t in enumerate(texts)]).contradictions
    assert len(found) == 1 and {s.article for s in found[0].sides} == {"0", "1", "2"}


def test_a_fact_with_a_contradicted_sentence_says_it_is_disputed(workspace):
    from rashomon.write.common import coverage

    comparison = workspace.compare_articles(
        [
            _article("a", "The driver dragged the woman 15 feet before speeding away from the store, police said."),
            _article("b", "The driver dragged the woman 10 feet before speeding away from the store, a witness said."),
        ]
    )
    (conflict,) = comparison.contradictions
    touched = [f for f in comparison.facts if set(f.mentions) & set(conflict.sides)]
    assert touched and all(f.disputed and f.conflicts == (conflict.id,) for f in touched)
    assert all("disputed" in f.shown_status for f in touched)
    shared = [f for f in touched if len({s.article for s in f.mentions}) == 2]
    for fact in shared:  # both outlets "state" the fact, but they disagree on it: ✕ for both
        assert coverage(comparison, fact) == ["contradicts", "contradicts"]


def test_a_weekday_and_a_month_day_that_cannot_be_resolved_are_not_compared(workspace):
    a = Article(
        id="a", source="a", outlet="A", text="The coach was fired on Friday after four losing seasons with the club."
    )
    b = Article(
        id="b", source="b", outlet="B", text="The coach was fired on March 2 after four losing seasons with the club."
    )
    assert not workspace.compare_articles([a, b]).contradictions
