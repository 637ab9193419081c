"""Stories, formed incrementally: each new article joins the open story it is closest to, or opens one.

An article is a TF-IDF vector over its content words: the title counts
twice, a capitalised word inside a sentence (a name, a place) counts twice,
and document frequencies are the store's own, updated as articles arrive,
smoothed by a prior of `idf_prior` pseudo-documents drawn from general English
word frequencies (wordfreq), so that a young store weighs words sensibly.
A story keeps the sum of its members' vectors, so the new article's mean
cosine to the members (average linkage) is one sparse dot product. Time
gates it: a dated article is compared only with stories whose dates lie
within `window_days`, and each day of distance costs `day_penalty`.

A story can be wrong early, when few articles and young document
frequencies make two events of one topic (two arrests of two players of one
team) look alike. So every `split_every` additions a story checks itself:
its `split_window` newest members are clustered by average linkage, and if
the top split leaves two parts of at least `split_min` members whose mean
cross-cosine is below `split_below`, the newer part becomes a story of its
own (`Grouper.split`). This is a local repair of one story, not a regrouping.

Candidates are found through an inverted index from the article's heaviest
terms to the open stories that contain them, so the cost per article does
not grow with the number of stories. Stories whose newest article is more
than `window_days` older than the newest date seen are closed (dropped from
memory; they stay in the store). Undated stories stay open up to
`max_open_undated`, oldest dropped first.

Measured by B-cubed F1 on ECB+, BASIL and AllSides (benchmarks/stories.py).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections import Counter, OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from rashomon.compare.claims import STOPWORDS

_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|\d+(?:[.,]\d+)*")
_SENTENCE_START = re.compile(r"(?:^|[.!?:]\s+|\n)\s*[\"“‘'(]?$")
# Capitalised but not names: days and months weigh as ordinary words.
CALENDAR = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
TITLE_WEIGHT = 2.0
NAME_WEIGHT = 2.0
KEEP_TERMS = 120  # an article's vector keeps its heaviest terms only
PROBE_TERMS = 12  # heaviest terms used to look up candidate stories
# A word of frequency f (per word of English) is taken to occur in min(1, DOC_RATE·f) of documents.
DOC_RATE = 2000.0


@functools.cache
def word_frequencies() -> dict[str, float]:
    """General English word frequencies (wordfreq): the prior for document frequencies, so a
    small or young store still knows that "said" is common and "Kremlin" is not."""
    import wordfreq

    return dict(wordfreq.get_frequency_dict("en"))


@dataclass(frozen=True, kw_only=True)
class GroupOptions:
    threshold: float = 0.15
    window_days: int = 3
    day_penalty: float = 0.03
    idf_prior: float = 20.0
    max_open_undated: int = 20_000
    split_every: int = 4
    split_min: int = 4
    split_below: float = 0.25
    split_window: int = 80


def term_counts(title: str | None, text: str) -> dict[str, float]:
    """Weighted counts of content words: title words and in-sentence capitalised words count more."""
    counts: dict[str, float] = {}
    for part, weight in ((title or "", TITLE_WEIGHT), (text, 1.0)):
        for match in _TOKEN.finditer(part):
            raw = match.group()
            word = raw.lower()
            if word in STOPWORDS:
                continue
            capital = raw[0].isupper()
            if not capital:
                word = word.removesuffix("s")
            name = (
                capital
                and weight == 1.0
                and word not in CALENDAR
                and not _SENTENCE_START.search(part[max(0, match.start() - 3) : match.start()])
            )
            counts[word] = counts.get(word, 0.0) + weight * (NAME_WEIGHT if name else 1.0)
    return counts


@dataclass
class StoryState:
    id: int
    total: dict[str, float] = field(default_factory=dict)  # sum of member vectors
    size: int = 0
    first: dt.date | None = None
    last: dt.date | None = None

    def gap(self, day: dt.date | None) -> int:
        if day is None or self.first is None or self.last is None:
            return 0
        return max(0, (self.first - day).days, (day - self.last).days)


@dataclass
class Placement:
    story: int
    score: float
    new: bool


class Grouper:
    """The open stories and the document frequencies; `place` decides where one article goes."""

    def __init__(self, options: GroupOptions | None = None) -> None:
        self.options = options or GroupOptions()
        self.df: Counter[str] = Counter()
        self.docs = 0
        self.open: OrderedDict[int, StoryState] = OrderedDict()
        self._undated = 0  # how many open stories have no date (kept count of, for `_cap_undated`)
        self.postings: dict[str, set[int]] = {}
        self.newest: dt.date | None = None

    # -- vectors ---------------------------------------------------------
    def observe(self, counts: Iterable[str]) -> None:
        """Count an article's terms into the document frequencies."""
        self.docs += 1
        self.df.update(set(counts))

    def vector(self, counts: dict[str, float]) -> dict[str, float]:
        """Sublinear TF × smoothed IDF, L2-normalised, heaviest KEEP_TERMS terms."""
        n, prior = self.docs, self.options.idf_prior
        freq = word_frequencies()
        weights = {
            w: (1.0 + math.log(c))
            * math.log((n + prior + 1.0) / (self.df[w] + prior * min(1.0, DOC_RATE * freq.get(w, 0.0)) + 0.5))
            for w, c in counts.items()
            if c >= 1.0
        }
        top = sorted(weights.items(), key=lambda kv: -kv[1])[:KEEP_TERMS]
        norm = math.sqrt(sum(x * x for _, x in top)) or 1.0
        return {w: x / norm for w, x in top if x > 0}

    # -- stories ---------------------------------------------------------
    def best(self, vector: dict[str, float], day: dt.date | None) -> tuple[int | None, float]:
        """The open story with the highest mean cosine (less the day penalty), and that score."""
        probe = sorted(vector, key=lambda w: -vector[w])[:PROBE_TERMS]
        candidates: set[int] = set()
        for word in probe:
            candidates |= self.postings.get(word, set())
        best_id, best_score = None, -1.0
        for story_id in candidates:
            story = self.open[story_id]
            gap = story.gap(day)
            if gap > self.options.window_days:
                continue
            total = story.total
            score = sum(x * total.get(w, 0.0) for w, x in vector.items()) / story.size
            score -= self.options.day_penalty * gap
            if score > best_score or (score == best_score and best_id is not None and story_id < best_id):
                best_id, best_score = story_id, score
        return best_id, best_score

    def choose(self, vector: dict[str, float], day: dt.date | None) -> int | None:
        story_id, score = self.best(vector, day)
        return story_id if story_id is not None and score >= self.options.threshold else None

    def add(self, story_id: int, vector: dict[str, float], day: dt.date | None, *, advance: bool = True) -> None:
        """Put an article's vector into a story (opening it when new to memory). Without `advance` the
        article does not move the index's newest day (nor close stories by it): another process's
        article, which may be ahead of this one's sources in time."""
        story = self.open.get(story_id)
        if story is None:
            story = self.open[story_id] = StoryState(story_id)
            self._undated += 1
        total, postings = story.total, self.postings
        for word, x in vector.items():
            total[word] = total.get(word, 0.0) + x
            members = postings.get(word)
            if members is None:
                postings[word] = {story_id}
            else:
                members.add(story_id)
        story.size += 1
        if day is not None:
            self._undated -= story.last is None
            story.first = min(story.first or day, day)
            story.last = max(story.last or day, day)
            if advance and (self.newest is None or day > self.newest):
                self.newest = day
                self._close_old()
        self.open.move_to_end(story_id)
        self._cap_undated()

    def due(self, story_id: int) -> bool:
        """Is it time for this story to check whether it holds two events (see `split_members`)?"""
        story = self.open.get(story_id)
        every = self.options.split_every
        return story is not None and story.size >= 2 * self.options.split_min and story.size % every == 0

    def due_after_one(self, story_id: int) -> bool:
        """Will this open story be `due` once one more article is added to it?"""
        story = self.open.get(story_id)
        size, every = (story.size if story else 0) + 1, self.options.split_every
        return size >= 2 * self.options.split_min and size % every == 0

    def detach(
        self, story_id: int, vectors: Iterable[dict[str, float]], first: dt.date | None, last: dt.date | None
    ) -> None:
        """Take members out of an open story (after a split), with the story's remaining date range."""
        story = self.open.get(story_id)
        if story is None:
            return
        for vector in vectors:
            for word, x in vector.items():
                story.total[word] = story.total.get(word, 0.0) - x
            story.size -= 1
        self._undated += (last is None) - (story.last is None)
        story.first, story.last = first, last
        if story.size <= 0:
            self._drop(story_id)

    def forget(self, story_id: int) -> None:
        """Take a story out of memory (to be read again: see Ingestor._refresh)."""
        if story_id in self.open:
            self._drop(story_id)

    def _drop(self, story_id: int) -> None:
        story = self.open.pop(story_id)
        self._undated -= story.last is None
        for word in story.total:
            members = self.postings.get(word)
            if members is not None:
                members.discard(story_id)
                if not members:
                    del self.postings[word]

    def _close_old(self) -> None:
        assert self.newest is not None
        horizon = self.newest - dt.timedelta(days=self.options.window_days)
        for story_id in [s.id for s in self.open.values() if s.last is not None and s.last < horizon]:
            self._drop(story_id)

    def _cap_undated(self) -> None:
        if self._undated <= self.options.max_open_undated:
            return
        undated = [s.id for s in self.open.values() if s.last is None]
        for story_id in undated[: max(0, len(undated) - self.options.max_open_undated)]:
            self._drop(story_id)


