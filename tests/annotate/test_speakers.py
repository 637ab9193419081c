"""Who "he" and "she" are: gender read from the text itself, agreement, and the nearest fitting person."""

from __future__ import annotations

import pytest

from rashomon.model import Article

OTHER = Article(id="b", source="b", outlet="B", text="The council met on Monday and voted to close the bridge.")


@pytest.fixture
def quotes(workspace):
    def run(text: str) -> list[tuple[str, str | None]]:
        article = Article(id="a", source="a", outlet="A", text=text)
        comparison = workspace.compare_articles([article, OTHER])
        return [
            (text[q.span.start : q.span.end], q.speaker) for q in comparison.annotated["a"].quotes if q.kind == "direct"
        ]

    return run


def test_she_is_the_woman_the_text_names_not_the_last_man_who_spoke(quotes):
    text = (
        'Senator Tom Baker said the vote was "a disgrace for this chamber" and walked out.\n\n'
        "Enter Ms. Carla Reyes, a former aide who describes herself online as a fighter.\n\n"
        '"We will not back down on this bill, not now and not ever," she said on Monday.'
    )
    said = dict(quotes(text))
    assert said["We will not back down on this bill, not now and not ever,"] == "Carla Reyes"


def test_a_pronoun_takes_the_gender_the_text_gives_by_title_apposition_or_possessive(quotes):
    for intro in (
        "Congresswoman Dana Whitfield met Governor Paul Grant at the capitol on Friday.",
        "Dana Whitfield, a spokeswoman for the campaign, met Governor Paul Grant on Friday.",
        "Dana Whitfield made her case to Governor Paul Grant on Friday.",
    ):
        text = intro + '\n\nGrant listened. "The plan is dead on arrival in this building," she told reporters.'
        said = dict(quotes(text))
        assert said["The plan is dead on arrival in this building,"] == "Dana Whitfield", intro


def test_a_subject_earlier_in_the_sentence_comes_before_a_person_named_after_it(quotes):
    text = (
        "Paul Ryan spoke to Fox News on Tuesday about the budget and the deficit.\n\n"
        'In the interview, Ryan also hammered Obama for what he called his "utter failure when it comes '
        'to creating jobs."'
    )
    said = dict(quotes(text))
    assert said["utter failure when it comes to creating jobs."] == "Ryan"


def test_a_speech_verb_inside_a_quote_does_not_make_a_new_speaker(quotes):
    text = (
        "Benjamin Netanyahu appeared on a Sunday talk show, urging Barack Obama to take a tougher line.\n\n"
        '"President Obama has said that he is determined to stop them," he said on the show. '
        '"If you are determined, it means you will act before they get there."'
    )
    said = dict(quotes(text))
    assert said["President Obama has said that he is determined to stop them,"] == "Benjamin Netanyahu"
    assert said["If you are determined, it means you will act before they get there."] == "Benjamin Netanyahu"


def test_the_order_in_which_persons_are_tried():
    from rashomon.annotate.genders import Antecedents

    people = Antecedents({"reyes": "f", "baker": "m"})
    people.saw(0, "Tom Baker")
    people.saw(1, "Carla Reyes")
    people.saw(1, "Sam Lee")  # of unknown gender, named last
    assert people.resolve("she", 1, [None, None]) == "Carla Reyes"  # known to agree beats more recent unknown
    assert people.resolve("he", 1, [None, None]) == "Tom Baker"
    assert people.resolve("he", 1, ["Sam Lee"]) == "Sam Lee"  # the last speaker, named nearby, comes first
    assert people.resolve("he", 2, ["Tom Baker"]) == "Sam Lee"  # a speaker named two paragraphs back waits
    assert people.resolve("she", 9, ["Tom Baker", "Carla Reyes"]) == "Carla Reyes"  # beyond the window


def test_gender_votes_that_disagree_leave_the_gender_unknown(workspace):
    from rashomon.annotate.genders import genders
    from rashomon.model import Mention, Span

    text = "Mr. Jordan Casey spoke first. Ms. Jordan Casey spoke next. Mr. Alex Moore spoke last."
    doc = workspace.nlp.parse([text])[0]
    spans = [(n, text.index(n, i)) for n, i in (("Jordan Casey", 0), ("Jordan Casey", 20), ("Alex Moore", 40))]
    people = [Mention(Span("a", start, start + len(n)), "PERSON", n) for n, start in spans]
    found = genders(doc, people, lambda t: None, lambda i: False)
    assert found == {"moore": "m"}


def test_they_is_the_last_plural_speaker_named_nearby(quotes):
    text = (
        "Federal officials said on Monday that the bridge would stay closed for at least six months.\n\n"
        '"We cannot risk a collapse with buses on it," they said in a statement.\n\n'
        'Mayor Ana Duarte disagreed. "This is an overreaction," she said.\n\n'
        "The council met again on Friday.\n\nThe ferry will run every hour.\n\n"
        '"We will see about that," they said.'
    )
    said = dict(quotes(text))
    assert said["We cannot risk a collapse with buses on it,"] == "Federal officials"
    assert said["This is an overreaction,"] == "Ana Duarte"
    assert said["We will see about that,"] is None  # the officials were last named paragraphs ago


