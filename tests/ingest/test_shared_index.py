"""The story index several ingest processes share: after a split made elsewhere, a process reads again only
the two stories it touched (the split log in `state`), and its index then holds them as a process reading
the whole store would; with more splits missed than the log names, it reads every open story again."""

from __future__ import annotations

import json

import pytest
from benchmarks.corpus import write_jsonl

from rashomon.ingest import IngestRun
from rashomon.ingest.pipeline import SPLIT_LOG, Ingestor, split_state
from rashomon.store import Store


def _index(ingestor: Ingestor, story_ids: list[int]) -> dict[int, tuple[int, dict[str, float]]]:
    out = {}
    for story_id in story_ids:
        story = ingestor.grouper.open.get(story_id)
        if story is not None:
            out[story_id] = (story.size, {w: round(x, 6) for w, x in story.total.items() if abs(x) > 1e-9})
    return out


def _split_by_hand(store: Store, story_id: int, log: list[list[int]], count: int) -> int:
    """Move the newer half of a story's members to a new story, as a split does, and log it."""
    with store.transaction() as db:
        members = [
            r[0]
            for r in db.execute(
                "SELECT a.id FROM story_articles s JOIN articles a ON a.id = s.article_id "
                "WHERE s.story_id = ? ORDER BY a.rowid",
                (story_id,),
            )
        ]
        new_id = int(db.execute("INSERT INTO stories (title) VALUES ('moved')").lastrowid)
        moving = members[len(members) // 2 :]
        db.executemany("UPDATE story_articles SET story_id = ? WHERE article_id = ?", [(new_id, a) for a in moving])
        for sid in (story_id, new_id):
            db.execute(
                "UPDATE stories SET size = (SELECT count(*) FROM story_articles WHERE story_id = ?) WHERE id = ?",
                (sid, sid),
            )
        state = {"n": count, "log": [*log, [story_id, new_id]]}
        db.execute("INSERT OR REPLACE INTO state (key, value) VALUES ('splits', ?)", (json.dumps(state),))
    return new_id


@pytest.mark.parametrize("logged", [True, False])
def test_a_split_elsewhere_is_read_back_as_a_whole_reading_would(tmp_path, db_target, logged) -> None:
    source = write_jsonl(tmp_path / "a.jsonl", 160, seed=4, per_story=10)
    with Store(db_target) as store:
        run = IngestRun(store, processes=0)
        run.source(str(source))
        run.close()
        other = Ingestor(store)  # another process's index, read before the split
        sizes = dict(store.db.execute("SELECT id, size FROM stories"))
        big = max(other.grouper.open, key=lambda s: (sizes[s], -s))  # the largest story it holds open
        assert sizes[big] >= 4
        before = split_state(other._split_value())[0]
        # logged: one split, named in the log; not logged: more splits than the log remembers
        log = [] if logged else [[0, 0]] * SPLIT_LOG
        new_id = _split_by_hand(store, big, log[-(SPLIT_LOG - 1) :] if log else [], before + (1 if logged else 99))
        other.catch_up(other._split_value(), [])
        fresh = Ingestor(store)  # a process reading the whole store now
        assert _index(other, [big, new_id]) == _index(fresh, [big, new_id])
        assert (
            other.grouper.open[big].size
            == store.db.execute("SELECT size FROM stories WHERE id = ?", (big,)).fetchone()[0]
        )
        assert other._splits == split_state(other._split_value())[0]


def test_the_split_state_reads_both_its_forms() -> None:
    assert split_state(None) == (0, [])
    assert split_state("7") == (7, [])  # a plain count, as stores written before the log hold
    assert split_state('{"n": 3, "log": [[1, 2], [5, 9]]}') == (3, [(1, 2), (5, 9)])
