"""Sources → articles: paths, directories and stdin, decoded and checked."""

from __future__ import annotations

import codecs
import hashlib
import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from rashomon.errors import InputError, NoArticlesError, UsageError
from rashomon.model import Article
from rashomon.read.html import looks_like_html, parse_html
from rashomon.read.text import (
    EARLIEST_DATE,
    ParsedText,
    clean_field,
    normalise,
    parse_date,
    parse_text,
    plausible_date,
)

ARTICLE_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml")
# Bytes read from one file at most: far beyond any article (the longest seed is
# 12 KB), small enough that a wrong file (a log, a dump) cannot exhaust memory.
MAX_BYTES = 20_000_000
STDIN = "-"
_LETTER = re.compile(r"[^\W\d_]")
_LATIN = re.compile(r"[A-Za-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]")


@dataclass
class ReadResult:
    """What reading gave: the articles, and what went wrong on the way."""

    articles: list[Article] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def expand_paths(paths: list[str]) -> list[str]:
    """Each path as given, with directories replaced by the article files inside."""
    out: list[str] = []
    for given in paths:
        if given == STDIN:
            out.append(STDIN)
            continue
        path = Path(given)
        if path.is_dir():
            found = sorted(
                str(p)
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in ARTICLE_SUFFIXES
                and not p.name.startswith(".")
                and not p.name.endswith(".meta.toml")
            )
            if not found:
                raise NoArticlesError(
                    f"{given}: this directory holds no article files "
                    f"({', '.join(ARTICLE_SUFFIXES)}); point at a folder of articles or name the files"
                )
            out.extend(found)
        elif path.exists():
            out.append(given)
        else:
            raise UsageError(f"{given}: no such file or directory; check the path")
    return out


def _read_bytes(source: str) -> bytes:
    if source == STDIN:
        return sys.stdin.buffer.read(MAX_BYTES + 1)
    with open(source, "rb") as fh:
        return fh.read(MAX_BYTES + 1)


