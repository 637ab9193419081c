"""What the view modules share: the app's parts from a request, JSON twins, highlighted text pieces."""

from __future__ import annotations

import itertools
from typing import Annotated, Any

from fastapi import HTTPException, Path, Request
from fastapi.responses import JSONResponse

from rashomon.web.data import Reader

# A story or job number in a path: what SQLite's INTEGER holds, so /stories/99999999999999999999 is a 404.
RowId = Annotated[int, Path(ge=1, le=2**63 - 1)]


def reader(request: Request) -> Reader:
    return request.app.state.reader  # type: ignore[no-any-return]


def render(request: Request, name: str, status: int = 200, **context: Any) -> Any:
    return request.app.state.pages.render(name, request, status, **context)


def twin(data: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status)


def not_found(what: str) -> HTTPException:
    return HTTPException(404, f"{what} is not in this store")


def pieces(text: str, segments: list[list[Any]] | None, hl: tuple[int, int] | None) -> list[dict[str, Any]]:
    """The text as highlighted pieces: one per segment (or one for the whole text), the cited range marked
    `hl`, the first cited piece carrying the page anchor."""
    segments = segments or [[0, len(text), ""]]
    if hl:  # cut at the highlight's ends too, so it covers exactly the cited characters
        ends = {max(0, min(x, len(text))) for x in hl}
        split: list[list[Any]] = []
        for start, end, kinds in segments:
            bounds = [start, *sorted(c for c in ends if start < c < end), end]
            split += [[a, b, kinds] for a, b in itertools.pairwise(bounds)]
        segments = split
    out, anchored = [], False
    for start, end, kinds in segments:
        on = bool(hl and start < hl[1] and end > hl[0])
        marked = (kinds + " hl").strip() if on else kinds
        out.append({"s": start, "e": end, "text": text[start:end], "kinds": marked, "anchor": on and not anchored})
        anchored = anchored or on
    return out


def parse_range(value: str | None) -> tuple[int, int] | None:
    """`?hl=START-END` → (start, end); anything else is ignored."""
    if not value:
        return None
    start, _, end = value.partition("-")
    if start.isdigit() and end.isdigit() and int(start) < int(end):
        return int(start), int(end)
    return None
