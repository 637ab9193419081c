"""False alarms found on stories the tool was not tuned on, kept from coming back (texts written for these tests)."""

from __future__ import annotations

from rashomon.annotate import NLP, annotate_articles
from rashomon.annotate.numbers import find_numbers
from rashomon.model import Article
from tests.conftest import write_outlets


def test_two_people_of_one_surname_are_not_a_naming_choice(workspace, tmp_path):
    texts = [
        "Bill Clinton and Hillary Clinton attended the gala in New York on Monday. Bill Clinton spoke first about the charity.",
        "Hillary Clinton spoke at the charity gala in New York on Monday. Bill Clinton said the charity had raised money.",
        "The Clinton charity gala in New York drew Bill Clinton on Monday, and he praised the donors for their money.",
    ]
    comparison = workspace.compare(write_outlets(tmp_path, texts))
    assert not [t for t in comparison.terms if t.kind == "first name"]


def test_nickname_used_by_one_outlet_is_a_naming_choice(workspace, tmp_path):
    texts = [
        "Senator Charles Schumer said on Monday that the budget deal would pass the Senate this week.",
        "Senator Chuck Schumer said on Monday that the budget deal would pass the Senate within days.",
    ]
    comparison = workspace.compare(write_outlets(tmp_path, texts))
    forms = [{f.form for f in t.forms} for t in comparison.terms if t.kind == "first name"]
    assert {"Charles", "Chuck"} in forms


def test_slashed_dates_are_not_numbers():
    article = Article(id="t", source="t", outlet="t", text="Since 9/11 the city has changed, and 24/7 news covers it.")
    assert find_numbers(article) == []


def test_different_quantities_of_one_unit_do_not_clash(workspace, tmp_path):
    texts = [
        "Retirees received Social Security benefits averaging $1,179 a month this year, the agency said in its report.",
        "The agency said in its report that Social Security will owe $6.5 trillion more than it collects this year.",
    ]
    comparison = workspace.compare(write_outlets(tmp_path, texts))
    assert not [c for c in comparison.contradictions if c.kind == "number"]


def test_unrelated_negations_do_not_clash(workspace, tmp_path):
    texts = [
        "The governor said the bill had the potential to create more problems than it solves, her office said.",
        "The governor has not said how she will act on the bill, and her office declined to comment.",
        "He called it a theology not based on the Bible, the candidate told the crowd in Ohio about the bill.",
    ]
    comparison = workspace.compare(write_outlets(tmp_path, texts))
    assert not [c for c in comparison.contradictions if c.kind == "negation"]


def test_a_real_negation_is_still_found(workspace, tmp_path):
    texts = [
        "The White House offered Sestak a job on an advisory board, the president's lawyer said on Friday.",
        "A source insisted on Friday that the White House never offered Sestak a job on any board.",
    ]
    comparison = workspace.compare(write_outlets(tmp_path, texts))
    assert [c for c in comparison.contradictions if c.kind == "negation"]


def test_a_role_named_earlier_resolves_to_the_person():
    text = (
        "Kremlin spokesman Dmitry Peskov spoke to reporters on Saturday in Moscow. "
        "The spokesman said that the talks would continue next week in Istanbul."
    )
    article = Article(id="t", source="t", outlet="t", text=text)
    ann = annotate_articles([article], NLP(), {"t": None})["t"]
    assert any(q.speaker == "Dmitry Peskov" and q.cue == "said" for q in ann.quotes)


def test_one_event_on_two_dates_is_a_conflict(workspace, tmp_path):
    texts = [
        "The two delegations met in Istanbul on May 16, 2025 and agreed to exchange prisoners of war.",
        "The two delegations met in Istanbul on May 15, 2025 and agreed to exchange prisoners of war.",
    ]
    comparison = workspace.compare(write_outlets(tmp_path, texts))
    kinds = {c.kind for c in comparison.contradictions}
    assert "date" in kinds


def test_a_marked_descriptor_is_a_naming_choice(workspace, tmp_path):
    texts = [
        "Hamas militants fired rockets at the border town on Monday, the army said in a statement.",
        "Hamas terrorists fired rockets at the border town on Monday, the army said in its statement.",
        "Hamas fighters fired rockets at the border town on Monday, according to an army statement.",
    ]
    comparison = workspace.compare(write_outlets(tmp_path, texts))
    groups = [{f.form for f in t.forms} for t in comparison.terms if t.kind == "descriptor"]
    assert {"Hamas militants", "Hamas terrorists", "Hamas fighters"} in groups


def test_plain_synonyms_are_not_a_naming_choice(workspace, tmp_path):
    texts = [
        "Russian forces shelled the town of Sumy on Monday, the regional governor said on Telegram.",
        "Russian troops shelled the town of Sumy on Monday, the regional governor said in a post.",
    ]
    comparison = workspace.compare(write_outlets(tmp_path, texts))
    assert not [t for t in comparison.terms if t.kind == "descriptor"]
