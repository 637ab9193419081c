"""The command line: parse, call the library, render. Exit 0 ok, 1 partial failure or no result, 2 bad usage."""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from pathlib import Path

from rashomon.errors import RashomonError, UsageError
from rashomon.write.safe import printable

FORMATS = ("terminal", "markdown", "html", "json")
SUFFIX_FORMATS = {
    ".json": "json",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".txt": "terminal",
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rashomon", description="One event, many accounts: compare news articles.")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command")
    cmp = sub.add_parser(
        "compare",
        help="compare articles about one event",
        description="Compare articles about one event.",
        epilog=_tunables_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    cmp.add_argument("paths", nargs="+", metavar="PATH", help="text or HTML files, directories of them, or - for stdin")
    cmp.add_argument("-o", "--output", metavar="OUT", help="write the report here (format from the suffix)")
    cmp.add_argument("--format", choices=FORMATS, help="report format (default: from OUT's suffix, else terminal)")
    cmp.add_argument(
        "--outlet", action="append", default=[], metavar="FILE=NAME", help="name the outlet of a file (repeatable)"
    )
    _max_chars_arg(cmp)
    cmp.add_argument(
        "--no-spacy", action="store_true", help="do not use the spaCy model (faster, fewer names and speakers)"
    )
    cmp.add_argument("--no-cache", action="store_true", help="neither read nor write the annotation cache")
    cmp.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        dest="settings",
        help="change a tunable (repeatable); see the list below",
    )
    cmp.add_argument("-q", "--quiet", action="store_true", help="print no warnings")
    _corpus_parsers(sub)
    _serve_parser(sub)
    mig = sub.add_parser(
        "migrate",
        help="copy a SQLite store into a PostgreSQL database (resumable, verified)",
        description="Copy every table of a SQLite store into a PostgreSQL database, in batches; run it again "
        "to finish a copy that was stopped. Verified at the end by row counts and hashes.",
    )
    mig.add_argument("--from", dest="source", required=True, metavar="FILE", help="the SQLite store to copy")
    mig.add_argument("--to", dest="target", required=True, metavar="URL", help="a postgresql:// database")
    mig.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    bak = sub.add_parser("backup", help="copy the store consistently, even while ingest writes to it")
    bak.add_argument("target", metavar="OUT", help="the new file to write (must not exist)")
    _db_arg(bak)
    doc = sub.add_parser(
        "doctor",
        help="check the install (models, data) and a store (schema, integrity, free disk); changes nothing",
    )
    doc.add_argument("--db", default=None, help="also check this store (opened read-only)")
    doc.add_argument("--browser", action="store_true", help="also check for Chromium (the browser tests need it)")
    doc.add_argument("--json", action="store_true", help="print JSON instead of a table")
    return parser


def _ingest_parser(sub: argparse._SubParsersAction) -> None:
    ing = sub.add_parser(
        "ingest",
        help="take articles into the store and group them into stories",
        description="Take articles into the store (files, directories, article URLs, RSS/Atom feeds, OPML, "
        "JSON Lines, WARC), find near-copies, and group them into stories as they arrive.",
    )
    ing.add_argument("sources", nargs="+", metavar="SOURCE", help="file, directory, URL, feed, .opml, .jsonl or .warc")
    _db_arg(ing)
    ing.add_argument(
        "--outlet", action="append", default=[], metavar="FILE=NAME", help="name the outlet of a file (repeatable)"
    )
    ing.add_argument("--max-chars", type=int, default=2_000_000, help="cut longer articles here (default 2000000)")
    ing.add_argument(
        "--workers",
        type=_workers,
        default=None,
        metavar="N",
        help="processes reading and annotating large JSONL files (default: cores - 1, at most 4; 0: none)",
    )
    ing.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no warnings")


