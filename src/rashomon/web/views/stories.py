"""The stories page: newest first, a coverage bar each, full-text search, filters by outlet and date."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request

from rashomon.web.data import BadQuery
from rashomon.web.views.common import reader, render, twin

router = APIRouter()


def _load(
    request: Request, q: str | None, outlet: str | None, since: str | None, until: str | None, page: int
) -> dict[str, Any]:
    error = None
    try:
        items, more = reader(request).stories(q=q, outlet=outlet, since=since, until=until, page=page)
    except BadQuery as exc:
        items, more, error = [], False, str(exc)
    return {"stories": items, "more": more, "error": error}


@router.get("/stories.json")
def stories_json(
    request: Request,
    q: str | None = Query(None, max_length=200),
    outlet: str | None = Query(None, max_length=200),
    since: str | None = Query(None, alias="from", max_length=20),
    until: str | None = Query(None, alias="to", max_length=20),
    page: int = Query(1, ge=1, le=100_000),
) -> Any:
    data = _load(request, q, outlet, since, until, page)
    status = 400 if data["error"] else 200
    return twin(
        {"stories": [s.to_dict() for s in data["stories"]], "page": page, "more": data["more"], "error": data["error"]},
        status,
    )


@router.get("/stories")
def stories_page(
    request: Request,
    q: str | None = Query(None, max_length=200),
    outlet: str | None = Query(None, max_length=200),
    since: str | None = Query(None, alias="from", max_length=20),
    until: str | None = Query(None, alias="to", max_length=20),
    page: int = Query(1, ge=1, le=100_000),
) -> Any:
    data = _load(request, q, outlet, since, until, page)
    given = {k: v for k, v in (("q", q), ("outlet", outlet), ("from", since), ("to", until)) if v}

    def page_link(n: int) -> str:
        return "/stories?" + urlencode({**given, "page": n})

    return render(
        request,
        "stories.html",
        400 if data["error"] else 200,
        **data,
        q=q,
        outlet=outlet,
        since=since,
        until=until,
        page=page,
        page_link=page_link,
        most=max([s.articles for s in data["stories"]] or [1]),
        outlets=reader(request).outlet_names(),
    )
