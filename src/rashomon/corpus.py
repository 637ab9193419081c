"""The stored corpus: stories listed, a story compared, everything exported, outlets profiled."""

from __future__ import annotations

import csv
import hashlib
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rashomon import __version__
from rashomon.errors import UsageError
from rashomon.model import Article, Comparison
from rashomon.read.text import stored_date
from rashomon.store import Store
from rashomon.store.db import OUTLET_KEY

EXPORT_FORMATS = ("jsonl", "csv", "parquet")


@dataclass
class StorySummary:
    id: int
    title: str
    first_date: str | None
    last_date: str | None
    articles: int
    outlets: list[str]
    independent_outlets: int
    copies: int


def stories(store: Store, *, limit: int | None = None, min_articles: int = 1) -> list[StorySummary]:
    """Stories, newest first (by their latest article's date, undated last, then newest formed)."""
    rows = store.db.execute(
        "SELECT s.id, s.title, s.first_date, s.last_date, s.size, json_group_array(DISTINCT a.outlet),"
        f" count(DISTINCT CASE WHEN a.copy_of IS NULL THEN {OUTLET_KEY} END), sum(CASE WHEN a.copy_of IS NULL THEN 0 ELSE 1 END)"
        " FROM stories s JOIN story_articles m ON m.story_id = s.id JOIN articles a ON a.id = m.article_id"
        " WHERE s.size >= ? GROUP BY s.id ORDER BY s.last_date IS NULL, s.last_date DESC, s.id DESC"
        + (" LIMIT ?" if limit else ""),
        (min_articles, limit) if limit else (min_articles,),
    ).fetchall()
    return [
        StorySummary(
            sid, title or "", first, last, size, sorted(filter(None, json.loads(outlets))), independent, copied
        )
        for sid, title, first, last, size, outlets, independent, copied in rows
    ]


def story_articles(store: Store, story_id: int) -> list[Article]:
    """The articles of one story, oldest first; UsageError when there is no such story."""
    if not store.db.execute("SELECT 1 FROM stories WHERE id = ?", (story_id,)).fetchone():
        raise UsageError(f"no story {story_id} in {store.path}; list them with `rashomon stories`")
    rows = store.db.execute(
        "SELECT a.id, a.source, a.outlet, a.title, a.byline, a.published, a.language, a.text, a.copy_of "
        "FROM story_articles s JOIN articles a ON a.id = s.article_id WHERE s.story_id = ? ORDER BY a.rowid",
        (story_id,),
    ).fetchall()
    return [
        Article(
            id=r[0],
            source=r[1],
            outlet=r[2] or None,
            title=r[3],
            byline=r[4],
            published=stored_date(r[5]),
            language=r[6],
            text=r[7],
        )
        for r in rows
    ]


def story_key(articles: list[Article] | list[str]) -> str:
    """What a stored comparison of a story was made from: this version and exactly these articles."""
    ids = sorted(a if isinstance(a, str) else a.id for a in articles)
    return hashlib.sha256((__version__ + "|" + ",".join(ids)).encode()).hexdigest()


# -- export -------------------------------------------------------------------
ARTICLE_FIELDS = (
    "id",
    "story_id",
    "url",
    "source",
    "outlet",
    "title",
    "byline",
    "published",
    "language",
    "copy_of",
    "added_at",
    "text",
)
STORY_FIELDS = ("id", "title", "first_date", "last_date", "articles", "independent_outlets", "copies", "outlets")


def _article_rows(store: Store) -> Iterator[dict[str, Any]]:
    cursor = store.db.execute(
        "SELECT a.id, s.story_id, a.url, a.source, a.outlet, a.title, a.byline, a.published, a.language, a.copy_of,"
        " a.added_at, a.text FROM articles a LEFT JOIN story_articles s ON s.article_id = a.id ORDER BY a.rowid"
    )
    for row in cursor:
        out = dict(zip(ARTICLE_FIELDS, row, strict=True))
        yield {**out, "outlet": out["outlet"] or None}  # null: the outlet is not known


def _story_rows(store: Store) -> Iterator[dict[str, Any]]:
    for s in stories(store):
        yield {
            "id": s.id,
            "title": s.title,
            "first_date": s.first_date,
            "last_date": s.last_date,
            "articles": s.articles,
            "independent_outlets": s.independent_outlets,
            "copies": s.copies,
            "outlets": s.outlets,
        }


def export(store: Store, directory: Path, fmt: str) -> list[Path]:
    """articles.FMT and stories.FMT in `directory` (created); the paths written."""
    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"--format {fmt!r}: use one of {', '.join(EXPORT_FORMATS)}")
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows, fields in (
        ("articles", _article_rows(store), ARTICLE_FIELDS),
        ("stories", _story_rows(store), STORY_FIELDS),
    ):
        path = directory / f"{name}.{fmt}"
        tmp = path.with_name(path.name + ".part")
        if fmt == "jsonl":
            with tmp.open("w", encoding="utf-8") as fh:
                for row in rows:
                    fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        elif fmt == "csv":
            with tmp.open("w", encoding="utf-8", newline="") as fh:
                writer = csv.DictWriter(fh, fieldnames=fields)
                writer.writeheader()
                for row in rows:
                    writer.writerow({k: "; ".join(v) if isinstance(v, list) else v for k, v in row.items()})
        else:
            _write_parquet(tmp, rows, fields)
        tmp.replace(path)
        written.append(path)
    return written


