"""Set aside an article that is not about the same event as the others."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rashomon.compare.claims import Claim
from rashomon.model import Annotated, Article, SetAside
from rashomon.settings import CompareOptions

if TYPE_CHECKING:
    import numpy as np

# Names shared with the rest of the story that keep an article in even when
# its wording differs: two shared named people or places mean the same event.
MIN_SHARED_NAMES = 2


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
        if rows:
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
        shared = _names(annotated[article.id]) & set().union(
            *(_names(annotated[a.id]) for a in articles if a.id != article.id)
        )
        if score < options.offtopic_threshold and len(shared) < MIN_SHARED_NAMES:
            reason = (
                f"not about the same event: its text is unlike the others (similarity {score:.2f}, "
                f"below {options.offtopic_threshold:.2f}) and it shares {len(shared)} names with them"
            )
            aside.append(SetAside(article.id, article.source, reason))
        else:
            kept.append(article)
    if len(aside) * 2 >= len(articles):  # no majority to judge against: keep everything
        return articles, []
    return kept, aside