def test_according_to_names_the_source_not_who_speaks_on(quotes):
    text = (
        '"I want to see the certificate," said Dana Whitfield in an interview on a morning show, according to '
        'The Ledger. "How come nobody in that office knows where it is?"'
    )
    said = dict(quotes(text))
    assert said["How come nobody in that office knows where it is?"] == "Dana Whitfield"


def test_a_resolved_he_carries_the_speaker_into_the_next_paragraph(quotes):
    text = (
        "Former senator John Ashby had urged him to quit the race on Monday.\n\n"
        "Instead, his campaign released an ad in which Todd Akin looks into the camera.\n\n"
        '"I used the wrong words in the wrong way and for that I apologize," he said in the ad.\n\n'
        '"The mistake I made was in the words I said, not in the heart I hold," he said.'
    )
    said = dict(quotes(text))
    assert said["I used the wrong words in the wrong way and for that I apologize,"] == "Todd Akin"
    assert said["The mistake I made was in the words I said, not in the heart I hold,"] == "Todd Akin"


def test_a_quote_over_several_sentences_takes_the_cue_after_its_closing_mark(quotes):
    # opened with a curly mark and closed with a straight one, as pasted copy often is
    text = (
        "The former prosecutor stepped forward after others declined.\n\n"
        "\u201cI was stunned when the leader lost his seat. He is a good friend. But the message is clear -- "
        'voters are looking for a change," Labrador said in a statement.'
    )
    said = dict(quotes(text))
    assert said[next(q for q in said if q.startswith("I was stunned"))] == "Labrador"


def test_a_question_quote_goes_on_with_its_cue_and_a_quote_only_verb_attributes_it(quotes):
    text = (
        "During his remarks, the president called out the speaker of the House.\n\n"
        '"What have you guys been debating, John? You\'ve been debating a coin for baseball?" Obama said. '
        "The resolution passed on Tuesday.\n\n"
        "\"Why can't Mitt Romney run his race and I'll run mine?\" Akin continued."
    )
    said = dict(quotes(text))
    assert said["What have you guys been debating, John? You've been debating a coin for baseball?"] == "Obama"
    assert said["Why can't Mitt Romney run his race and I'll run mine?"] == "Akin"


def test_a_verb_that_only_frames_a_quote_reports_nothing_without_one(workspace):
    article = Article(
        id="a", source="a", outlet="A", text="The fighting continued near Kharkiv on Monday, Ukraine said."
    )
    comparison = workspace.compare_articles([article, OTHER])
    cues = [q.cue for q in comparison.annotated["a"].quotes]
    assert cues == ["said"]


def test_a_name_after_the_cue_is_the_speaker_not_a_name_in_its_relative_clause(quotes):
    text = (
        '"Rise to the occasion. And certainly don\'t make faces during public events." added Lauten, '
        "who works for Rep. Stephen Fincher, R-Tenn."
    )
    said = dict(quotes(text))
    assert said["Rise to the occasion. And certainly don't make faces during public events."] == "Lauten"


def test_a_paragraph_without_a_full_stop_does_not_lend_its_names_to_the_next_subject(quotes):
    text = (
        "The statement came from Sen. Roy Blunt and former Sens. John Ashcroft, Kit Bond and Jim Talent\n\n"
        'Romney released a statement late Tuesday saying: "The comments were offensive and wrong."'
    )
    said = dict(quotes(text))
    assert said["The comments were offensive and wrong."] == "Romney"


def test_the_governor_is_the_person_the_article_titled_governor_or_the_last_speaker(quotes):
    titled = (
        "Texas Gov. Rick Perry met voters in Iowa on Tuesday, and Mitt Romney spoke in Ohio.\n\n"
        '"We will win this state," Romney said.\n\n'
        '"Faith made America strong," the Texas governor continued.'
    )
    assert dict(quotes(titled))["Faith made America strong,"] == "Rick Perry"
    described = (
        'Republican candidate Rick Perry pledged to end what he called a "war on religion" in a new ad.\n\n'
        '"As president, I\'ll fight for our heritage," the Texas governor continues in the ad.'
    )
    assert dict(quotes(described))["As president, I'll fight for our heritage,"] == "Rick Perry"


def test_reported_by_an_agent_and_an_organisation_named_by_its_description(workspace):
    text = (
        "The photo was first reported on Saturday by BigGovernment.com, a conservative website.\n\n"
        "The ad was made for Freedom Watch, a nonprofit organization based in Washington. "
        "On its website the organization describes itself as representing all political views.\n\n"
        "The comedian Jon Stewart joked that the photo could not have been of the congressman."
    )
    article = Article(id="a", source="a", outlet="A", text=text)
    quotes = workspace.compare_articles([article, OTHER]).annotated["a"].quotes
    speakers = {q.cue: q.speaker for q in quotes}
    assert speakers["reported"] == "BigGovernment.com"
    assert speakers["describes"] == "Freedom Watch"
    assert speakers["joked"] == "Jon Stewart"


def test_a_title_belongs_to_the_name_it_stands_before(quotes):
    text = (
        "Lindsey Graham and Rick Perry spoke in Texas on Monday.\n\n"
        "Sen. Graham and Gov. Perry met in Austin on Tuesday.\n\n"
        '"We agreed on very little," the senator said.'
    )
    assert dict(quotes(text))["We agreed on very little,"] in ("Graham", "Lindsey Graham")
