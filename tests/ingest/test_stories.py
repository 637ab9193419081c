"""Story grouping: what joins, what stays apart, and the split repair of a story holding two events."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

from rashomon.group.stories import Grouper, GroupOptions, bcubed, split_members, term_counts
from rashomon.ingest import IngestRun
from rashomon.store import Store

DAY = dt.date(2026, 3, 2)

KYIV = [
    (
        "Russia hits Ukrainian capital",
        "Russian missiles and drones struck Kyiv overnight, killing nine people and wounding dozens, "
        "Ukrainian officials said on Tuesday. Mayor Vitali Klitschko said a residential block in the "
        "Solomianskyi district was hit and rescuers were searching the rubble. Ukraine's air force said it "
        "shot down most of the drones launched at the capital.",
    ),
    (
        "Nine killed in strikes on Kyiv",
        "At least nine people were killed when Russia launched a wave of missiles and drones at Kyiv, "
        "the city's military administration said. Klitschko wrote that emergency crews were working at "
        "several sites in Solomianskyi and other districts. The air force said air defences intercepted "
        "most of the drones aimed at the Ukrainian capital.",
    ),
]
QUAKES = [
    (
        "Strong earthquake shakes eastern Turkey",
        "A magnitude 6.1 earthquake struck Malatya province in eastern Turkey on Tuesday, damaging old "
        "buildings in the town of Yesilyurt, Turkey's disaster agency AFAD said. Interior minister Ali "
        "Yerlikaya said two people were injured and teams were checking villages near the epicentre.",
    ),
    (
        "Earthquake hits northern Japan, tsunami advisory lifted",
        "A magnitude 6.4 earthquake struck off Aomori prefecture in northern Japan on Tuesday, the Japan "
        "Meteorological Agency said, and a tsunami advisory for the Pacific coast was lifted after two "
        "hours. Hachinohe city reported broken windows and a brief power cut; no deaths were reported.",
    ),
]


def place_all(articles: list[tuple[str, str]], options: GroupOptions | None = None) -> list[int]:
    grouper = Grouper(options)
    placed = []
    for number, (title, text) in enumerate(articles):
        counts = term_counts(title, text)
        grouper.observe(counts)
        vector = grouper.vector(counts)
        story = grouper.choose(vector, DAY)
        story = number if story is None else story
        grouper.add(story, vector, DAY)
        placed.append(story)
    return placed


def test_two_reports_of_one_strike_share_a_story_and_two_earthquakes_do_not() -> None:
    placed = place_all(KYIV + QUAKES)
    assert placed[0] == placed[1]
    assert len({placed[0], placed[2], placed[3]}) == 3


def test_an_article_far_outside_the_window_opens_a_story() -> None:
    grouper = Grouper()
    title, text = KYIV[0]
    for day in (DAY, DAY + dt.timedelta(days=10)):
        counts = term_counts(title, text)
        grouper.observe(counts)
        vector = grouper.vector(counts)
        assert grouper.choose(vector, day) is None
        grouper.add(day.toordinal(), vector, day)


def unit(*words: str) -> dict[str, float]:
    return {w: 1 / len(words) ** 0.5 for w in words}


def test_split_members_splits_two_events_and_keeps_one() -> None:
    options = GroupOptions()
    # one shared word of five: a cross-cosine of 0.2, under split_below
    first = [(f"a{i}", unit("dui", "jackson", "vincent", "receiver", f"x{i}")) for i in range(5)]
    second = [(f"b{i}", unit("dui", "williams", "jamal", "lineman", f"y{i}")) for i in range(5)]
    assert split_members(first + second, options) == [f"b{i}" for i in range(5)]
    # the side holding the oldest member stays, whichever is larger
    assert split_members(second[:4] + first, options) == [f"a{i}" for i in range(5)]
    # one event with varied wording stays whole; too few members are never split
    same = [(f"c{i}", unit("dui", "jackson", "vincent", f"z{i}", f"w{i}")) for i in range(5)]
    assert split_members(first + same, options) is None
    assert split_members(first[:3] + second[:3], options) is None
    assert split_members(first + second[:3], options) is None


def test_bcubed() -> None:
    assert bcubed(["a", "a", "b"], [1, 1, 2]) == (1.0, 1.0, 1.0)
    p, r, f = bcubed(["a", "a", "b", "b"], [1, 1, 1, 1])
    assert (p, r) == (0.5, 1.0) and abs(f - 2 / 3) < 1e-9


def event(name: str, words: list[str], n: int) -> list[dict]:
    """n reports of one event: its own name and words, plus two words of the kind every such event has."""
    return [
        {
            "title": f"{name} arrested, report {i}",
            "text": f"Police arrested {name} on suspicion of drunk driving. "
            + " ".join(random.Random(f"{name}{i}").sample(words, 6))
            + f". {name} was released on bail.",
            "outlet": f"Outlet {i}",
            "url": f"https://news.example/{name.split()[-1].lower()}/{i}",
            "date": (DAY + dt.timedelta(days=i % 2)).isoformat(),
        }
        for i in range(n)
    ]


def test_a_story_holding_two_events_is_split_in_store_and_memory(tmp_path: Path) -> None:
    # threshold 0: every article joins the first story, so only the split repair can separate the events
    first = event("Vincent Jackson", "receiver highway patrol Escondido Chargers Sunday innocence".split(), 6)
    second = event("Jamal Williams", "lineman Bentley Ridgeview Pennings CHP Webster".split(), 6)
    copy = dict(second[0], url="https://wire.example/1", outlet="Wire")  # a reprint, moved with its original
    copy["text"] = copy["text"].replace("was released", "has been released")
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in [*first, second[0], copy, *second[1:]]) + "\n")
    db = tmp_path / "r.db"
    with Store(db) as store:
        run = IngestRun(store, grouping=GroupOptions(threshold=-1.0))
        run.source(str(source))
        run.close()
        assert not run.report.failures and run.report.copies == 1
        assert run.report.splits >= 1
        rows = store.db.execute(
            "SELECT a.url, a.copy_of IS NOT NULL, s.story_id FROM articles a JOIN story_articles s ON s.article_id = a.id"
        ).fetchall()
        story_of = {url: story for url, _, story in rows}
        jackson = {story_of[r["url"]] for r in first}
        williams = {story_of[r["url"]] for r in second[1:]} | {story_of["https://wire.example/1"]}
        assert len(jackson) == 1 and len(williams) == 1 and jackson != williams
        for story_id, size, first_date, last_date, title in store.db.execute(
            "SELECT id, size, first_date, last_date, title FROM stories"
        ):
            members = [url for url, s in story_of.items() if s == story_id]
            assert size == len(members)
            assert (first_date, last_date) == (DAY.isoformat(), (DAY + dt.timedelta(days=1)).isoformat())
            assert all(title.split()[1].lower() in url for url in members if "news.example" in url)
        assert store.db.execute("PRAGMA foreign_key_check").fetchall() == []
        # the grouper in memory agrees with the store: a fresh load gives the same sizes per story
        held = {sid: st.size for sid, st in run.ingestor.grouper.open.items()}
    with Store(db) as store:
        fresh = IngestRun(store, grouping=GroupOptions(threshold=-1.0))
        assert {sid: st.size for sid, st in fresh.ingestor.grouper.open.items()} == held
        fresh.close()
