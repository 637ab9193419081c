"""Add: paste URLs or upload files; they are ingested in the background and the job page shows
progress and failures. `POST /add.json` takes `{"urls": [...]}` for scripts (with a bearer token)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import UploadFile

from rashomon.web.security import UPLOAD_LIMIT
from rashomon.web.views.common import RowId, not_found, render, twin

router = APIRouter()
MAX_URLS = 200
MAX_FILES = 50
MAX_OUTLET = 200
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._ -]+")


def safe_name(name: str, number: int) -> str:
    """An uploaded file's name kept for its suffix and the job's page, never as a path: no folders, no
    dot-files."""
    base = _UNSAFE_NAME.sub("_", Path(name.replace("\\", "/")).name).strip(" .")[:100]
    return base or f"upload{number}"


def parse_urls(text: str) -> list[str]:
    urls = [line.strip() for line in text.splitlines() if line.strip()]
    bad = [u for u in urls if not u.startswith(("http://", "https://")) or len(u) > 2000]
    if bad:
        raise HTTPException(400, f"not an http(s) URL: {bad[0][:200]!r}; give one URL per line")
    if len(urls) > MAX_URLS:
        raise HTTPException(400, f"{len(urls)} URLs; give at most {MAX_URLS} at a time")
    return urls


@router.get("/add.json")
def add_json_page(request: Request) -> Any:
    return twin({"jobs": [j.to_dict() for j in reversed(list(request.app.state.ingester.jobs.values()))][:20]})


@router.get("/add")
def add_page(request: Request) -> Any:
    jobs = list(reversed(list(request.app.state.ingester.jobs.values())))[:20]
    return render(request, "add.html", error=None, urls=None, jobs=jobs)


@router.post("/add.json")
async def add_json(request: Request) -> Any:
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise HTTPException(415, 'send application/json: {"urls": ["https://…"]}')
    try:
        body = await request.json()
    except RecursionError:
        raise HTTPException(400, "the JSON is nested too deep; send one flat object") from None
    except ValueError:
        raise HTTPException(400, "the body is not JSON") from None
    if (
        not isinstance(body, dict)
        or not isinstance(body.get("urls"), list)
        or not all(isinstance(u, str) for u in body["urls"])
    ):
        raise HTTPException(400, 'send {"urls": ["https://…"]}')
    urls = parse_urls("\n".join(body["urls"]))
    if not urls:
        raise HTTPException(400, "no URL given")
    job = request.app.state.ingester.submit(urls, urls, None)
    return twin(job.to_dict(), 202)


@router.post("/add")
async def add(request: Request) -> Any:
    ingester = request.app.state.ingester
    try:
        form = await request.form(max_files=MAX_FILES, max_fields=12, max_part_size=UPLOAD_LIMIT)
    except Exception as exc:  # starlette's MultiPartException and friends: a malformed or oversized form
        raise HTTPException(400, f"the form could not be read ({exc})") from None
    text = form.get("urls")
    urls = parse_urls(text if isinstance(text, str) else "")
    uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    if not urls and not uploads:
        return render(request, "add.html", 400, error="Give at least one URL or one file.", urls=None, jobs=[])
    folder = ingester.folder() if uploads else None
    sources, labels = list(urls), list(urls)
    for number, upload in enumerate(uploads, 1):
        assert folder is not None
        place = folder / str(number)
        place.mkdir()
        target = place / safe_name(upload.filename or "", number)
        with target.open("wb") as out:
            while chunk := await upload.read(1 << 20):
                out.write(chunk)
        sources.append(str(target))
        labels.append(target.name)
    given = form.get("outlet")
    outlet = " ".join(given.split())[:MAX_OUTLET] if isinstance(given, str) else ""
    job = ingester.submit(sources, labels, folder, outlet or None)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.get("/jobs/{job_id}.json")
def job_json(request: Request, job_id: RowId) -> Any:
    job = request.app.state.ingester.jobs.get(job_id)
    if job is None:
        raise not_found(f"job {job_id}")
    return twin(job.to_dict())


@router.get("/jobs/{job_id}")
def job_page(request: Request, job_id: RowId) -> Any:
    job = request.app.state.ingester.jobs.get(job_id)
    if job is None:
        raise not_found(f"job {job_id}")
    return render(request, "job.html", job=job, refresh=None if job.state == "done" else 1)
