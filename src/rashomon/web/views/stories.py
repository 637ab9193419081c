"""The stories page: newest first, a coverage bar each, full-text search, filters by outlet and date."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request

from rashomon.web.data import BadQuery
from rashomon.web.views.common import reader, render, twin

router = APIRouter()


@dataclass
class Filters:
    """The search and filters of the stories page, from its query string."""

    q: str | None = Query(None, max_length=200)
    outlet: str | None = Query(None, max_length=200)
    since: str | None = Query(None, alias="from", max_length=20)
    until: str | None = Query(None, alias="to", max_length=20)
    page: int = Query(1, ge=1, le=100_000)

    def given(self) -> dict[str, str]:
        pairs = (("q", self.q), ("outlet", self.outlet), ("from", self.since), ("to", self.until))
        return {k: v for k, v in pairs if v}


def _load(request: Request, f: Filters) -> dict[str, Any]:
    error = None
    try:
        items, more = reader(request).stories(q=f.q, outlet=f.outlet, since=f.since, until=f.until, page=f.page)
    except BadQuery as exc:
        items, more, error = [], False, str(exc)
    return {"stories": items, "more": more, "error": error}


@router.get("/stories.json")
def stories_json(request: Request, f: Annotated[Filters, Depends()]) -> Any:
    data = _load(request, f)
    body = {
        "stories": [s.to_dict() for s in data["stories"]],
        "page": f.page,
        "more": data["more"],
        "error": data["error"],
    }
    return twin(body, 400 if data["error"] else 200)


@router.get("/stories")
def stories_page(request: Request, f: Annotated[Filters, Depends()]) -> Any:
    data = _load(request, f)

    def page_link(n: int) -> str:
        return "/stories?" + urlencode({**f.given(), "page": n})

    return render(
        request,
        "stories.html",
        400 if data["error"] else 200,
        **data,
        q=f.q,
        outlet=f.outlet,
        since=f.since,
        until=f.until,
        page=f.page,
        page_link=page_link,
        most=max([s.articles for s in data["stories"]] or [1]),
        outlets=reader(request).outlet_names(),
    )