def split_members(members: list[tuple[str, dict[str, float]]], options: GroupOptions) -> list[str] | None:
    """The keys of the members that should leave their story, or None.

    The members (key, vector) are clustered by average linkage; the top merge
    is undone when both sides have at least `split_min` members and their mean
    cross-cosine is below `split_below`. The side without the oldest member leaves.
    """
    if len(members) < 2 * options.split_min:
        return None
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    columns: dict[str, int] = {}
    for _, vector in members:
        for word in vector:
            columns.setdefault(word, len(columns))
    matrix = np.zeros((len(members), len(columns)))
    for row, (_, vector) in enumerate(members):
        for word, x in vector.items():
            matrix[row, columns[word]] = x
    similarity = matrix @ matrix.T
    distance = np.clip(1.0 - similarity, 0.0, None)
    np.fill_diagonal(distance, 0.0)
    labels = fcluster(linkage(squareform(distance, checks=False), "average"), 2, "maxclust")
    stay = labels == labels[0]
    if min(int(stay.sum()), int((~stay).sum())) < options.split_min:
        return None
    if float(similarity[np.ix_(stay, ~stay)].mean()) >= options.split_below:
        return None
    return [key for (key, _), leaves in zip(members, ~stay, strict=True) if leaves]


def bcubed(gold: list[str], predicted: list[int | str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a clustering against gold labels (Bagga and Baldwin 1998)."""
    by_gold: dict[str, set[int]] = {}
    by_pred: dict[int | str, set[int]] = {}
    for i, (g, p) in enumerate(zip(gold, predicted, strict=True)):
        by_gold.setdefault(g, set()).add(i)
        by_pred.setdefault(p, set()).add(i)
    precision = recall = 0.0
    for g, p in zip(gold, predicted, strict=True):
        shared = len(by_gold[g] & by_pred[p])
        precision += shared / len(by_pred[p])
        recall += shared / len(by_gold[g])
    n = len(gold) or 1
    precision, recall = precision / n, recall / n
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