_BOMS = (  # UTF-32 before UTF-16: FF FE 00 00 starts with FF FE
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
UTF8_VALID_SHARE = 0.8  # non-ASCII characters that must decode as UTF-8 for stray bytes to be replaced, not guessed


def decode(data: bytes, source: str, warnings: list[str]) -> str:
    """Bytes → str: a BOM's encoding, else UTF-8 (stray bytes replaced), else the likeliest encoding; binary refused."""
    if data.startswith(b"%PDF"):
        raise InputError(source, "this is a PDF, not text", "convert it first, e.g. `pdftotext FILE.pdf`")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _checked(_decode_with(data[len(bom) :], encoding, source, warnings), source)
    utf16 = _bomless_utf16(data[:8192])
    if utf16:
        warnings.append(f"{source}: UTF-16 without a byte-order mark; read it as {utf16}")
        return _checked(_decode_with(data, utf16, source, warnings), source)
    if not data.strip():
        raise InputError(source, "the file is empty", "give a file with the article's text")
    _refuse_binary(data[:8192].decode("latin-1"), source)  # before any guessing
    try:
        return _checked(data.decode("utf-8"), source)
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", "replace")
    stray = text.count("\ufffd") - data.count("\ufffd".encode())
    non_ascii = sum(1 for ch in text if ord(ch) > 127)
    if non_ascii - stray >= UTF8_VALID_SHARE * non_ascii:
        warnings.append(
            f"{source}: UTF-8 with {stray:,} invalid byte{'s' * (stray != 1)} ({_bad_bytes(data)}), "
            "replaced by \ufffd; fix them in the file if they matter"
        )
        return _checked(text, source)
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    encoding = best.encoding if best is not None else "cp1252"
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        encoding, text = "latin-1", data.decode("latin-1")
    warnings.append(
        f"{source}: not valid UTF-8; read it as {encoding}. If accents look wrong, "
        f"convert it with `iconv -f {encoding} -t UTF-8`"
    )
    return _checked(text, source)  # what the guessed encoding made of it may be blank


def _decode_with(data: bytes, encoding: str, source: str, warnings: list[str]) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        warnings.append(f"{source}: invalid {encoding} at byte {exc.start:,}; bad sequences replaced by \ufffd")
        return data.decode(encoding, "replace")


def _checked(text: str, source: str) -> str:
    """The text, unless it is empty or looks binary (control characters in its first 8,192 characters)."""
    if not text.strip():
        raise InputError(source, "the file is empty", "give a file with the article's text")
    _refuse_binary(text[:8192], source)
    return text


def _refuse_binary(head: str, source: str) -> None:
    """InputError when a NUL or many control characters show that this is not text."""
    controls = sum(1 for ch in head if ord(ch) < 32 and ch not in "\t\n\x0c\r")
    if "\x00" in head or controls > len(head) * 0.05:
        raise InputError(source, "this looks like a binary file, not text", "give a .txt or .html file of the article")


def _bomless_utf16(head: bytes) -> str | None:
    """utf-16-le or -be when NULs fill one byte of every pair (English text in UTF-16 without a BOM)."""
    if len(head) < 16 or head.count(0) < len(head) // 3:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) <= 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) <= 0.1 * len(odd):
        return "utf-16-be"
    return None


def _bad_bytes(data: bytes, shown: int = 5) -> str:
    """Where the first invalid UTF-8 sequences are: 'byte 1,204: 0x92, …'."""
    found: list[str] = []
    position = 0
    while len(found) < shown:
        try:
            data[position:].decode("utf-8")
            break
        except UnicodeDecodeError as exc:
            bad = data[position + exc.start : position + exc.end]
            found.append(f"byte {position + exc.start:,}: 0x{bad.hex()}")
            position += exc.end
    return ", ".join(found)


def _sidecar(source: str) -> dict[str, str]:
    """NAME.meta.toml beside NAME.txt: outlet, title, date, byline, url."""
    if source == STDIN:
        return {}
    path = Path(source)
    for candidate in (path.with_name(path.name + ".meta.toml"), path.with_suffix(".meta.toml")):
        if candidate.is_file():
            try:
                with candidate.open("rb") as fh:
                    return {k: str(v) for k, v in tomllib.load(fh).items()}
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
                raise InputError(str(candidate), f"not valid TOML ({exc})", "fix the file or remove it") from exc
    return {}


def _outlet(source: str, parsed: ParsedText, given: dict[str, str]) -> str | None:
    """--outlet, else sidecar/front matter/HTML meta, else the dateline credit, else None: the outlet is
    not known. A file's name is no outlet, and an outlet is never guessed from style or from the sources
    an article quotes."""
    for key in (source, Path(source).name, Path(source).stem):
        if key in given:
            return given[key]
    return parsed.outlet or parsed.dateline_credit or None


def _script_language(text: str) -> str:
    """ "en" when most letters are Latin (English is assumed), else "und" (undetermined)."""
    sample = text[:5_000]
    letters = len(_LETTER.findall(sample))
    latin = len(_LATIN.findall(sample))
    return "en" if not letters or latin >= 0.7 * letters else "und"


def read_article(source: str, *, outlets: dict[str, str], max_chars: int, warnings: list[str]) -> Article:
    """One source → one Article, or an InputError that says what to do."""
    data = _read_bytes(source)
    if len(data) > MAX_BYTES:
        data = data[:MAX_BYTES]
        warnings.append(f"{source}: larger than {MAX_BYTES:,} bytes; only the start was read")
    raw = decode(data, source, warnings)
    suffix = Path(source).suffix.lower()
    is_html = suffix in (".html", ".htm", ".xhtml") or (
        suffix not in (".txt", ".text", ".md") and looks_like_html(data)
    )
    parsed = parse_html(raw, source) if is_html else parse_text(raw)
    return build_article(parsed, source, meta=_sidecar(source), outlets=outlets, max_chars=max_chars, warnings=warnings)


def cap_text(text: str, max_chars: int, source: str, warnings: list[str]) -> str:
    """The text cut at `max_chars` (at a paragraph end when one lies in the second half), with a warning."""
    if len(text) <= max_chars:
        return text
    cut = text.rfind("\n", 0, max_chars)
    text = text[: cut if cut > max_chars // 2 else max_chars]
    warnings.append(
        f"{source}: longer than {max_chars:,} characters; compared only the first {len(text):,} "
        "(raise the cap with --max-chars)"
    )
    return text


def build_article(
    parsed: ParsedText,
    source: str,
    *,
    meta: dict[str, str],
    outlets: dict[str, str],
    max_chars: int,
    warnings: list[str],
) -> Article:
    """Parsed text plus given metadata (title, byline, outlet, url, date) → Article, checked and capped."""
    for key in ("title", "byline", "outlet", "url"):
        if meta.get(key):
            setattr(parsed, key, normalise(str(meta[key])))
    if meta.get("date") or meta.get("published"):
        parsed.published = parse_date(str(meta.get("date") or meta["published"])) or parsed.published
    if parsed.published is not None and not plausible_date(parsed.published):
        warnings.append(
            f"{source}: date {parsed.published.isoformat()} is outside {EARLIEST_DATE.year} to a year from now; "
            "treated as unknown"
        )
        parsed.published = None
    text = parsed.text
    if len(text.split()) < 3:
        raise InputError(
            source, "no article text in it (fewer than three words)", "give a file with the article's text"
        )
    text = cap_text(text, max_chars, source, warnings)
    language = _script_language(text)
    if language != "en":
        warnings.append(
            f"{source}: most of its letters are not Latin; rashomon's models read English, "
            "so names, quotes and facts in it will be poor"
        )
    return Article(
        language=language,
        id=hashlib.sha256(text.encode()).hexdigest()[:16],
        source=parsed.url if source == STDIN and parsed.url else source,
        outlet=clean_field(_outlet(source, parsed, outlets)) or None,
        text=text,
        title=clean_field(parsed.title),
        byline=clean_field(parsed.byline),
        published=parsed.published,
    )


def read_sources(paths: list[str], *, outlets: dict[str, str], max_chars: int) -> ReadResult:
    """Every source read; a bad one is reported and skipped, identical ones kept once."""
    result = ReadResult()
    seen: dict[str, str] = {}
    for source in expand_paths(paths):
        try:
            article = read_article(source, outlets=outlets, max_chars=max_chars, warnings=result.warnings)
        except InputError as exc:
            result.warnings.append(str(exc))
            result.failed.append(source)
            continue
        except OSError as exc:
            result.warnings.append(f"{source}: cannot be read ({exc.strerror}); check its permissions")
            result.failed.append(source)
            continue
        if article.id in seen:
            result.warnings.append(f"{source}: the same text as {seen[article.id]}; counted once (remove one of them)")
            continue
        seen[article.id] = source
        result.articles.append(article)
    return result
