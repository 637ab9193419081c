"""A story: the fact × outlet matrix, contradictions side by side, naming choices, voices per outlet,
the neutral summary whose citations show their passage in the article beside it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from rashomon.corpus import story_key
from rashomon.web.views.common import RowId, not_found, pieces, reader, render, twin

router = APIRouter()


def _load(request: Request, story_id: int) -> tuple[Any, dict[str, Any] | None, str | None, str]:
    data = reader(request)
    story = data.story(story_id)
    if story is None:
        raise not_found(f"story {story_id}")
    key = story_key(data.story_ids(story_id))
    report = data.report(story_id, key)
    state = None
    if report is None:
        analyst = request.app.state.analyst
        state = analyst.state(story_id)
        if state is None or state == "done":  # never asked, or the story changed since
            state = analyst.request(story_id)
    return story, report, state, key


@router.get("/stories/{story_id}.json")
def story_json(request: Request, story_id: RowId) -> Any:
    story, report, state, _ = _load(request, story_id)
    if report is None:
        return twin({"story": story.to_dict(), "status": state}, 202)
    public = {k: v for k, v in report.items() if k != "view"}
    return twin({"story": story.to_dict(), "status": "ready", "report": public})


@router.get("/stories/{story_id}")
def story_page(request: Request, story_id: RowId) -> Any:
    story, report, state, key = _load(request, story_id)
    if report is None:
        articles = [reader(request).article(a) for a in reader(request).story_ids(story_id)]
        failed = bool(state and state.startswith("failed"))
        return render(
            request,
            "story.html",
            story=story,
            r=None,
            state=state,
            articles=[a for a in articles if a],
            refresh=None if failed else 3,
        )
    cache = request.app.state.page_cache
    cached = cache.get((request.url.path, request.url.query, key))
    if cached is not None:  # a compared story's page changes only with its articles (the key)
        return HTMLResponse(cached)
    from rashomon.write.pictures import report_pictures

    segs = report["view"]["segments"]
    drawn = report_pictures(report, report["view"]["labels"], report["view"]["matrix"])
    response = render(
        request,
        "story.html",
        story=story,
        r=report,
        state=state,
        facts={f["id"]: f for f in report["facts"]},
        pictures=drawn,  # markup whose every text is escaped (write.pictures)
        pieces={a["id"]: pieces(a["text"], segs.get(a["id"]), None) for a in report["articles"]},
    )
    cache.put((request.url.path, request.url.query, key), response.body)
    return response
