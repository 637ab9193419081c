"""Facts: claims from different articles that state the same proposition.

Two passes. Quantity facts gather the sentences that report one quantity
("1,000 prisoners", "two hours", "30-day") in several articles; a sentence
may serve several of them. Then claims are clustered (average linkage) on a
blend of MiniLM cosine and shared rare words, so that a paraphrase with no
number still finds its fellows. Embeddings cannot see negation, so a fact
groups claims that are *about* the same proposition; conflicts are checked
separately.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from typing import TYPE_CHECKING

from rashomon.annotate.numbers import ORDINAL_UNIT
from rashomon.compare.claims import Claim
from rashomon.model import Article, Fact, FactStatus, Span, Support

if TYPE_CHECKING:
    import numpy as np

# Blend weights: MiniLM cosine carries paraphrase, word-by-word alignment (compare.alignment)
# carries one sentence stated inside a longer one, shared rare words carry names and figures
# MiniLM under-weights. Chosen with the fact threshold over the five gold stories' fact recall
# and checked on ECB+ dev (README, quality): 0.4 alignment, 0.3 overlap, 0.3 cosine.
COSINE_WEIGHT = 0.3
ALIGNMENT_WEIGHT = 0.4
OVERLAP_WEIGHT = 0.3
# Units small counts must carry to key a fact ("two sides" is not a fact; "two hours" can be).
MEASURE_UNITS = frozenset(
    "hour hours minute minutes day days week weeks month months year years percent km kilometres miles "
    "metres meters dollars euros pounds tons tonnes people dead killed injured".split()
)
# Counts below this are too common to key a fact without a measure unit.
DISTINCT_VALUE = 20
# A claim already in a fact joins a second one only this far above the fact threshold
# (on its best clause). Swept 0.05-0.15 on the seed story; 0.1 kept precision and gained recall.
SECONDARY_MARGIN = 0.1
# A quantity's sentences must also be about the same thing: this much cosine with a fellow.
QUANTITY_MIN_COSINE = 0.3


def clause_cosine(claims: list[Claim], vectors: np.ndarray, chunk_vectors: np.ndarray) -> np.ndarray:
    """Cosine of two claims: the whole sentences, or their best-matching clauses, whichever is higher.

    `chunk_vectors` holds the vectors of every claim's clauses in claim order; a claim
    of one clause is represented by its sentence vector.
    """
    import numpy as np

    rows: list[np.ndarray] = []
    starts: list[int] = []
    k = 0
    for c in claims:
        starts.append(len(rows))
        if c.chunks:
            rows.extend(chunk_vectors[k : k + len(c.chunks)])
            k += len(c.chunks)
        else:
            rows.append(vectors[c.index])
    whole = vectors @ vectors.T
    if not rows:
        return whole
    mat = np.asarray(rows)
    best = np.maximum.reduceat(np.maximum.reduceat(mat @ mat.T, starts, axis=0), starts, axis=1)
    return np.maximum(whole, best)


def similarity(claims: list[Claim], cos_matrix: np.ndarray, overlaps: np.ndarray, aligned: np.ndarray) -> np.ndarray:
    """Pairwise blended similarity of claims (0..1), zero within one article."""
    import numpy as np

    sim = COSINE_WEIGHT * np.clip(cos_matrix, 0.0, 1.0) + OVERLAP_WEIGHT * overlaps + ALIGNMENT_WEIGHT * aligned
    article = np.array([c.span.article for c in claims])
    sim[article[:, None] == article[None, :]] = 0.0
    np.fill_diagonal(sim, 1.0)
    return sim


def _cluster(sim: np.ndarray, threshold: float) -> list[list[int]]:
    """Average-linkage clusters whose mean similarity stays above the threshold."""
    import numpy as np
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    n = sim.shape[0]
    if n < 2:
        return [[i] for i in range(n)]
    dist = 1.0 - np.clip(sim, 0.0, 1.0)
    np.fill_diagonal(dist, 0.0)
    labels = fcluster(
        linkage(squareform(dist, checks=False), method="average"), t=1.0 - threshold, criterion="distance"
    )
    groups: dict[int, list[int]] = defaultdict(list)
    for i, label in enumerate(labels):
        groups[int(label)].append(i)
    return sorted(groups.values(), key=lambda g: g[0])


def _quantity_key(value: float, unit: str | None) -> str | None:
    if unit == ORDINAL_UNIT:
        return None  # a rank ("the 81st Academy Awards") ties no two sentences to one quantity
    if value >= DISTINCT_VALUE:
        return f"{value:g}"
    if unit and unit.rstrip("s") + "s" in MEASURE_UNITS | {u + "s" for u in MEASURE_UNITS}:
        return f"{value:g} {unit.rstrip('s')}"
    return None


def _quantity_groups(claims: list[Claim], cos: np.ndarray) -> list[list[int]]:
    by_key: dict[str, list[int]] = defaultdict(list)
    for c in claims:
        for value, unit in c.numbers:
            key = _quantity_key(value, unit)
            if key is not None and c.index not in by_key[key]:
                by_key[key].append(c.index)
    out = []
    for members in by_key.values():
        keep = [
            i
            for i in members
            if any(
                claims[j].span.article != claims[i].span.article and cos[i, j] >= QUANTITY_MIN_COSINE for j in members
            )
        ]
        if len({claims[i].span.article for i in keep}) >= 2:
            out.append(keep)
    return out


def _add_secondary(groups: list[list[int]], claims: list[Claim], sim: np.ndarray, threshold: float) -> None:
    """Let a claim also join a fact of other articles that one of its clauses states."""
    for group in groups:
        articles = {claims[i].span.article for i in group}
        if len(articles) < 2:
            continue
        for c in claims:
            if c.span.article in articles or c.index in group:
                continue
            if float(sim[c.index, group].mean()) >= threshold + SECONDARY_MARGIN:
                group.append(c.index)


def group_facts(
    claims: list[Claim],
    vectors: np.ndarray,
    articles: list[Article],
    threshold: float,
    cos_matrix: np.ndarray,
    overlaps: np.ndarray,
    aligned: np.ndarray,
) -> list[Fact]:
    """Facts, most widely supported first; every claim belongs to at least one.

    `cos_matrix` is `clause_cosine`, `overlaps` `overlap_matrix(claims)` and `aligned`
    `alignment.alignment_matrix` of the claims' token vectors.
    """
    whole = vectors @ vectors.T
    # Clusters form on whole sentences (clause maxima lift unrelated pairs too: on the seed
    # story clustering on them lost a third of the facts); clauses only admit a sentence
    # to a second fact, which is what a sentence stating two propositions needs.
    sim = similarity(claims, whole, overlaps, aligned)
    groups = _quantity_groups(claims, whole)
    quantity_seen = {frozenset(g) for g in groups}
    clusters = [g for g in _cluster(sim, threshold) if frozenset(g) not in quantity_seen]
    _add_secondary(clusters, claims, similarity(claims, cos_matrix, overlaps, aligned), threshold)
    groups.extend(clusters)
    groups = _join_repeats(merge_overlapping(groups), claims)
    # A claim alone in its cluster but already part of a fact several articles state is
    # not something one outlet alone reports: drop the lone copy.
    shared = {i for g in groups if len({claims[j].span.article for j in g}) > 1 for i in g}
    groups = [g for g in groups if len(g) > 1 or g[0] not in shared]
    owner = _owners(groups, sim)
    # Larger facts choose their sentence first; a sentence shown for one fact is not shown for another
    # (a lede stating two propositions would head both rows).
    shown: set[int] = set()
    facts = []
    for k in sorted(range(len(groups)), key=lambda k: -len(groups[k])):
        lent = {i for i in groups[k] if owner[i] != k}
        facts.append(_make_fact(groups[k], claims, vectors, articles, lent, shown))
    facts.sort(key=lambda f: (-f.support.independent, -f.support.articles, f.mentions[0]))
    return facts


# Two groups sharing at least this share of each one's sentences state one proposition (the looser
# "of the smaller one" cost gold facts: see README, benchmarks/fact_duplicates.py).
MERGE_SHARE = 0.5


def _repeat(a: list[int] | tuple, b: list[int] | tuple) -> bool:
    """Whether two groups share most of the claims of each (one proposition gathered twice)."""
    shared = len(set(a) & set(b))
    return shared > 0 and shared >= MERGE_SHARE * max(len(set(a)), len(set(b)))


def _join_repeats(groups: list[list[int]], claims: list[Claim]) -> list[list[int]]:
    """A sentence an article repeats word for word (a page scraped with its teaser, a lede run twice)
    joins the facts of its first copy instead of making a fact of its own: one proposition, one row."""
    first: dict[tuple[str, str], int] = {}
    original: dict[int, int] = {}
    for c in claims:
        key = (c.span.article, " ".join(c.text.lower().split()))
        original[c.index] = first.setdefault(key, c.index)
    out = []
    for group in groups:
        if len(group) == 1 and original[group[0]] != group[0]:
            homes = [g for g in groups if original[group[0]] in g and g is not group]
            for home in homes:
                home.append(group[0])
            if homes:
                continue
        out.append(group)
    return out


def merge_overlapping(groups: list[list[int]]) -> list[list[int]]:
    """Groups joined while two share most of the claims of each (one proposition, one fact).

    A quantity fact and a paraphrase cluster often gather the same sentences: shown as two
    rows, they repeat each other. Groups that share only some claims stay apart: a sentence
    may state two propositions ("the two-hour meeting agreed a swap of 1,000 prisoners").
    """
    out = [list(dict.fromkeys(g)) for g in groups]
    merged = True
    while merged:
        merged = False
        for i in range(len(out)):
            j = next((j for j in range(i + 1, len(out)) if _repeat(out[i], out[j])), None)
            if j is not None:
                out[i] = list(dict.fromkeys(out[i] + out[j]))
                del out[j]
                merged = True
                break
    return out


def _owners(groups: list[list[int]], sim: np.ndarray) -> dict[int, int]:
    """For each claim, the group it belongs to most (highest mean similarity to the others)."""
    best: dict[int, tuple[float, int]] = {}
    for k, group in enumerate(groups):
        for i in group:
            others = [j for j in group if j != i]
            score = float(sim[i, others].mean()) if others else 0.0
            if i not in best or score > best[i][0]:
                best[i] = (score, k)
    return {i: k for i, (_, k) in best.items()}


def duplicate_pairs(facts: list[Fact]) -> list[tuple[int, int]]:
    """Pairs of facts (indices) that repeat each other: most of each one's sentences shared,
    or the same sentence shown for both."""
    out = []
    for i, a in enumerate(facts):
        for j in range(i + 1, len(facts)):
            if _repeat(a.mentions, facts[j].mentions) or a.text == facts[j].text:
                out.append((i, j))
    return out


def independent_outlets(article_ids: set[str], articles: list[Article]) -> int:
    """Outlets counted once, with a near-copy counted as the article it copies."""
    by_id = {a.id: a for a in articles}
    origins = set()
    for aid in article_ids:
        art = by_id[aid]
        origin = by_id.get(art.copy_of, art) if art.copy_of else art
        origins.add(origin.outlet_key)
    return len(origins)


def status_of(independent: int, total: int) -> FactStatus:
    if independent < 2:
        return "one"
    if independent >= total:
        return "all"
    if independent * 2 > total:
        return "most"
    return "some" if independent >= 2 else "one"


def _make_fact(
    group: list[int],
    claims: list[Claim],
    vectors: np.ndarray,
    articles: list[Article],
    lent: set[int],
    shown: set[int],
) -> Fact:
    """A fact of the group; `lent` are claims that belong more to another fact, `shown` those another fact
    shows (neither is shown for this one while another can be; the one shown is added to `shown`)."""
    members = [claims[i] for i in sorted(group, key=lambda i: (claims[i].span.article, claims[i].span.start))]
    ids = {c.span.article for c in members}
    by_id = {a.id: a for a in articles}
    total = independent_outlets({a.id for a in articles}, articles)
    independent = independent_outlets(ids, articles)
    rep = _representative(members, vectors, lent | shown)
    shown.add(rep.index)
    mentions: tuple[Span, ...] = tuple(c.span for c in members)
    digest = hashlib.sha256(repr([(s.article, s.start, s.end) for s in mentions]).encode()).hexdigest()[:10]
    return Fact(
        id=f"f-{digest}",
        text=rep.text,
        status=status_of(independent, total),
        support=Support(len(ids), len({by_id[i].outlet_key for i in ids}), independent),
        mentions=mentions,
        outlets=tuple(sorted({o for i in ids if (o := by_id[i].outlet)})),
    )


def _representative(members: list[Claim], vectors: np.ndarray, lent: set[int]) -> Claim:
    """The member closest to the group's centre, preferring its own (not another fact's), plain,
    unquoted, unloaded sentences."""
    centre = vectors[[c.index for c in members]].mean(axis=0)

    def rank(c: Claim) -> tuple[bool, bool, bool, bool, float]:
        return (c.index in lent, c.loaded, c.opinion, c.quoted, -float(vectors[c.index] @ centre))

    return min(members, key=rank)
