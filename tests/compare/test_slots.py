"""Contradictions read from the parse (annotate.structure, compare.slots): one quantity with two figures,
one event with two dates, one predicate asserted and denied; and what must not be set against each other.

The texts are written for these tests; each pair differs from a real pattern found in the development
stories (see benchmarks/metamorphic.py), not from the bundled example.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from rashomon.annotate import NLP, annotate_articles
from rashomon.annotate.structure import stem
from rashomon.model import Article

FRIDAY = dt.date(2024, 3, 8)


def _article(aid: str, text: str) -> Article:
    return Article(id=aid, source=aid, outlet=f"Outlet {aid}", text=text, published=FRIDAY)


def _slots(text: str):
    article = _article("x", text)
    return annotate_articles([article], NLP(), {"x": FRIDAY})["x"].slots


def test_a_figure_knows_what_it_is_counted_over():
    text = "In their five operations, the crew have confiscated 14 rifles, 31 magazines and 923 rounds of ammunition."
    figures = {text[s.span.start : s.span.end]: s for s in _slots(text) if s.kind == "figure"}
    assert figures["14 rifles"].scope == {"five " + stem("operations")}
    assert figures["31 magazines"].scope == figures["14 rifles"].scope  # listed beside it, not its scope
    assert figures["five operations"].scope == frozenset()
    ranged = {
        text[s.span.start : s.span.end]: s for s in _slots("The club finished the year with a 162-139 record in 2008.")
    }
    assert not any(s.scope for s in ranged.values())  # a range's other end and a year are no scope


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
    born = next(s for s in _slots(text) if s.kind == "predicate" and s.head == stem("born"))
    assert born.negated and born.hedged


DRAGGED = (
    "The driver dragged the woman 15 feet before speeding away from the store, police said.",
    "The driver dragged the woman 10 feet before speeding away from the store, a witness said.",
)

# (kind, one account, the other, dated): one thing told two incompatible ways. Undated articles
# have no reference date, so their weekdays and month-days are compared by their words.
CONTRADICTING = [
    ("number", *DRAGGED, True),
    (
        "date",
        "The governor signed the budget bill into law on Tuesday after a long night of negotiations.",
        "The governor signed the budget bill into law on Wednesday after a long night of negotiations.",
        True,
    ),
    (
        "date",
        "The coach was fired on March 4 after four losing seasons with the club.",
        "The coach was fired on March 2 after four losing seasons with the club.",
        False,
    ),
    (
        "negation",
        "The suspect was not charged with manslaughter by the district attorney.",
        "The suspect was charged with manslaughter by the district attorney.",
        True,
    ),
    (
        "negation",
        "The two delegations did not agree on a prisoner exchange in Istanbul.",
        "The two delegations agreed on a prisoner exchange in Istanbul.",
        True,
    ),
    (
        "negation",
        "The club refused to renew the coach's contract for next season.",
        "The club renewed the coach's contract for next season.",
        True,
    ),
    (  # a denied adjective complement ("is not eligible for ...")
        "negation",
        "The former mayor, 61, is not eligible for the city pension under the new rules.",
        "The former mayor, 61, is eligible for the city pension under the new rules.",
        True,
    ),
    (  # one sentence told twice with a time changed: whatever the figure counts
        "number",
        "The suspect gave himself up to officers just after 11 p.m., the police chief said in a statement.",
        "The suspect gave himself up to officers just after 9 p.m., the police chief said in the statement.",
        True,
    ),
    (  # a dated noun: the clause's subject is not who argued
        "date",
        "In Monday's hearing on the merger, several judges said they were troubled by the contract.",
        "The question before the judges at Thursday's hearing on the merger was whether the contract held.",
        True,
    ),
    (  # one release named by two actors: the same thing done to the same things
        "date",
        "A school safety task force released a 180-page report on Wednesday that called for armed guards.",
        "Former sheriff Dale Warren on Monday released a 180-page report on school safety.",
        True,
    ),
    (  # counted over the same thing: still one quantity
        "number",
        "In its five patrols this year, the coast guard has seized 14 rifles from smugglers off the southern coast.",
        "The coast guard has seized 19 rifles from smugglers in its five patrols this year off the southern coast.",
        True,
    ),
    (  # nothing ties the two "see" but the same words after them: one assertion, denied in one account
        "negation",
        "At the hearing the director was blunt: “After months of audits, we can not see more clearly how much the plan will cost.”",
        "“We can see more clearly how much the plan will cost,” the director told reporters after the vote on Tuesday.",
        True,
    ),
    (  # an age describes the person it modifies, whoever acts in the clause
        "number",
        "The driver struck Maria Lopez, a 30-year-old nurse, as she crossed Main Street on Friday night.",
        "Witnesses say 59-year-old Maria Lopez was crossing Main Street on Friday night when she was hit.",
        True,
    ),
    (  # one remark dated by two verbs of speech
        "date",
        "The mayor announced on Monday that the city will close two clinics next year to cut costs.",
        "The city will close two clinics next year to cut costs, the mayor said on Thursday.",
        True,
    ),
    (  # the words after the predicate told alike but for one ("just")
        "negation",
        "After many hours of prayer, she wrote on her page, she can see more clearly how hurtful her words were.",
        "Ms. Lauten said in a new post late Sunday that she can not see more clearly just how hurtful her words were.",
        True,
    ),
    (  # one rank written as two ordinals
        "number",
        "The club introduced Tom Reyes on Monday as the 21st head coach in its history.",
        "Tom Reyes was introduced on Monday as the 23rd head coach in the club's history.",
        True,
    ),
    (  # one age written two ways: an apposition and an adjective
        "number",
        "Police said they arrested Dana Whitfield, 44, of Tacoma after the chase.",
        "Police arrested 54-year-old Dana Whitfield of Tacoma after the chase.",
        True,
    ),
    (  # a date the parser hung from the main verb also dates the participle just before it
        "date",
        "E-mails released by the city council on Saturday revealed a fierce fight over the budget.",
        "The city council on Wednesday released the e-mails about the fight over the budget.",
        True,
    ),
    (  # one person placed in two cities, named in one phrase and in the other's clause
        "place",
        "The package was mailed to a Denver man, later identified as Carl Mendez, on Monday.",
        "Police said the package reached Carl Mendez, a teacher at a high school in Albuquerque, N.M.",
        True,
    ),
    (  # one named person from two states
        "place",
        "The lawsuit was filed by Maria Ortega, a nurse from Ohio, on Monday.",
        "The lawsuit was filed by Maria Ortega, a nurse from Texas, on Monday.",
        True,
    ),
    (  # one event in two cities
        "place",
        "The chemical plant exploded in Houston early on Tuesday, killing two workers.",
        "The chemical plant exploded in Dallas early on Tuesday, killing two workers.",
        True,
    ),
    (  # one named building in two cities
        "place",
        "Mr. Okafor died at Mercy General Hospital in Sacramento after the crash.",
        "Mr. Okafor was taken to Mercy General Hospital in Fresno after the crash and died there.",
        True,
    ),
    (  # a time of day is part of the date, not what it dates
        "date",
        "The mayor told the council at its public session on Tuesday afternoon that she would stay on.",
        "The mayor, speaking at the council's public session Thursday afternoon, told members she would stay on.",
        True,
    ),
]

# (kind that must not be reported, one account, the other, dated): alike in words, no contradiction.
COMPATIBLE = [
    (  # figures of two people
        "number",
        "In the new poll Mitt Romney leads the Republican field at 32 percent of likely voters.",
        "In the new poll Donald Trump trails the Republican field at 17 percent of likely voters.",
        True,
    ),
    (  # the same verb, denied, followed by other words: not one assertion
        "negation",
        "After many hours of prayer, she wrote on her page, she can see more clearly how hurtful her words were.",
        "Ms. Lauten said in a new post late Sunday that she can not see more clearly what the committee wants.",
        True,
    ),
    (  # a belief against a statement
        "negation",
        "Many voters still believe that the senator was not born in the state he represents.",
        "State officials have certified that the senator was born in the state he represents.",
        True,
    ),
    (  # an unresolved weekday and month-day: nothing to compare them on
        "date",
        "The coach was fired on Friday after four losing seasons with the club.",
        "The coach was fired on March 2 after four losing seasons with the club.",
        False,
    ),
    (  # a lower and an upper bound that can both hold
        "number",
        "Deputies chased the driver at speeds of more than 100 mph before he pulled over on the highway.",
        "Deputies chased the driver at speeds of up to 120 mph before he pulled over on the highway.",
        True,
    ),
    (  # a round figure for the precise one
        "number",
        "Prosecutors said he bought a $43,350 gold-plated Rolex watch with money from the campaign.",
        "Prosecutors said he bought a $43,000 gold-plated Rolex watch with money from the campaign.",
        True,
    ),
    (  # what someone plans to do against what they did not do
        "negation",
        "Obama plans to take a tougher line with Iran over its nuclear program, his aides said on Sunday.",
        "Obama did not take a tougher line with Iran over its nuclear program, his critics said on Sunday.",
        True,
    ),
    (  # an elided predicate ("did not") says nothing to compare
        "negation",
        "Biden went after the Romney ticket with a directness that Obama did not.",
        "Biden did another thing with the Romney ticket that Obama did last week.",
        True,
    ),
    (  # one distance in two units
        "number",
        "Officers evacuated the plant, about 24 km north of the city, after the second blast on Monday.",
        "Officers evacuated the plant, about 15 miles north of the city, after the second blast on Monday.",
        True,
    ),
    (  # a total over five patrols against one seizure; and each figure is matched with its own noun's
        "number",
        "In its five patrols this year, the coast guard has seized 14 rifles from smugglers off the southern coast.",
        "On Tuesday the coast guard seized six rifles from smugglers off the southern coast, officials said.",
        True,
    ),
    (  # the ages of two people: one named, one of another people
        "number",
        "The day before, another climber, 36-year-old Tom Reed, died after falling from a ridge in the same national park.",
        "A 32-year-old British climber died after falling from a ridge in the national park.",
        True,
    ),
    (  # a question asserts nothing
        "negation",
        "Who, exactly, cut the school budget as deeply as the council did last spring?",
        "The mayor did not cut the school budget as deeply as the council did last spring.",
        True,
    ),
    (  # one verb, two actors, nothing else done alike: two events
        "date",
        "Her husband pleaded guilty on Friday to a charge of filing a false tax return for 2011.",
        "The former senator pleaded guilty on Wednesday to one count of wire fraud in federal court.",
        True,
    ),
    (  # a "not" written apart ("didn ’ t") denies its own verb, not the one after it
        "negation",
        "The mayor didn ’ t return a call seeking comment on the audit of the city budget.",
        "The mayor didn't return a call seeking comment on the audit of the city budget.",
        True,
    ),
    (  # ordinals in names rank nothing
        "number",
        "The car struck her as she crossed 117th Street on Friday night.",
        "The car struck her as she crossed 27th Street on Friday night.",
        True,
    ),
    (  # a city and the state that holds it
        "place",
        "The photo was sent to a Seattle woman, the website reported.",
        "The photo was sent to a woman in Washington State, the website reported.",
        True,
    ),
    (  # a city and its suburb: one place for a news account (annotate.places.APART_KM)
        "place",
        "The fire started at a warehouse in Irving on Sunday night.",
        "The fire started at a warehouse in Dallas on Sunday night.",
        True,
    ),
    (  # officials placed by the state they serve: two groups, not one placed twice
        "place",
        "Nebraska officials said the drug is trafficked into their state every week.",
        "Colorado officials said the drug is trafficked into their state every week.",
        True,
    ),
    (  # a place both accounts give is not in dispute, though their lists differ
        "place",
        "The advertisement will air in Miami, Tampa and Orlando next week.",
        "The advertisement will air in Miami, Tampa and Jacksonville next week.",
        True,
    ),
    (  # a relative clause's subject is the noun it modifies: the farmer, not the candidate
        "negation",
        "Braley went to law school at the University of Iowa before he was elected.",
        "Braley warned of a farmer from Iowa who never went to law school at the University of Iowa.",
        True,
    ),
]


def _pair(workspace, a: str, b: str, dated: bool):
    articles = [_article("a", a), _article("b", b)]
    if not dated:
        articles = [replace(x, published=None) for x in articles]
    return workspace.compare_articles(articles).contradictions


@pytest.mark.parametrize(("kind", "a", "b", "dated"), CONTRADICTING)
def test_one_thing_told_two_ways_is_a_contradiction(workspace, kind, a, b, dated):
    assert [c.kind for c in _pair(workspace, a, b, dated)] == [kind]


@pytest.mark.parametrize(("kind", "a", "b", "dated"), COMPATIBLE)
def test_alike_but_compatible_accounts_are_not_set_against_each_other(workspace, kind, a, b, dated):
    assert not [c for c in _pair(workspace, a, b, dated) if c.kind == kind]


def test_the_same_weekday_read_against_two_publication_dates_is_no_contradiction(workspace):
    text = "The mayor resigned on Friday after the audit of the city budget."
    a = _article("a", text)
    b = replace(_article("b", text), published=FRIDAY + dt.timedelta(days=7))
    assert not workspace.compare_articles([a, b]).contradictions


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
            _article("a", DRAGGED[0]),
            _article("b", DRAGGED[1]),
        ]
    )
    (conflict,) = comparison.contradictions
    touched = [f for f in comparison.facts if set(f.mentions) & set(conflict.sides)]
    assert touched and all(f.disputed and f.conflicts == (conflict.id,) for f in touched)
    assert all("disputed" in f.shown_status for f in touched)
    shared = [f for f in touched if len({s.article for s in f.mentions}) == 2]
    for fact in shared:  # both outlets "state" the fact, but they disagree on it: ✕ for both
        assert coverage(comparison, fact) == ["contradicts", "contradicts"]


@pytest.mark.parametrize(
    ("a", "bound_a", "b", "bound_b", "compatible"),
    [
        (100, "lower", 120, "upper", True),  # more than 100 / up to 120
        (1e6, "lower", 1.1e6, "", True),  # more than $1 million / $1.1 million
        (1000, "lower", 1500, "lower", False),  # two bounds the same way: one count told two ways
        (4, "upper", 7, "", False),  # nearly four / seven
        (300, "approximate", 320, "", True),  # about 300 / 320
        (43000, "", 43350, "", True),  # rounded
        (700e9, "", 716e9, "", True),
        (1000, "", 1100, "", False),  # two digits are not a precise figure
        (1000, "", 1390, "", False),  # too far to be the same count rounded
        (5687.75, "", 5587.75, "", False),
        (1e6, "", 5e5, "", False),
    ],
)
def test_bounds_and_rounding(a, bound_a, b, bound_b, compatible):
    from rashomon.compare.slots import compatible_figures

    assert compatible_figures(a, bound_a, b, bound_b) is compatible
    assert compatible_figures(b, bound_b, a, bound_a) is compatible


def test_a_headline_that_contradicts_another_outlet_is_a_contradiction(workspace):
    """A headline is no claim of its own (its lede repeats it), but what it says is checked."""
    head = "City council fires police chief Ann Moore on Thursday after audit"
    a = replace(
        _article("a", head + "\nThe audit found missing funds in the department's overtime budget for two years."),
        title=head,
    )
    b = _article("b", "On Monday, the city council fired police chief Ann Moore after an audit of the overtime budget.")
    comparison = workspace.compare_articles([a, b])
    (conflict,) = comparison.contradictions
    assert conflict.kind == "date"
    assert any(s.article == "a" and a.text[s.start : s.end] == head for s in conflict.sides)
    assert not any(head in m.text(comparison.by_id) for f in comparison.facts for m in f.mentions)


@pytest.mark.parametrize(
    ("a", "unit_a", "b", "unit_b", "same"),
    [
        (24, "km", 15, "miles", True),  # 14.9 miles, rounded
        (60, "metres", 200, "feet", True),
        (100, "kilograms", 220, "pounds", True),
        (24, "km", 40, "miles", False),
        (10, "miles", 10, "km", False),
        (5, "percent", 5, "points", False),  # not units of measure: not converted
    ],
)
def test_one_amount_in_two_units(a, unit_a, b, unit_b, same):
    from rashomon.compare.slots import converted

    assert converted(a, stem(unit_a), b, stem(unit_b)) is same


def test_a_place_knows_whom_or_what_it_places():
    text = "The driver, John Miller, a nurse at a clinic in Bellingham, Wash., crashed his car in Seattle on Monday."
    places = {text[s.span.start : s.span.end]: s for s in _slots(text) if s.kind == "place"}
    assert places["Bellingham"].value == "of:Bellingham|Wash"  # the state is its qualifier, no place of its own
    assert places["Bellingham"].head == stem("nurse") and places["Bellingham"].names == {stem("john"), stem("miller")}
    assert places["Seattle"].value.startswith("at:") and places["Seattle"].head == stem("crashed")
    titles = "Ohio Governor Mike DeWine and Nebraska officials met in Omaha."
    assert [titles[s.span.start : s.span.end] for s in _slots(titles) if s.kind == "place"] == ["Omaha"]


@pytest.mark.parametrize(
    ("a", "b", "apart"),
    [
        ("Seattle", "Bellingham", True),  # 130 km
        ("Dallas", "Irving", False),  # a suburb
        ("Seattle", "Washington", False),  # the state holds it (the city in DC does not, but one reading does)
        ("Kiev", "Kyiv", False),  # two names of one city
        ("Ohio", "Texas", False),  # two states: more often two topics than one place told twice
        ("Gondor", "Seattle", False),  # unknown: nothing is known of it
    ],
)
def test_places_are_apart_only_when_every_reading_is(a, b, apart):
    from rashomon.annotate.places import apart as places_apart
    from rashomon.annotate.places import readings

    assert places_apart(readings(a), readings(b)) is apart