def _write_parquet(path: Path, rows: Iterator[dict[str, Any]], fields: tuple[str, ...]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    writer = None
    batch: list[dict[str, Any]] = []

    def flush() -> None:
        nonlocal writer
        if not batch:
            return
        table = pa.Table.from_pylist(batch)
        if writer is None:
            writer = pq.ParquetWriter(str(path), table.schema)
        writer.write_table(table.cast(writer.schema))
        batch.clear()

    for row in rows:
        batch.append(row)
        if len(batch) >= 5000:
            flush()
    flush()
    if writer is None:
        pq.write_table(pa.table({f: pa.array([], pa.string()) for f in fields}), str(path))
    else:
        writer.close()


# -- outlet profiles -----------------------------------------------------------
@dataclass
class OutletProfile:
    outlet: str
    stories: int = 0
    articles: int = 0
    compared_stories: int = 0
    words: int = 0
    loaded_own_voice: int = 0
    facts: int = 0
    single_source_facts: int = 0
    naming: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    voices: Counter[str] = field(default_factory=Counter)

    def absorb(self, entry: dict[str, Any]) -> None:
        """Add what one compared story says of this outlet (an entry of `story_profile`)."""
        self.compared_stories += 1
        self.words += entry["words"]
        self.loaded_own_voice += entry["loaded"]
        self.facts += entry["facts"]
        self.single_source_facts += entry["single"]
        for referent, forms in entry["naming"].items():
            self.naming[referent].update(forms)
        self.voices.update(entry["voices"])

    @property
    def loaded_per_1000_words(self) -> float:
        return 1000 * self.loaded_own_voice / self.words if self.words else 0.0

    @property
    def single_source_rate(self) -> float:
        return self.single_source_facts / self.facts if self.facts else 0.0

    def to_dict(self, top: int = 10) -> dict[str, Any]:
        return {
            "outlet": self.outlet,
            "stories": self.stories,
            "articles": self.articles,
            "compared_stories": self.compared_stories,
            "loaded_per_1000_words": round(self.loaded_per_1000_words, 3),
            "single_source_facts": self.single_source_facts,
            "facts": self.facts,
            "single_source_rate": round(self.single_source_rate, 3),
            "naming": {ref: forms.most_common(3) for ref, forms in sorted(self.naming.items())[:50]},
            "voices": self.voices.most_common(top),
        }


def story_profile(comparison: Comparison) -> dict[str, dict[str, Any]]:
    """Per outlet, what one story's comparison says of it (stored, then summed over stories)."""
    by_id = {a.id: a for a in comparison.articles}
    out: dict[str, dict[str, Any]] = {}
    for article in comparison.articles:
        if article.outlet is None:
            continue  # an article whose outlet is unknown adds to no outlet's profile
        entry = out.setdefault(
            article.outlet, {"words": 0, "loaded": 0, "facts": 0, "single": 0, "naming": {}, "voices": []}
        )
        entry["words"] += len(article.text.split())
        entry["loaded"] += sum(1 for item in comparison.annotated[article.id].loaded if not item.quoted)
    for fact in comparison.facts:
        for outlet in set(fact.outlets):
            if outlet in out:
                out[outlet]["facts"] += 1
                if fact.status == "one" and len(comparison.articles) > 1:
                    out[outlet]["single"] += 1
    for term in comparison.terms:
        for form in term.forms:
            for article_id in form.articles:
                named = by_id[article_id].outlet if article_id in by_id else None
                if named in out:
                    out[named]["naming"].setdefault(term.referent, []).append(form.form)
    for voice in comparison.voices:
        for outlet in {o for a in voice.articles if a in by_id and (o := by_id[a].outlet)}:
            out[outlet]["voices"].append(voice.speaker)
    return out


def outlet_profiles(
    store: Store,
    compare: Callable[[list[Article]], Comparison] | None,
    *,
    on_story: Callable[[int, int], None] | None = None,
) -> list[OutletProfile]:
    """Every outlet over every story; stories with two or more independent outlets are compared (once,
    the result kept in the store until the story changes) when `compare` is given."""
    profiles: dict[str, OutletProfile] = {}
    for outlet, n_stories, n_articles in store.db.execute(
        "SELECT a.outlet, count(DISTINCT s.story_id), count(*) FROM articles a "
        "JOIN story_articles s ON s.article_id = a.id WHERE a.outlet != '' GROUP BY a.outlet"
    ):
        profiles[outlet] = OutletProfile(outlet, stories=n_stories, articles=n_articles)
    multi = [s for s in stories(store) if s.independent_outlets >= 2]
    for done, summary in enumerate(multi, 1):
        articles = story_articles(store, summary.id)
        key = story_key(articles)
        row = store.db.execute("SELECT key, profile FROM analyses WHERE story_id = ?", (summary.id,)).fetchone()
        if row and row[0] == key:
            profile = json.loads(row[1])
        elif compare is not None:
            profile = story_profile(compare(articles))
            with store.transaction() as db:
                db.execute(
                    "INSERT OR REPLACE INTO analyses (story_id, key, profile) VALUES (?, ?, ?)",
                    (summary.id, key, json.dumps(profile)),
                )
        else:
            continue
        for outlet, entry in profile.items():
            profiles.setdefault(outlet, OutletProfile(outlet)).absorb(entry)
        if on_story:
            on_story(done, len(multi))
    return sorted(profiles.values(), key=lambda p: (-p.stories, p.outlet))


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, indent=2, ensure_ascii=False, default=lambda o: asdict(o)) + "\n")
