"""Work the server does in the background: comparing a story (seconds: spaCy and MiniLM), ingesting
what the Add page received. One thread each, each with its own store connection; pages poll their state."""

from __future__ import annotations

import json
import queue
import re
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rashomon.model import Comparison


def page_report(comparison: Comparison) -> dict[str, Any]:
    """The JSON report (exactly what `compare` writes) plus what the story page draws from it:
    the outlet letters, the fact × outlet matrix and each article cut into highlighted segments."""
    from rashomon.model import letters
    from rashomon.write.common import coverage, segments, shown_facts
    from rashomon.write.json import to_dict

    report = to_dict(comparison)
    report["view"] = {
        "labels": letters(comparison.articles),
        "matrix": [{"fact": f.id, "cells": coverage(comparison, f)} for f in shown_facts(comparison)],
        "segments": {a.id: [list(s) for s in segments(comparison, a.id)] for a in comparison.articles},
    }
    return report


class Analyst:
    """Compares stories one at a time in a background thread and stores the result (table `reports`,
    and the outlet profile in `analyses`); `state` says what became of a request."""

    def __init__(self, db: Path | str, *, use_spacy: bool = True, cache_dir: Path | None = None) -> None:
        self.db = db
        self.use_spacy = use_spacy
        self.cache_dir = cache_dir
        self._queue: queue.Queue[int] = queue.Queue()
        self._states: dict[int, str] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._workspace: Any = None

    def request(self, story_id: int) -> str:
        with self._lock:
            state = self._states.get(story_id)
            if state in ("queued", "running"):
                return state
            self._states[story_id] = "queued"
            self._queue.put(story_id)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="rashomon-analyst", daemon=True)
                self._thread.start()
        return "queued"

    def state(self, story_id: int) -> str | None:
        with self._lock:
            return self._states.get(story_id)

    def _run(self) -> None:
        while True:
            story_id = self._queue.get()
            with self._lock:
                self._states[story_id] = "running"
            try:
                self.analyse(story_id)
                state = "done"
            except Exception as exc:  # shown on the story page; the server goes on
                state = f"failed: {exc}"
            with self._lock:
                self._states[story_id] = state

    def analyse(self, story_id: int) -> None:
        from rashomon.corpus import story_articles as load
        from rashomon.corpus import story_key, story_profile
        from rashomon.settings import CompareOptions
        from rashomon.store import Store
        from rashomon.workspace import Workspace

        if self._workspace is None:
            self._workspace = Workspace(use_spacy=self.use_spacy, cache_dir=self.cache_dir)
        with Store(self.db) as store:
            articles = load(store, story_id)
            comparison = self._workspace.compare_articles(articles, options=CompareOptions(use_spacy=self.use_spacy))
            key = story_key(articles)
            with store.transaction() as db:
                db.execute(
                    "INSERT OR REPLACE INTO reports (story_id, key, report) VALUES (?, ?, ?)",
                    (story_id, key, json.dumps(page_report(comparison), ensure_ascii=False)),
                )
                db.execute(
                    "INSERT OR REPLACE INTO analyses (story_id, key, profile) VALUES (?, ?, ?)",
                    (story_id, key, json.dumps(story_profile(comparison))),
                )


@dataclass
class Job:
    id: int
    sources: list[str]
    state: str = "queued"  # queued, running, done
    added: int = 0
    duplicates: int = 0
    copies: int = 0
    new_stories: int = 0
    failures: list[dict[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    stories: list[int] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)  # what the user gave: URLs and file names
    folder: str | None = None
    outlet: str | None = None  # the outlet the user named for the uploaded files, if any

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k not in ("folder", "sources")}

    def shown(self, text: str) -> str:
        """Text for the job's page: the server's temporary upload folder left out, the user's file name kept."""
        if not self.folder:
            return text
        text = re.sub(re.escape(self.folder) + r"/(?:\d+/)?", "", text)  # uploads lie in FOLDER/N/NAME
        return text.replace(self.folder, "(upload)")


class Ingester:
    """Runs ingest jobs one after another in a background thread; uploaded files live in a temporary
    folder of the job's own, deleted when it ends."""

    def __init__(self, db: Path | str, *, fetcher: Any = None) -> None:
        self.db = db
        self.fetcher = fetcher
        self.jobs: dict[int, Job] = {}
        self._queue: queue.Queue[Job] = queue.Queue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def folder(self) -> Path:
        return Path(tempfile.mkdtemp(prefix="rashomon-upload-"))

    def submit(self, sources: list[str], labels: list[str], folder: Path | None, outlet: str | None = None) -> Job:
        """A job for the sources; `outlet` names the outlet of the uploaded files (in `folder`), else the
        outlet is what each file states, or unknown (a file's name is no outlet)."""
        with self._lock:
            job = Job(len(self.jobs) + 1, sources, labels=labels, folder=str(folder) if folder else None, outlet=outlet)
            self.jobs[job.id] = job
            self._queue.put(job)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="rashomon-ingest", daemon=True)
                self._thread.start()
        return job

    def _run(self) -> None:
        while True:
            self.run(self._queue.get())

    def run(self, job: Job) -> None:
        from rashomon.ingest import IngestRun
        from rashomon.store import Store

        job.state = "running"
        try:
            with Store(self.db) as store:

                def progress(report: Any) -> None:
                    job.added, job.duplicates, job.copies = report.added, report.duplicates, report.copies
                    job.new_stories = report.new_stories
                    job.failures = [
                        {"source": job.shown(f.source), "kind": f.kind, "message": job.shown(f.message)}
                        for f in report.failures
                    ]

                named = {s: job.outlet for s in job.sources if job.outlet and job.folder and s.startswith(job.folder)}
                run = IngestRun(store, fetcher=self.fetcher, on_progress=progress, processes=0, outlets=named)
                try:
                    for source in job.sources:
                        run.source(source)
                finally:
                    run.close()
                progress(run.report)
                job.warnings = [job.shown(w) for w in run.report.warnings]
                if run.report.saved:
                    marks = ",".join("?" * len(run.report.saved))
                    job.stories = [
                        r[0]
                        for r in store.db.execute(
                            f"SELECT DISTINCT story_id FROM story_articles WHERE article_id IN ({marks}) ORDER BY story_id",
                            run.report.saved,
                        )
                    ]
        except Exception as exc:  # the job page shows it; the server goes on
            job.failures.append({"source": "(job)", "kind": "error", "message": job.shown(str(exc))})
        finally:
            job.state = "done"
            if job.folder:
                shutil.rmtree(job.folder, ignore_errors=True)
