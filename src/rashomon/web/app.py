"""`rashomon serve`: the store in the browser. `create_app` builds the FastAPI application.

Pages are rendered on the server from Jinja2 templates whose environment has
autoescape on for every template, whatever its name (Starlette's default
escapes only .html/.htm/.xml names). Every page has a JSON twin at the same
path with `.json`. One view module per page lives in `rashomon.web.views`.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

from rashomon import __version__
from rashomon.web.data import Reader
from rashomon.web.security import Access, Guard
from rashomon.web.work import Analyst, Ingester
from rashomon.write.safe import OUTLET_UNKNOWN, shorten


@dataclass
class Settings:
    db: Path | str  # a SQLite file, or a postgresql:// URL
    access: Access
    use_spacy: bool = True
    cache_dir: Path | None = None
    fetcher: Any = None  # tests give a fetcher that may reach their loopback servers


def environment() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("rashomon.web", "templates"),
        autoescape=True,  # every template, whatever its name
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["labels"] = lambda ids, labels: ", ".join(labels.get(i, "?") for i in ids)
    env.filters["urlencode"] = lambda value: quote(str(value), safe="")
    env.filters["short"] = shorten  # at a word, with an ellipsis
    env.globals["OUTLET_UNKNOWN"] = OUTLET_UNKNOWN
    env.globals["version"] = __version__
    return env


class Pages:
    """Renders a template to an HTML response (the JSON twin's path is given to every page)."""

    def __init__(self) -> None:
        self.env = environment()

    def render(self, name: str, request: Any, status: int = 200, **context: Any) -> Any:
        from fastapi.responses import HTMLResponse

        path = request.url.path
        context.setdefault("json_path", path + ".json" + (("?" + request.url.query) if request.url.query else ""))
        context.setdefault("refresh", None)
        html = self.env.get_template(name).render(**context)
        return HTMLResponse(html, status_code=status)


class PageCache:
    """Rendered pages that change only with their key (a compared story's articles): 64 at most."""

    def __init__(self, size: int = 64) -> None:
        import threading
        from collections import OrderedDict

        self.size = size
        self._items: OrderedDict[Any, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any) -> bytes | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Any, value: bytes) -> None:
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)


TITLES = {400: "Bad request", 404: "Not found", 405: "Method not allowed", 413: "Too large", 415: "Wrong type"}


def _error_pages(app: Any) -> None:
    """Errors as a page for a browser, as JSON for a twin or a script; a bad path part is a 404."""
    from fastapi import Request
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse
    from starlette.exceptions import HTTPException

    def error(request: Request, status: int, message: str) -> Any:
        if request.url.path.endswith(".json") or "text/html" not in request.headers.get("accept", ""):
            return JSONResponse({"error": message}, status_code=status)
        title = TITLES.get(status, "Error")
        return app.state.pages.render(
            "error.html", request, status, code=status, title=title, message=message, json_path=None
        )

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Any:
        response = error(request, exc.status_code, str(exc.detail))
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Any:
        if any(e.get("loc", ("",))[0] == "path" for e in exc.errors()):
            return error(request, 404, "no such page: check the address")
        wrong = "; ".join(f"{e['loc'][-1]}: {e['msg']}" for e in exc.errors())
        return error(request, 400, f"the query is not valid ({wrong})")


def create_app(settings: Settings) -> Any:
    from fastapi import FastAPI
    from fastapi.responses import RedirectResponse
    from fastapi.staticfiles import StaticFiles

    from rashomon.store import Store
    from rashomon.web.views import add, article, login, outlet, stories, story

    with Store(settings.db):  # create or migrate it once, here; pages only read
        pass
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None, title="rashomon")
    app.state.settings = settings
    app.state.reader = Reader(settings.db)
    app.state.pages = Pages()
    app.state.page_cache = PageCache()
    app.state.analyst = Analyst(settings.db, use_spacy=settings.use_spacy, cache_dir=settings.cache_dir)
    app.state.ingester = Ingester(settings.db, fetcher=settings.fetcher)
    app.state.access = settings.access
    for module in (login, stories, story, article, outlet, add):
        app.include_router(module.router)
    static = resources.files("rashomon.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    _error_pages(app)
    app.add_api_route("/", lambda: RedirectResponse("/stories", status_code=303), include_in_schema=False)
    return Guard(app, settings.access)