def _corpus_parsers(sub: argparse._SubParsersAction) -> None:
    """ingest, stories, show, export, outlets."""
    _ingest_parser(sub)
    sto = sub.add_parser("stories", help="list the stored stories, newest first")
    _db_arg(sto)
    sto.add_argument("--json", action="store_true", help="print JSON instead of a table")
    sto.add_argument("--limit", type=int, default=None, help="list at most this many")
    sto.add_argument("--min-articles", type=int, default=1, help="only stories with at least this many articles")

    sho = sub.add_parser("show", help="compare the articles of one stored story (as `compare` would)")
    sho.add_argument("story", type=int, metavar="STORY", help="story number, from `rashomon stories`")
    _db_arg(sho)
    sho.add_argument("-o", "--output", metavar="OUT", help="write the report here (format from the suffix)")
    sho.add_argument("--format", choices=FORMATS, help="report format (default: from OUT's suffix, else terminal)")
    _max_chars_arg(sho)
    sho.add_argument("--no-spacy", action="store_true", help="do not use the spaCy model")
    sho.add_argument("--no-cache", action="store_true", help="neither read nor write the annotation cache")
    sho.add_argument("-q", "--quiet", action="store_true", help="print no warnings")

    exp = sub.add_parser("export", help="write the stored articles and stories as JSONL, CSV or Parquet")
    exp.add_argument("directory", metavar="DIR", help="folder to write articles.FMT and stories.FMT into")
    _db_arg(exp)
    exp.add_argument(
        "--format", choices=("jsonl", "csv", "parquet"), default="jsonl", help="file format (default jsonl)"
    )

    out = sub.add_parser("outlets", help="profile each outlet over all stories")
    _db_arg(out)
    out.add_argument("--json", action="store_true", help="print JSON instead of a table")
    _max_chars_arg(out)
    out.add_argument("--no-spacy", action="store_true", help="do not use the spaCy model")
    out.add_argument("--no-cache", action="store_true", help="neither read nor write the annotation cache")
    out.add_argument("-q", "--quiet", action="store_true", help="no progress bar")


def _serve_parser(sub: argparse._SubParsersAction) -> None:
    """serve."""
    srv = sub.add_parser(
        "serve",
        help="serve the store in the browser",
        description="Serve the store over HTTP: stories, comparisons, outlets, and a page to add articles. "
        "Binds 127.0.0.1 by default and prints a login URL with a random token; set RASHOMON_PASSWORD to "
        "also accept a password. Listening on another address needs authentication (no --no-token).",
    )
    _db_arg(srv)
    srv.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    srv.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    srv.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="a host name the browser may use besides loopback ones (repeatable; against DNS rebinding)",
    )
    srv.add_argument("--no-token", action="store_true", help="no login (refused unless listening on loopback)")
    srv.add_argument("--no-spacy", action="store_true", help="compare stories without the spaCy model")


def _max_chars_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--max-chars",
        type=int,
        default=200_000,
        help="compare at most this many characters of each article (default 200000, at most 1000000)",
    )


def _workers(value: str) -> int:
    if not value.isdigit() or int(value) > 64:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of worker processes from 0 to 64")
    return int(value)


def _db_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        default="rashomon.db",
        help="the store: one SQLite file (default rashomon.db), or a postgresql:// URL (needs rashomon[postgres])",
    )


# Tunables that have their own flag (or are not numbers) are not offered through --set.
_NOT_SETTABLE = {"outlets", "max_chars", "use_spacy"}


def _tunables_help() -> str:
    from rashomon.settings import describe_options

    lines = ["tunables for --set NAME=VALUE (default in brackets):"]
    for name, default, text in describe_options():
        if name not in _NOT_SETTABLE:
            lines.append(f"  {name} [{default}]: {text}")
    return "\n".join(lines)


def _settings(pairs: list[str]) -> dict[str, float | int]:
    from rashomon.settings import describe_options

    known = {name: default for name, default, _ in describe_options() if name not in _NOT_SETTABLE}
    out: dict[str, float | int] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or name not in known:
            raise UsageError(f"--set {pair!r}: give NAME=VALUE with NAME one of {', '.join(sorted(known))}")
        try:
            out[name] = type(known[name])(value)
        except ValueError:
            raise UsageError(f"--set {pair!r}: {value!r} is not a {type(known[name]).__name__}") from None
    return out


