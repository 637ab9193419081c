"""Plain text → article fields: normalised text, header lines, title, byline, dateline.

The normalised text is what every offset points into, so all of this works
on lines and decides once what the article's `text` is.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import unicodedata
from dataclasses import dataclass

# Characters that carry nothing a reader sees but break matching and offsets.
_INVISIBLE = dict.fromkeys(map(ord, "\x00\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
# Control characters no article means: C0 but tab and line ends, DEL, C1. ESC among them would
# reach a terminal as a command (clear the screen, set the title, hide a link).
_CONTROLS = dict.fromkeys([*range(0x01, 0x09), *range(0x0E, 0x20), 0x7F, *range(0x80, 0xA0)], None)
_INVISIBLE.update(_CONTROLS)
_FIELD_SPACE = re.compile(r"[\s\x1c-\x1f\x85\u2028\u2029]+")
_SURROGATE = re.compile("[\ud800-\udfff]")
# Dates outside these bounds are scraper defaults (Go's zero time 0001-01-01) or typos: treated as unknown.
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DAYS_AHEAD = 366
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")

# " date 2025-05-17 The Kremlin has said…": a header glued to the first line.
_INLINE_DATE = re.compile(r"^\s*(?:date|published|updated)\s*[:=]?\s*(\d{4}-\d{2}-\d{2})(?:[T ][\d:.+Z-]+)?\s+", re.I)
_HEADER = re.compile(
    r"^(title|headline|date|published|author|byline|by|outlet|source|site|publisher|url|link)\s*:\s*(.+)$", re.I
)
_BYLINE = re.compile(
    r"^(?:By|BY|Written by|Words by)\s+"
    r"((?:[A-Z][\w.'’-]*|(?:and|de|van|von|der|den|la|le|al|bin|da|di|du))"
    r"(?:\s+(?:[A-Z][\w.'’-]*|and|de|van|von|der|den|la|le|al|bin|da|di|du|&)){0,8})"
    r"\s*(?:[,|–—-]\s*.{0,60})?$"
)
# "ISTANBUL (Realist English). On May 16…", "KYIV, Ukraine (AP) — …"
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z .'’-]{1,40}?)(?:,\s*[A-Z][\w. ]{1,30})?\s*"
    r"(?:\((?P<credit>[^()]{2,40})\))?\s*(?:[.:]|[—–-]{1,2})\s+(?=[A-Z“\"'])"
)
_HEADLINE_MAX_WORDS = 22
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_BARE_DATE = re.compile(
    r"^(?:(?:Published|Updated|Posted)\s*:?\s*)?(?:\w+day,?\s+)?"
    r"(?:\d{4}-\d{2}-\d{2}(?:[T ][\d:.+Z-]+)?|" + _MONTH + r"\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+" + _MONTH + r"\s+\d{4})"
    r"(?:,?\s+\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{2,4})?)?$",
    re.I,
)


@dataclass
class ParsedText:
    text: str
    title: str | None = None
    byline: str | None = None
    published: dt.date | None = None
    outlet: str | None = None
    url: str | None = None
    dateline_credit: str | None = None


def clean_field(value: str | None) -> str | None:
    """A metadata field (title, byline, outlet) as one line: no control characters, no lone surrogates."""
    if value is None:
        return None
    value = _SURROGATE.sub("\ufffd", value).translate(_INVISIBLE)
    return _FIELD_SPACE.sub(" ", value).strip() or None


def plausible_date(day: dt.date | None) -> bool:
    """Whether a publication date lies between 1900 and a year from today."""
    return day is not None and EARLIEST_DATE <= day <= dt.date.today() + dt.timedelta(days=LATEST_DAYS_AHEAD)


def stored_date(value: str | None) -> dt.date | None:
    """A date read back from a store or a cache: None when missing, malformed or implausible.

    Stores written before dates were checked may hold 0001-01-01 (Go's zero time); date
    arithmetic on it overflows, so it is read as unknown rather than failing every run.
    """
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
    return day if plausible_date(day) else None


def normalise(raw: str) -> str:
    """Unicode NFC, one kind of newline, no invisible or control characters, tidy spaces."""
    text = unicodedata.normalize("NFC", _SURROGATE.sub("\ufffd", raw)).translate(_INVISIBLE)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").replace("\v", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    if _is_hard_wrapped(lines):
        lines = _unwrap(lines)
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def _is_hard_wrapped(lines: list[str]) -> bool:
    """True for text wrapped at a fixed width, whose paragraphs are blank-line separated."""
    while lines and not lines[-1]:
        lines = lines[:-1]
    filled = sorted(len(line) for line in lines if line)
    if len(filled) < 6 or all(lines):
        return False
    followed = sum(1 for a, b in itertools.pairwise(lines) if a and b)
    # Wrapped lines run close to one width (about 60-80 characters); headers and lists do not.
    return filled[-1] <= 100 and filled[len(filled) // 2] >= 40 and followed >= 0.6 * len(filled)


def _unwrap(lines: list[str]) -> list[str]:
    out: list[str] = []
    block: list[str] = []
    for line in [*lines, ""]:
        if line:
            block.append(line)
        elif block:
            out.extend([" ".join(block), ""])
            block = []
    return out


def parse_date(value: str) -> dt.date | None:
    """A date from a header value: ISO first, then the forms dateparser knows."""
    value = value.strip()
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    import dateparser

    found = dateparser.parse(value, languages=["en"], settings={"STRICT_PARSING": True})
    return found.date() if found else None


def parse_text(raw: str) -> ParsedText:
    """Split header lines, title and byline off the body and normalise it."""
    lines = normalise(raw).split("\n")
    parsed = ParsedText(text="")
    lines = _take_front_matter(lines, parsed)
    lines = _take_header_lines(lines, parsed)
    lines = _take_title(lines, parsed)
    lines = _take_bylines(lines, parsed)
    body = "\n".join(lines).strip()
    m = _DATELINE.match(body)
    if m and m["credit"] and not parsed.outlet:
        parsed.dateline_credit = m["credit"].strip()
    parsed.text = re.sub(r"\n{3,}", "\n\n", body)
    return parsed


def _apply_header(key: str, value: str, parsed: ParsedText) -> bool:
    key = key.lower()
    value = value.strip().strip("\"'")
    if key in ("title", "headline"):
        parsed.title = value
    elif key in ("date", "published"):
        parsed.published = parse_date(value) or parsed.published
    elif key in ("author", "byline", "by"):
        parsed.byline = value
    elif key in ("outlet", "source", "site", "publisher"):
        parsed.outlet = value
    elif key in ("url", "link"):
        parsed.url = value
    else:
        return False
    return True


def _take_front_matter(lines: list[str], parsed: ParsedText) -> list[str]:
    """YAML (---) or TOML (+++) front matter with flat key/value lines."""
    if not lines or lines[0] not in ("---", "+++"):
        return lines
    fence = lines[0]
    try:
        end = lines.index(fence, 1)
    except ValueError:
        return lines
    for line in lines[1:end]:
        m = re.match(r"^(\w+)\s*[:=]\s*(.*)$", line)
        if m:
            _apply_header(m[1], m[2], parsed)
    return lines[end + 1 :]


def _take_header_lines(lines: list[str], parsed: ParsedText) -> list[str]:
    """`Key: value` lines at the top, and a date header glued to the first line."""
    i = 0
    while i < len(lines):
        m = _HEADER.match(lines[i])
        if not (m and _apply_header(m[1], m[2], parsed)):
            break
        i += 1
    lines = lines[i:]
    while lines and not lines[0]:
        lines = lines[1:]
    if lines:
        m = _INLINE_DATE.match(lines[0])
        if m:
            parsed.published = parse_date(m[1]) or parsed.published
            lines = [lines[0][m.end() :], *lines[1:]]
    # A line that is only a date, first or right under the headline: the publication date.
    for i in range(min(2, len(lines))):
        bare = re.sub(r"^(?:published|updated|posted)\s*:?\s*", "", lines[i], flags=re.I)
        if _BARE_DATE.match(lines[i]) and (found := parse_date(bare)) is not None:
            parsed.published = parsed.published or found
            lines = lines[:i] + lines[i + 1 :]
            break
    return lines


def _is_headline(line: str) -> bool:
    words = line.split()
    if not 2 <= len(words) <= _HEADLINE_MAX_WORDS or _DATELINE.match(line):
        return False
    if line.endswith((".", ",", ";", ":")) and not line.endswith("..."):
        return False
    return line[0].isupper() or line[0] in "“\"‘'"


def _take_title(lines: list[str], parsed: ParsedText) -> list[str]:
    """A headline-like first line becomes the title; it stays in the text (as a heading),
    so nothing the source says (a loaded word in a headline) is lost from the evidence."""
    rest = [line for line in lines[1:] if line]
    if parsed.title is None and lines and rest and _is_headline(lines[0]):
        parsed.title = lines[0]
    return lines


def _take_bylines(lines: list[str], parsed: ParsedText) -> list[str]:
    """A "By Name" line in the first three or last three lines."""
    filled = [i for i, line in enumerate(lines) if line]
    for i in filled[:3] + filled[-3:]:
        m = _BYLINE.match(lines[i])
        if m and len(lines[i].split()) <= 12:
            parsed.byline = parsed.byline or m[1].strip()
            return lines[:i] + lines[i + 1 :]
    return lines
