"""The corpus commands of the CLI: ingest, stories, show, export, outlets."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rashomon.errors import UsageError
from rashomon.store import Store
from rashomon.store.db import is_url
from rashomon.write.safe import printable


def _open(path: str, *, must_exist: bool = True) -> Store:
    if must_exist and not is_url(path) and not Path(path).exists():
        raise UsageError(f"{path}: no store here; create one with `rashomon ingest SOURCE... --db {path}`")
    return Store(path)


@contextmanager
def _progress(quiet: bool, label: str) -> Iterator[Any]:
    """A progress bar on stderr (when it is a terminal and not --quiet); yields an update(text, done, total)."""
    if quiet or not sys.stderr.isatty():
        yield lambda *a, **k: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(),
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("", total=None)

        def update(text: str = "", done: int | None = None, total: int | None = None) -> None:
            bar.update(task, description=text, completed=done, total=total)

        yield update


def run_ingest(args: argparse.Namespace) -> int:
    from rashomon.cli import _outlets
    from rashomon.ingest import IngestRun

    with _open(args.db, must_exist=False) as store, _progress(args.quiet, "ingest") as update:
        run = IngestRun(
            store,
            outlets=_outlets(args.outlet),
            max_chars=args.max_chars,
            processes=args.workers,
            on_progress=lambda r: update(
                f"{r.added:,} added · {r.duplicates:,} already stored · {r.failed:,} failed",
                r.added + r.duplicates + r.failed,
            ),
        )
        try:
            for source in args.sources:
                run.source(source)
        finally:
            run.close()
        report = run.report
        n_stories = store.db.execute("SELECT count(*) FROM stories").fetchone()[0]
    if not args.quiet:
        for warning in report.warnings:
            print(f"warning: {printable(warning)}", file=sys.stderr)
        if report.warnings.dropped:
            print(f"warning: {report.warnings.dropped:,} more warnings not shown", file=sys.stderr)
    for failure in report.failures:
        print(f"failed: {printable(str(failure))}", file=sys.stderr)
    if report.failures.dropped:
        print(
            f"failed: {report.failures.dropped:,} more failures not shown (all are in the failures table)",
            file=sys.stderr,
        )
    print(
        f"ingested: {report.added:,} added ({report.copies:,} near-copies), {report.duplicates:,} already stored, "
        f"{report.failed:,} failed; {n_stories:,} stories ({report.new_stories:,} new"
        + (f", {report.splits:,} by splitting one that held two events" if report.splits else "")
        + f") in {args.db}",
        file=sys.stderr,
    )
    return 1 if report.failed else 0


def run_stories(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from rashomon.corpus import print_json, stories

    with _open(args.db) as store:
        found = stories(store, limit=args.limit, min_articles=args.min_articles)
    if args.json:
        print_json([asdict(s) for s in found])
        return 0
    from rich.table import Table

    from rashomon.write.common import Clipped, SafeConsole, terminal_width

    table = Table(box=None, expand=True)
    table.add_column("story", no_wrap=True, justify="right")
    table.add_column("title", ratio=3)
    table.add_column("dates", no_wrap=True)
    table.add_column("articles", no_wrap=True, justify="right")
    table.add_column("indep.", no_wrap=True, justify="right")
    table.add_column("outlets", ratio=1)
    for s in found:
        dates = s.first_date if s.first_date == s.last_date else f"{s.first_date or '?'} – {s.last_date or '?'}"
        table.add_row(
            str(s.id),
            Clipped(s.title),
            dates or "undated",
            str(s.articles),
            str(s.independent_outlets),
            Clipped(", ".join(s.outlets) or "unknown"),
        )
    SafeConsole(highlight=False, markup=False, width=terminal_width()).print(table)
    return 0


def run_show(args: argparse.Namespace) -> int:
    from rashomon.cache import default_dir
    from rashomon.cli import _format, write_report
    from rashomon.corpus import story_articles
    from rashomon.settings import CompareOptions
    from rashomon.workspace import Workspace

    fmt = _format(args.format, args.output)
    with _open(args.db) as store:
        articles = story_articles(store, args.story)
    options = CompareOptions(use_spacy=not args.no_spacy, max_chars=args.max_chars)
    workspace = Workspace(use_spacy=options.use_spacy, cache_dir=None if args.no_cache else default_dir())
    comparison = workspace.compare_articles(articles, options=options)
    if not args.quiet:
        for warning in comparison.warnings:
            print(f"warning: {printable(warning)}", file=sys.stderr)
    write_report(comparison, fmt, args.output, quiet=args.quiet)
    return 0


def run_export(args: argparse.Namespace) -> int:
    from rashomon.corpus import export

    with _open(args.db) as store:
        written = export(store, Path(args.directory), args.format)
    for path in written:
        print(f"wrote {path}", file=sys.stderr)
    return 0


def run_outlets(args: argparse.Namespace) -> int:
    from rashomon.cache import default_dir
    from rashomon.corpus import outlet_profiles, print_json
    from rashomon.settings import CompareOptions
    from rashomon.workspace import Workspace

    options = CompareOptions(use_spacy=not args.no_spacy, max_chars=args.max_chars)
    workspace: list[Workspace] = []

    def compare(articles: list) -> Any:
        if not workspace:
            workspace.append(Workspace(use_spacy=options.use_spacy, cache_dir=None if args.no_cache else default_dir()))
        return workspace[0].compare_articles(articles, options=options)

    with _open(args.db) as store, _progress(args.quiet, "outlets") as update:
        profiles = outlet_profiles(store, compare, on_story=lambda done, total: update("stories compared", done, total))
    if args.json:
        print_json([p.to_dict() for p in profiles])
        return 0
    from rich.table import Table

    from rashomon.write.common import Clipped, SafeConsole, terminal_width

    table = Table(box=None, expand=True)
    table.add_column("outlet", ratio=1)
    for name in ("stories", "articles", "loaded /1000 words", "single-source facts"):
        table.add_column(name, no_wrap=True, justify="right")
    table.add_column("top voices", ratio=1)
    table.add_column("naming", ratio=1)
    for p in profiles:
        naming = "; ".join(f"{ref}: {forms.most_common(1)[0][0]}" for ref, forms in list(p.naming.items())[:3] if forms)
        table.add_row(
            Clipped(p.outlet),
            str(p.stories),
            str(p.articles),
            f"{p.loaded_per_1000_words:.2f}" if p.words else "–",
            f"{p.single_source_facts}/{p.facts}" if p.facts else "–",
            Clipped(", ".join(v for v, _ in p.voices.most_common(3))),
            Clipped(naming),
        )
    SafeConsole(highlight=False, markup=False, width=terminal_width()).print(table)
    return 0


def run_serve(args: argparse.Namespace) -> int:
    from rashomon.cache import default_dir
    from rashomon.web.security import Access, is_loopback, new_token

    password = os.environ.get("RASHOMON_PASSWORD") or None
    if args.no_token and not is_loopback(args.host):
        raise UsageError(
            f"refusing to listen on {args.host} without authentication; drop --no-token "
            "(a login token is printed), or listen on 127.0.0.1"
        )
    if not 0 < args.port < 65536:
        raise UsageError(f"--port {args.port} is not a port number (1-65535)")
    access = Access(
        token=None if args.no_token else new_token(),
        password=password,
        hosts=frozenset(h.lower().rstrip(".") for h in args.allow_host)
        | (frozenset() if is_loopback(args.host) or args.host in ("0.0.0.0", "::") else frozenset({args.host.lower()})),
    )
    import uvicorn

    from rashomon.web.app import Settings, create_app

    with _open(args.db, must_exist=False):
        pass
    app = create_app(
        Settings(
            db=args.db if is_url(args.db) else Path(args.db),
            access=access,
            use_spacy=not args.no_spacy,
            cache_dir=default_dir(),
        )
    )
    shown = f"[{args.host}]" if ":" in args.host else args.host
    if shown in ("0.0.0.0", "[::]"):
        shown = "127.0.0.1"
    url = f"http://{shown}:{args.port}/"
    login = f"{url}login?token={access.token}" if access.token else url
    print(f"rashomon: serving {args.db} at {url}", file=sys.stderr)
    print(f"rashomon: open {login}", file=sys.stderr, flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", server_header=False, proxy_headers=False)
    return 0


def run_doctor(args: argparse.Namespace) -> int:
    """Every check with its status, and for each problem what to do; exit 1 when any check fails."""
    from rashomon.corpus import print_json
    from rashomon.doctor import check_install, check_store

    checks = check_install(browser=args.browser)
    if args.db:
        checks += check_store(args.db)
    if args.json:
        print_json([c.to_dict() for c in checks])
    else:
        marks = {"ok": "ok  ", "warn": "WARN", "fail": "FAIL"}
        for c in checks:
            print(printable(f"{marks[c.status]} {c.name}: {c.detail}"))
            if c.fix and c.status != "ok":
                print(printable(f"     fix: {c.fix}"))
    return 1 if any(c.status == "fail" for c in checks) else 0


def run_migrate(args: argparse.Namespace) -> int:
    """A SQLite store copied into PostgreSQL, table by table, then verified."""
    from rashomon.store.migrate import migrate

    if is_url(args.source) or not is_url(args.target):
        raise UsageError("give --from the SQLite file and --to a postgresql:// URL")
    with _open(args.source) as source, _open(args.target, must_exist=False) as target:
        with _progress(args.quiet, "migrate") as update:
            copied = migrate(source, target, on_batch=lambda table, done: update(table, done, None))
    added = ", ".join(f"{c.table} {c.added:,}/{c.rows:,}" for c in copied if c.rows)
    print(
        f"migrated {args.source} into {target.path} ({added} added this run); counts and hashes verified",
        file=sys.stderr,
    )
    return 0


def run_backup(args: argparse.Namespace) -> int:
    """SQLite's online backup to a new file, checked, then moved into place."""
    with _open(args.db) as store:
        count = store.backup(args.target)
    print(f"backed up {count:,} articles from {args.db} to {args.target}", file=sys.stderr)
    return 0