def _outlets(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        file, sep, name = pair.partition("=")
        if not sep or not file or not name.strip():
            raise UsageError(f"--outlet {pair!r}: give it as FILE=NAME, e.g. --outlet a.txt='The Daily'")
        out[file] = name.strip()
    return out


def _format(fmt: str | None, output: str | None) -> str:
    if fmt:
        return fmt
    if output is None or output == "-":
        return "terminal"
    suffix = Path(output).suffix.lower()
    if suffix not in SUFFIX_FORMATS:
        raise UsageError(
            f"cannot tell the format of {output!r} from its suffix; use .json, .md, .html or .txt, or give --format"
        )
    return SUFFIX_FORMATS[suffix]


def render(comparison: object, fmt: str, *, color: bool = False, width: int = 130) -> str:
    """The comparison in one of FORMATS."""
    from rashomon.model import Comparison

    assert isinstance(comparison, Comparison)
    if fmt == "json":
        from rashomon.write.json import render_json

        return render_json(comparison)
    if fmt == "markdown":
        from rashomon.write.markdown import render_markdown

        return render_markdown(comparison)
    if fmt == "html":
        from rashomon.write.html import render_html

        return render_html(comparison)
    from rashomon.write.terminal import render_terminal

    return render_terminal(comparison, color=color, width=width)


def run_compare(args: argparse.Namespace) -> int:
    from rashomon.settings import CompareOptions
    from rashomon.workspace import Workspace

    fmt = _format(args.format, args.output)
    options = CompareOptions(
        outlets=_outlets(args.outlet),
        max_chars=args.max_chars,
        use_spacy=not args.no_spacy,
        **_settings(args.settings),  # type: ignore[arg-type]
    )
    from rashomon.cache import default_dir

    cache_dir = None if args.no_cache else default_dir()
    comparison = Workspace(use_spacy=options.use_spacy, cache_dir=cache_dir).compare(args.paths, options=options)
    if not args.quiet:
        for warning in comparison.warnings:
            print(f"warning: {printable(warning)}", file=sys.stderr)
        for aside in comparison.set_aside:
            print(f"warning: {printable(aside.source)} set aside: {printable(aside.reason)}", file=sys.stderr)
    write_report(comparison, fmt, args.output, quiet=args.quiet)
    return 1 if comparison.failed else 0


def write_report(comparison: object, fmt: str, output: str | None, *, quiet: bool) -> None:
    """The report to standard output (None or "-") or to the file `output`."""
    from rashomon.write.common import terminal_width

    to_terminal = output in (None, "-")
    color = to_terminal and fmt == "terminal" and sys.stdout.isatty()
    text = render(comparison, fmt, color=color, width=terminal_width() if to_terminal else 130)
    if to_terminal:
        sys.stdout.write(text)
        return
    assert output is not None
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror}; check the folder exists and is writable") from exc
    if not quiet:
        print(f"wrote {output}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `rashomon` command."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.version:
        from rashomon import __version__

        print(f"rashomon {__version__}")
        return 0
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        if args.command == "compare":
            return run_compare(args)
        from rashomon import commands

        return int(getattr(commands, f"run_{args.command}")(args))
    except RashomonError as exc:
        print(f"error: {printable(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except sqlite3.Error as exc:  # a damaged store found mid-command: name the file and what to do
        from rashomon.store.db import store_error

        print(f"error: {printable(str(store_error(getattr(args, 'db', 'the store'), exc)))}", file=sys.stderr)
        return 1
    except Exception as exc:  # a bug, not the user's doing: one line, the traceback on request
        if os.environ.get("RASHOMON_DEBUG"):
            raise
        lost = _lost_server(exc, getattr(args, "db", ""))
        if lost:
            print(f"error: {printable(lost)}", file=sys.stderr)
            return 1
        print(
            f"error: rashomon failed unexpectedly ({type(exc).__name__}: {exc}); this is a bug: rerun with "
            "RASHOMON_DEBUG=1 for the traceback and report it",
            file=sys.stderr,
        )
        return 1


def _lost_server(exc: Exception, db: str) -> str | None:
    """The message for a PostgreSQL server gone mid-command (restarted, stopped, network cut), else None."""
    if not type(exc).__module__.startswith("psycopg") or type(exc).__name__ not in (
        "OperationalError",
        "InterfaceError",
    ):
        return None
    from rashomon.store.db import redacted

    return (
        f"{redacted(str(db))}: the PostgreSQL server closed the connection ({exc}); every article saved "
        "before is kept whole: when the server is back, run the same command again to go on"
    )


if __name__ == "__main__":
    sys.exit(main())
