"""Naming choices beyond spellings: full names, abbreviations and wordings (texts written for these tests)."""

from __future__ import annotations

import pytest

from rashomon.compare.terms import _abbreviates
from tests.conftest import write_outlets


def _groups(comparison, kind):
    return [{f.form for f in t.forms} for t in comparison.terms if t.kind == kind]


@pytest.mark.parametrize(
    ("short", "long", "expected"),
    [
        ("Ft. Myers", "Fort Myers", True),
        ("U.S. Supreme Court", "United States Supreme Court", True),
        ("UK", "United Kingdom", True),
        ("Mt. Vernon", "Mount Vernon", True),
        ("Supreme Court", "United States Supreme Court", False),  # a word left out is not an abbreviation
        ("U.S. Senate", "United States Supreme Court", False),
        ("Fort Myers", "Fort Myers", False),
        ("St. Louis", "Saint Paul", False),
    ],
)
def test_abbreviated_names(short, long, expected):
    assert _abbreviates(short, long) is expected


# One referent named or worded two ways: (kind, the outlets' texts, the forms reported as one choice).
NAMED_TWO_WAYS = [
    (  # a middle initial
        "full name",
        [
            "Representative Anthony D. Weiner said on Wednesday that he did not send the photo to the student in Seattle.",
            "Anthony Weiner said on Wednesday that he did not send the photo to the college student in Seattle.",
            "Congressman Anthony Weiner told reporters on Wednesday he never sent the photo to a student in Seattle.",
        ],
        {"Anthony Weiner", "Anthony D. Weiner"},
    ),
    (  # one thing in one place of the proposition (what was sent)
        "wording",
        [
            "The congressman said on Wednesday that he did not send a lewd photo to the college student in Seattle.",
            "The congressman denied on Wednesday that he had sent a suggestive photograph to a college student in Seattle.",
        ],
        {"lewd photo", "suggestive photograph"},
    ),
    (  # the same modifiers on a synonym
        "wording",
        [
            "Prosecutors said he spent $750,000 in campaign funds on furs, watches and memorabilia over several years.",
            "He used campaign money to buy a gold watch and fur capes, prosecutors said in court papers on Wednesday.",
        ],
        {"campaign funds", "campaign money"},
    ),
]


@pytest.mark.parametrize(("kind", "texts", "forms"), NAMED_TWO_WAYS)
def test_one_referent_named_two_ways_is_a_naming_choice(workspace, tmp_path, kind, texts, forms):
    comparison = workspace.compare(write_outlets(tmp_path, texts))
    assert forms in _groups(comparison, kind)


def test_a_father_and_his_son_are_two_people(workspace, tmp_path):
    texts = [
        "Jesse Jackson Jr. pleaded guilty on Wednesday. His father, the Rev. Jesse Jackson, sat in the courtroom.",
        "Jesse L. Jackson Jr. pleaded guilty on Wednesday. His father, the Rev. Jesse L. Jackson, was in court.",
    ]
    comparison = workspace.compare(write_outlets(tmp_path, texts))
    groups = _groups(comparison, "full name")
    assert {"Jesse Jackson Jr.", "Jesse L. Jackson Jr."} in groups
    assert {"Jesse Jackson", "Jesse L. Jackson"} in groups
    people = {e.name for e in comparison.entities if e.label == "PERSON"}
    assert len([p for p in people if "Jackson" in p]) == 2


def test_an_abbreviated_place_is_a_naming_choice_but_an_acronym_introduced_in_text_is_not(workspace, tmp_path):
    texts = [
        "The ad will air in Miami and Fort Myers, the Marijuana Policy Project said. The MPP paid for it.",
        "The ad will air in Miami and Ft. Myers from Monday, according to the group that paid for the campaign.",
        "The ad will run in Miami and Fort Myers from Monday, the Marijuana Policy Project said in a statement.",
    ]
    comparison = workspace.compare(write_outlets(tmp_path, texts))
    groups = _groups(comparison, "abbreviation")
    assert {"Fort Myers", "Ft. Myers"} in groups
    assert not [g for g in groups if "MPP" in g]


def test_two_things_or_an_added_detail_are_not_a_wording_choice(workspace, tmp_path):
    texts = [
        "The Russian delegation met the mediators in Istanbul on Friday, and the meeting lasted two hours.",
        "The Ukrainian delegation met the mediators in Istanbul on Friday, and the first meeting lasted two hours.",
    ]
    comparison = workspace.compare(write_outlets(tmp_path, texts))
    assert _groups(comparison, "wording") == []


def test_a_title_alone_is_no_full_name(workspace, tmp_path):
    from rashomon.compare.entities import LinkedEntity
    from rashomon.compare.terms import _full_name_choices
    from rashomon.model import Article, Mention, Span

    article = Article(id="a", source="a", outlet="a", text="The President spoke.")
    entity = LinkedEntity(key="President", name="President", label="PERSON")
    entity.mentions.append(Mention(Span("a", 4, 13), "PERSON", "President"))
    assert _full_name_choices(entity, {"a": article}, [article]) == []


def test_one_quotation_worded_two_ways_is_a_wording_choice_even_outside_one_fact(workspace, tmp_path):
    from rashomon.compare.wording import find_wording

    texts = [
        '"Every day that passes, Iran gets closer and closer to a nuclear bomb," the prime minister says in the ad.',
        '"Every day that passes, Iran gets closer and closer to nuclear arms," the prime minister is shown saying.',
    ]
    comparison = workspace.compare(write_outlets(tmp_path, texts))
    articles = comparison.articles
    quotes = tuple(comparison.annotated[a.id].sentences[0].span for a in articles)

    def groups(aligned):
        found = find_wording([], comparison.annotated, articles, workspace.embedder.embed, aligned)
        return [{f.form for f in t.forms} for t in found]

    assert {"nuclear bomb", "nuclear arms"} in groups([quotes])
    assert groups([]) == []  # without the sentences aligned (and no fact), no evidence they word one thing


def test_one_place_filled_by_two_actors_is_two_things(workspace, tmp_path):
    texts = [
        "After the vote in the city council, Mayor John Smith held a phone call with the governor about the results.",
        "After the vote in the city council, Senator Mary Jones held urgent calls with party leaders about the results.",
    ]
    comparison = workspace.compare(write_outlets(tmp_path, texts))
    assert not [g for g in _groups(comparison, "wording") if {"phone call", "urgent calls"} <= g]
