"""Set aside an article that is not about the same event as the others."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rashomon.compare.claims import Claim
from rashomon.model import Annotated, Article, SetAside
from rashomon.settings import CompareOptions

if TYPE_CHECKING:
    import numpy as np

# Share of an article's names (people, places, organisations) that the rest of the
# story also names, under which (with dissimilar wording) it is set aside. On BASIL
# events with an article of another event mixed in, members shared 0.30-0.89 of their
# names and intruders 0.00-0.23 (benchmarks/setaside.py).
MIN_NAME_SHARE = 0.3
# An article of fewer claims is too short to judge (a title and a lead): it is kept.
# AllSides leads (2-4 sentences) of one event were set aside 12 times in 180 without this.
MIN_CLAIMS = 5


def _names(ann: Annotated) -> set[str]:
    return {m.name.lower() for m in ann.mentions if m.label in ("PERSON", "GPE", "ORG", "FAC", "LOC")}


def set_aside_offtopic(
    articles: list[Article],
    claims: list[Claim],
    vectors: np.ndarray,
    annotated: dict[str, Annotated],
    options: CompareOptions,
) -> tuple[list[Article], list[SetAside]]:
    """(articles kept, articles set aside with the reason); needs three articles to judge."""
    import numpy as np

    if len(articles) < 3:
        return articles, []
    centres = {}
    for article in articles:
        rows = [c.index for c in claims if c.span.article == article.id]
        if len(rows) >= MIN_CLAIMS:
            v = vectors[rows].mean(axis=0)
            centres[article.id] = v / max(float(np.linalg.norm(v)), 1e-9)
    kept, aside = [], []
    for article in articles:
        others = [centres[a.id] for a in articles if a.id != article.id and a.id in centres]
        if article.id not in centres or not others:
            kept.append(article)
            continue
        rest = np.mean(others, axis=0)
        score = float(centres[article.id] @ (rest / max(float(np.linalg.norm(rest)), 1e-9)))
        mine = _names(annotated[article.id])
        shared = mine & set().union(*(_names(annotated[a.id]) for a in articles if a.id != article.id))
        share = len(shared) / max(len(mine), 1)
        if score < options.offtopic_threshold and share < MIN_NAME_SHARE:
            reason = (
                f"not about the same event: its text is unlike the others (similarity {score:.2f}, "
                f"below {options.offtopic_threshold:.2f}) and few of its names appear in them "
                f"({len(shared)} of {len(mine)})"
            )
            aside.append(SetAside(article.id, article.source, reason))
        else:
            kept.append(article)
    if len(aside) * 2 >= len(articles):  # no majority to judge against: keep everything
        return articles, []
    return kept, aside
