"""One article, readable, with its highlights (shared facts, quotes, loaded wording in the outlet's own
voice or quoted, opinion) once its story is compared; `?hl=START-END` marks a cited passage."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request

from rashomon.corpus import story_key
from rashomon.web.views.common import not_found, parse_range, pieces, reader, render, twin

router = APIRouter()


def _load(request: Request, article_id: str) -> tuple[dict[str, Any], list[list[Any]] | None]:
    data = reader(request)
    article = data.article(article_id)
    if article is None:
        raise not_found(f"article {article_id}")
    segments = None
    if article["story_id"] is not None:
        report = data.report(article["story_id"], story_key(data.story_ids(article["story_id"])))
        if report is not None:
            segments = report["view"]["segments"].get(article_id)
    return article, segments


@router.get("/articles/{article_id}.json")
def article_json(request: Request, article_id: str) -> Any:
    article, segments = _load(request, article_id)
    return twin({"article": article, "segments": segments})


@router.get("/articles/{article_id}")
def article_page(request: Request, article_id: str, hl: str | None = Query(None, max_length=40)) -> Any:
    article, segments = _load(request, article_id)
    return render(
        request,
        "article.html",
        a=article,
        highlighted=segments is not None,
        pieces=pieces(article["text"], segments, parse_range(hl)),
    )
