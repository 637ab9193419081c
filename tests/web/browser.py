"""Headless Chromium (Debian's, installed by .ci/run) driven by Playwright, watching for what an
injected script would do: dialogs, page errors, requests to any host but 127.0.0.1."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("RASHOMON_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(os.environ.get("RASHOMON_ARTIFACTS", ROOT / "build" / "test-artifacts"))

if os.environ.get("RASHOMON_REQUIRE_CHROMIUM") and not Path(CHROMIUM).exists():
    raise RuntimeError(f"RASHOMON_REQUIRE_CHROMIUM is set but there is no Chromium at {CHROMIUM}")
needs_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM} (.ci/run installs Debian's chromium)"
)


@dataclass
class Watch:
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    escaped: list[str] = field(default_factory=list)  # requests to a host other than 127.0.0.1

    def clean(self) -> bool:
        return not (self.dialogs or self.errors or self.escaped)


@contextmanager
def browser(viewport: dict[str, int] | None = None) -> Iterator[tuple[Any, Watch]]:
    """A page in a fresh context, every request outside 127.0.0.1 recorded and aborted."""
    from playwright.sync_api import sync_playwright

    watch = Watch()
    with sync_playwright() as p:
        chrome = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            context = chrome.new_context(viewport=viewport or {"width": 1280, "height": 900})

            def route(r: Any) -> None:
                url = r.request.url
                if url.startswith(("data:", "about:")) or urlsplit(url).hostname == "127.0.0.1":
                    r.continue_()
                else:
                    watch.escaped.append(url)
                    r.abort()

            context.route("**/*", route)
            page = context.new_page()
            page.on("dialog", lambda d: (watch.dialogs.append(f"{d.type}: {d.message}"), d.dismiss()))
            page.on("pageerror", lambda e: watch.errors.append(str(e)))
            yield page, watch
        finally:
            chrome.close()


def shot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path
