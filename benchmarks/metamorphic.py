"""The metamorphic suite: edits planted by code into development stories, and whether the comparison sees them.

    .venv/bin/python benchmarks/metamorphic.py [--corpus basil|ecbplus|both] [--limit N] [--seed S]

Stories: BASIL events (three outlets each) and ECB+ dev seminal events (two or more documents).
For each story, the unmodified comparison counts its contradictions (false alarms: none of these
stories was written to contradict itself, so every one reported is suspect), then one edit at a
time is planted in a copy of the story:

* figure: a number two articles state as a figure (not a year, the day of a date, or part of a name or
  address: "76ers", "Interstate 75", "com / 2013 / 08"; the same digits in a sentence of each, the sentences sharing
  MIN_SHARED_WORDS words and MIN_NEAR_SHARED of them near the number in both) is changed in one,
  by a random step or factor, keeping its format (1,000 → 1,500; 12 → 17);
* date: a weekday two articles name is changed to another weekday, or a day of the month in a
  "Month D" date two articles give is moved (the same rule for "stated by both");
* negation: in a sentence of one article whose words mostly recur in a sentence of another, "not"
  goes after the first auxiliary ("was" → "was not"), or a regular past-tense verb becomes
  "did not" + its stem ("agreed" → "did not agree"), when the other sentence states the same
  predicate (the word after the auxiliary, or the verb): otherwise nothing is denied that it says;
* speaker: in a sentence of one article holding a quotation that another article also quotes, the
  speaker's name outside the quotation marks is replaced by another person's name from the story;
* place: a city two articles name after "in", "from", "near", "at" or "outside" (the same rule for
  "stated by both"; a city of the gazetteer, data/gazetteer.tsv.gz) is replaced by another city of the
  same country more than PLANT_KM away ("in Seattle" → "in Atlanta");
* reprint: a copy of one article with a few words changed is added under a new outlet;
* other event: an article of another event (BASIL: the next event; ECB+: the other seminal event of
  the same topic) is added;
* shuffle: the articles in reverse order.

A planted figure, date, place, negation or speaker counts as detected when a contradiction has one side
covering the planted characters and another side inside the other article's sentence; a reprint
when the added article is reported as a copy of the original; another event when it is set aside;
a shuffle when facts and contradictions are the same. Nothing here is tuned to a story: plant sites
are found by the rules above in whatever text comes. Skips when ../shared/data is absent.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace

from devdata import DATA, by_event

SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"”’)]*|$)")
NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?![\w,]*\d)")
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b")
MONTH_NAMES = "January February March April May June July August September October November December".split()
MONTH_DAY = re.compile(r"\b(" + "|".join(MONTH_NAMES) + r") (\d{1,2})\b")
AUXILIARY = re.compile(r"\b(is|was|were|are|has|have|had|will|would|can|could|should|may|might|must)\b (?!not\b)")
PAST = re.compile(r"\b([a-z]{3,}?)(ed)\b")
QUOTE = re.compile(r"[\"“]([^\"”]{20,}?)[\"”]")
NAME = r"(?:(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov)\. )?[A-Z][a-z]+(?: [A-Z][a-z]+)*"
SPEECH = r"(?:said|says|told|added|wrote|asked|argued|declared|stated)"
SPEAKER = re.compile(rf"\b({NAME}) {SPEECH}\b|\b{SPEECH},? ({NAME})\b")
BEFORE_PARTICIPLE = {"am", "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "get", "got", "not"}
# A figure or date counts as stated by both articles of the same thing when their sentences share this many
# other words, and this many of them lie within NEAR_WORDS words of it in both (the same clause, not just
# the same story: "Romney declined on Tuesday" and "Romney joined others Tuesday" are two events).
MIN_SHARED_WORDS = 4
MIN_NEAR_SHARED = 2
NEAR_WORDS = 8
STOP = set("the a an of to in on at for and or but with by from that this is was were be as it its said".split())


@dataclass
class Story:
    name: str
    articles: list  # rashomon Articles
    other: object | None  # an Article of another event


@dataclass
class Plant:
    kind: str
    articles: list
    target: tuple[str, int, int] | None = None  # (article id, start, end) of the planted words
    other: tuple[str, int, int] | None = None  # the other outlet's sentence
    added: str | None = None  # the id of an added article


def sentences(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in SENTENCE.finditer(text) if len(m.group().split()) >= 4]


def words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", text.lower()) if w not in STOP and len(w) > 2}


def _article(text: str, base, outlet: str | None = None):
    import hashlib

    return replace(
        base,
        id=hashlib.sha256(text.encode()).hexdigest()[:16],
        text=text,
        outlet=outlet or base.outlet,
        source=(outlet or base.outlet) + ":" + base.source,
    )


def _sentence_pairs(story: Story) -> Iterator[tuple]:
    """(article, (start, end, words), other article, [(start, end, words)…]) for each sentence of each article
    against the sentences of each article of another outlet; every text split and counted once."""
    split = {a.id: [(s, e, words(a.text[s:e])) for s, e in sentences(a.text)] for a in story.articles}
    for a in story.articles:
        for b in story.articles:
            if a is not b and a.outlet != b.outlet:
                for sentence in split[a.id]:
                    yield a, sentence, b, split[b.id]


def _near(text: str, start: int, end: int) -> set[str]:
    """The content words within NEAR_WORDS words either side of text[start:end]."""
    before = text[:start].split()[-NEAR_WORDS:]
    after = text[end:].split()[:NEAR_WORDS]
    return words(" ".join(before + after))


def _shared_sites(story: Story, pattern: re.Pattern[str], key) -> list[tuple]:
    """(article, match, other article, other sentence) for matches whose key recurs in another article."""
    found = []
    for a, (start, end, mine), b, b_sentences in _sentence_pairs(story):
        for m in pattern.finditer(a.text, start, end):
            k = key(m)
            if k is None:
                continue
            near = _near(a.text, m.start(), m.end())
            for bs, be, theirs in b_sentences:
                same = [n for n in pattern.finditer(b.text, bs, be) if key(n) == k]
                if not same or len(mine & theirs) < MIN_SHARED_WORDS:
                    continue
                if any(len(near & _near(b.text, n.start(), n.end())) >= MIN_NEAR_SHARED for n in same):
                    found.append((a, m, b, (b.id, bs, be)))
                    break
    return found


def _swap(story: Story, a, start: int, end: int, new: str, kind: str, other) -> Plant:
    text = a.text[:start] + new + a.text[end:]
    changed = _article(text, a)
    articles = [changed if x is a else x for x in story.articles]
    return Plant(kind, articles, (changed.id, start, start + len(new)), other)


# A month before a number makes it a day (a date plant's, not a figure); a capitalised word before it, not
# opening the sentence, a name ("Interstate 75", "Route 52", "Flight 370").
MONTHS = frozenset(MONTH_NAMES) | {m[:3] for m in MONTH_NAMES} | {m[:3] + "." for m in MONTH_NAMES} | {"Sept."}
NAMED_BEFORE = re.compile(r"([A-Z][a-z]+\.?)\s+$")
SENTENCE_START = re.compile(r"(?:^|[.!?]\s+|\n)$")


def _figure_site(text: str, m: re.Match[str]) -> bool:
    """Whether a number is a figure: not a year or "one", not the day of a date, not part of a name ("76ers",
    "Interstate 75") or of an address ("com / 2013 / 08")."""
    digits = m.group(0).replace(",", "")
    value = float(digits)
    if value < 2 or (len(digits) == 4 and 1900 <= value <= 2100):
        return False
    after, before = text[m.end() : m.end() + 3], text[max(0, m.start() - 40) : m.start()]
    if re.match(r"[A-Za-z]", after) and not re.match(r"(st|nd|rd|th)\b", after):
        return False  # glued to letters: a name or a code, not an ordinal
    if "/" in text[max(0, m.start() - 3) : m.end() + 3]:
        return False
    named = NAMED_BEFORE.search(before)
    if named and (named.group(1) in MONTHS or not SENTENCE_START.search(before[: named.start()])):
        return False
    return True


def plant_figure(story: Story, rng: random.Random) -> Plant | None:
    def key(m: re.Match[str]) -> str | None:
        return m.group(0).replace(",", "") if _figure_site(m.string, m) else None

    sites = _shared_sites(story, NUMBER, key)
    if not sites:
        return None
    a, m, _b, other = rng.choice(sites)
    value = float(m.group(0).replace(",", ""))
    factor = rng.choice([1.5, 2, 3, 0.5]) if value >= 10 else 1
    new_value = round(value * factor) if factor != 1 else value + rng.choice([1, 2, 3, 5])
    if new_value == value or new_value < 1:
        new_value = value + 7
    new = f"{int(new_value):,}" if "," in m.group(0) else str(int(new_value))
    if m.group(2):
        new += "." + m.group(2)
    return _swap(story, a, m.start(), m.end(), new, "figure", other)


def plant_date(story: Story, rng: random.Random) -> Plant | None:
    sites = [("weekday", s) for s in _shared_sites(story, WEEKDAY, lambda m: m.group(1))]
    sites += [("day", s) for s in _shared_sites(story, MONTH_DAY, lambda m: m.group(0))]
    if not sites:
        return None
    form, (a, m, _b, other) = rng.choice(sites)
    if form == "weekday":
        new = rng.choice([d for d in WEEKDAYS if d != m.group(1)])
        return _swap(story, a, m.start(1), m.end(1), new, "date", other)
    day = int(m.group(2))
    new_day = day + rng.choice([-3, -2, -1, 1, 2, 3])
    new_day = new_day if 1 <= new_day <= 28 else day + (1 if day < 28 else -2)
    return _swap(story, a, m.start(2), m.end(2), str(new_day), "date", other)


# A city after a preposition of place ("in Seattle", "from Fort Worth"): a place, not a person ("Jackson").
PLACED = re.compile(r"\b(?:in|from|near|at|outside) ([A-Z][a-z]+(?: [A-Z][a-z]+)?)\b")
# How far a planted city is from the one it replaces: far enough to be no suburb of it.
PLANT_KM = 500


def plant_place(story: Story, rng: random.Random) -> Plant | None:
    from rashomon.annotate.places import cities, distance_km, readings

    def key(m: re.Match[str]) -> str | None:
        found = readings(m.group(1))
        return m.group(1) if found and all(p.kind == "city" for p in found) else None

    sites = _shared_sites(story, PLACED, key)
    if not sites:
        return None
    a, m, _b, other = rng.choice(sites)
    here = readings(m.group(1))
    far = sorted(
        name
        for name, city in cities()
        if name.replace(" ", "").isalpha()
        and city.country == here[0].country
        and len(readings(name)) == 1
        and all(distance_km(city, p) > PLANT_KM for p in here)
    )
    if not far:
        return None
    return _swap(story, a, m.start(1), m.end(1), rng.choice(far), "place", other)


def _paired_sentences(story: Story) -> list[tuple]:
    """(article, (start, end), other's sentence) where most words of a sentence recur in another article's."""
    pairs = []
    for a, (start, end, mine), b, b_sentences in _sentence_pairs(story):
        if len(mine) < 5:
            continue
        best = max(b_sentences, key=lambda x: len(mine & x[2]) / len(mine | x[2]), default=None)
        if best and len(mine & best[2]) / len(mine | best[2]) >= 0.5:
            pairs.append((a, (start, end), (b.id, best[0], best[1])))
    return pairs


def _other_words(story: Story, other: tuple[str, int, int]) -> set[str]:
    oid, start, end = other
    return words(next(a.text for a in story.articles if a.id == oid)[start:end])


def plant_negation(story: Story, rng: random.Random) -> Plant | None:
    """ "not" after an auxiliary, or "did not" + stem for a past verb, where the other outlet's sentence
    states the same predicate (the word after the auxiliary, or the verb): a denial of what it says."""
    candidates = []
    for a, (start, end), other in _paired_sentences(story):
        sentence = a.text[start:end]
        if re.search(r"[\"“”]|n't\b|\bnot\b|\bnever\b|\bno\b", sentence):  # quoted words and negated clauses stay
            continue
        theirs = _other_words(story, other)
        if m := AUXILIARY.search(sentence):
            predicate = next(iter(re.findall(r"[a-z]{3,}", sentence[m.end() :].lower())[:1]), "")
            if predicate in theirs:
                candidates.append((a, start + m.end(1), start + m.end(1), " not", other))
                continue
        for m in PAST.finditer(sentence):
            before = sentence[: m.start()].split()
            if before and before[-1].lower() not in BEFORE_PARTICIPLE and before[-1][:1].isupper():
                if m.group(0).lower() in theirs:
                    stem = m.group(1)
                    if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
                        stem = stem[:-1]  # "spotted" → "spot"
                    elif stem.endswith(("at", "iv", "os", "ur", "ir", "rg", "uc")):
                        stem += "e"
                    candidates.append((a, start + m.start(), start + m.end(), f"did not {stem}", other))
                break
    if not candidates:
        return None
    a, s, e, new, other = rng.choice(candidates)
    return _swap(story, a, s, e, new, "negation", other)


def _speakers(text: str) -> list[re.Match[str]]:
    return [
        m
        for m in SPEAKER.finditer(text)
        if (m.group(1) or m.group(2)).split()[0] not in {"The", "He", "She", "They", "It", "We", "I", "A", "An"}
    ]


def plant_speaker(story: Story, rng: random.Random) -> Plant | None:
    people = sorted({(m.group(1) or m.group(2)) for a in story.articles for m in _speakers(a.text)})
    candidates = []
    for a in story.articles:
        for start, end in sentences(a.text):
            sentence = a.text[start:end]
            quote = QUOTE.search(sentence)
            named = [m for m in _speakers(sentence) if not (quote and quote.start() <= m.start() < quote.end())]
            if not quote or not named or len(words(quote.group(1))) < 4:
                continue
            said = words(quote.group(1))
            for b in story.articles:
                if b is a or b.outlet == a.outlet:
                    continue
                for bs, be in sentences(b.text):
                    q = QUOTE.search(b.text[bs:be])
                    if q and len(said & words(q.group(1))) >= 0.8 * len(said):
                        m = named[0]
                        group = 1 if m.group(1) else 2
                        name = m.group(group)
                        others = [p for p in people if p != name and p not in name and name not in p]
                        if others:
                            candidates.append((a, start + m.start(group), start + m.end(group), others, (b.id, bs, be)))
                        break
    if not candidates:
        return None
    a, s, e, others, other = rng.choice(candidates)
    return _swap(story, a, s, e, rng.choice(others), "speaker", other)


def plant_reprint(story: Story, rng: random.Random) -> Plant:
    source = rng.choice(story.articles)
    tokens = source.text.split(" ")
    for _ in range(3):
        i = rng.randrange(len(tokens))
        tokens[i] = tokens[i].upper() if tokens[i].islower() else tokens[i].lower()
    copy = _article(" ".join(tokens), source, outlet="Reprint Wire")
    return Plant("reprint", [*story.articles, copy], added=copy.id, target=(source.id, 0, 0))


def plant_other(story: Story, rng: random.Random) -> Plant | None:
    if story.other is None:
        return None
    return Plant("other event", [*story.articles, story.other], added=story.other.id)  # type: ignore[attr-defined]


def detected(plant: Plant, comparison) -> bool:
    if plant.kind == "reprint":
        return any(a.id == plant.added and a.copy_of == plant.target[0] for a in comparison.articles)  # type: ignore[index]
    if plant.kind == "other event":
        return any(s.article == plant.added for s in comparison.set_aside)
    aid, start, end = plant.target  # type: ignore[misc]
    oid, ostart, oend = plant.other  # type: ignore[misc]
    for conflict in comparison.contradictions:
        mine = any(s.article == aid and s.start <= start and end <= s.end for s in conflict.sides)
        theirs = any(s.article == oid and s.start < oend and ostart < s.end for s in conflict.sides)
        if mine and theirs:
            return True
    return False


def _context(plant: Plant) -> str:
    aid, start, end = plant.target  # type: ignore[misc]
    text = next(a.text for a in plant.articles if a.id == aid)
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start)) + 1
    right = min([i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0] or [len(text)])
    return (text[left:start] + "[" + text[start:end] + "]" + text[end:right]).strip()[:220]


def signature(comparison) -> tuple:
    facts = sorted(tuple(sorted((s.article, s.start, s.end) for s in f.mentions)) for f in comparison.facts)
    conflicts = sorted(tuple(sorted((s.article, s.start, s.end) for s in c.sides)) for c in comparison.contradictions)
    return tuple(facts), tuple(conflicts)


def load(corpus: str) -> list[Story]:
    from rashomon.model import Article
    from rashomon.read.text import stored_date

    def article(row: dict) -> Article:
        return Article(
            id=row["id"],
            source=row["id"],
            outlet=row.get("outlet") or row["id"],
            text=row["text"],
            title=row.get("title"),
            published=stored_date(row.get("date")),  # weekdays resolve against it, as in real use
        )

    stories = []
    if corpus in ("basil", "both"):
        events = by_event(DATA / "basil" / "articles.jsonl")
        names = sorted(events)
        for i, name in enumerate(names):
            if len(events[name]) >= 2:
                other = events[names[(i + 1) % len(names)]][0]
                stories.append(Story(name, [article(r) for r in events[name]], article(other)))
    if corpus in ("ecbplus", "both"):
        events = by_event(DATA / "ecbplus" / "articles.jsonl", split="dev")
        by_topic = defaultdict(list)
        for name, rows in events.items():
            by_topic[rows[0]["topic_id"]].append(name)
        for name, rows in sorted(events.items()):
            if len(rows) < 2:
                continue
            siblings = [n for n in by_topic[rows[0]["topic_id"]] if n != name]
            other = article(events[siblings[0]][0]) if siblings else None
            stories.append(Story(name, [article(r) for r in rows[:6]], other))
    return stories


PLANTERS = [plant_figure, plant_date, plant_negation, plant_speaker, plant_reprint, plant_other, plant_place]


KINDS = ("figure", "date", "place", "negation", "speaker", "reprint", "other event", "shuffle")


@dataclass
class Result:
    stories: int
    alarms: list[int]  # contradictions reported on each unmodified story
    found: dict[str, list[bool]]  # per kind, whether each plant was caught

    def rate(self, kind: str) -> float | None:
        hits = self.found.get(kind, [])
        return sum(hits) / len(hits) if hits else None

    @property
    def false_alarms(self) -> float:
        return sum(self.alarms) / max(len(self.alarms), 1)


def run(corpus: str, workspace, *, limit: int | None = None, seed: int = 1, show: bool = False) -> Result:
    """Plant every kind of edit in each story of `corpus` (basil or ecbplus) and compare."""
    stories = load(corpus)[:limit]
    found: dict[str, list[bool]] = defaultdict(list)
    alarms = []
    for n, story in enumerate(stories):
        rng = random.Random(seed * 1000 + n)
        base = workspace.compare_articles(story.articles)
        alarms.append(len(base.contradictions))
        shuffled = workspace.compare_articles(list(reversed(story.articles)))
        found["shuffle"].append(signature(shuffled) == signature(base))
        for planter in PLANTERS:
            plant = planter(story, rng)
            if plant is None:
                continue
            hit = detected(plant, workspace.compare_articles(plant.articles))
            found[plant.kind].append(hit)
            if show and plant.target and plant.other:
                print(f"  [{'caught' if hit else 'missed'}] {plant.kind}: {_context(plant)}")
    return Result(len(stories), alarms, dict(found))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=("basil", "ecbplus", "both"), default="both")
    parser.add_argument("--limit", type=int, default=None, help="at most this many stories a corpus")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--show", action="store_true", help="print each planted edit and whether it was caught")
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"skipped: {DATA} is absent")
        return 0
    from rashomon import Workspace

    workspace = Workspace()
    for corpus in ["basil", "ecbplus"] if args.corpus == "both" else [args.corpus]:
        result = run(corpus, workspace, limit=args.limit, seed=args.seed, show=args.show)
        print(f"{corpus}: {result.stories} stories; false alarms {result.false_alarms:.2f} contradictions a story")
        for kind in KINDS:
            hits = result.found.get(kind, [])
            rate = result.rate(kind)
            print(
                f"  {kind:12s} detected {'  – ' if rate is None else f'{rate:.2f}'} ({sum(hits)} of {len(hits)} plants)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
