"""Dates in the text, absolute ("May 16", "16 May 2025", "2025-05-16") and relative
("on Friday", "yesterday", "last week"), resolved against the publication date.

A bare weekday in news copy means the latest such day on or before the
publication date ("on Friday" in a Saturday story is the day before).
"""

from __future__ import annotations

import datetime as dt
import re

from rashomon.model import Article, DateMention, Span

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            "jan january",
            "feb february",
            "mar march",
            "apr april",
            "may",
            "jun june",
            "jul july",
            "aug august",
            "sep sept september",
            "oct october",
            "nov november",
            "dec december",
        ]
    )
    for m in names.split()
}
_WEEKDAYS = {d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
_MONTH_RE = r"(?P<month>" + "|".join(sorted((m.capitalize() for m in _MONTHS), key=len, reverse=True)) + r")\.?"
_ABSOLUTE = re.compile(
    r"\b(?:" + _MONTH_RE + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<year>\d{4}))?"
    r"|(?P<day2>\d{1,2})\s+" + _MONTH_RE.replace("month", "month2") + r"(?:\s+(?P<year2>\d{4}))?"
    r"|(?P<iso>\d{4}-\d{2}-\d{2}))\b"
)
_RELATIVE = re.compile(
    r"\b(?P<what>(?:(?:[Oo]n|[Ll]ast|[Tt]his|[Nn]ext|[Ss]ince|[Bb]y|[Uu]ntil)\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r"|[Yy]esterday|[Tt]oday|[Tt]omorrow|(?:[Ll]ast|[Tt]his|[Nn]ext) (?:week|month|year))\b"
)
# A date without a year more than this many days after publication belongs to the year before.
FUTURE_SLACK_DAYS = 60


def _absolute(m: re.Match[str], reference: dt.date | None) -> dt.date | None:
    if m["iso"]:
        try:
            return dt.date.fromisoformat(m["iso"])
        except ValueError:
            return None
    month = _MONTHS[(m["month"] or m["month2"]).lower()]
    day = int(m["day"] or m["day2"])
    year_text = m["year"] or m["year2"]
    if year_text:
        year = int(year_text)
    elif reference is not None:
        year = reference.year
    else:
        return None
    try:
        found = dt.date(year, month, day)
    except ValueError:
        return None
    if not year_text and reference is not None and (found - reference).days > FUTURE_SLACK_DAYS:
        found = found.replace(year=year - 1)
    return found


def _relative(what: str, reference: dt.date) -> dt.date | None:
    try:
        return _shift(what.lower().split(), reference)
    except OverflowError:  # a reference at the calendar's edge (9999-12-31 and "tomorrow")
        return None


def _shift(words: list[str], reference: dt.date) -> dt.date | None:
    if words[-1] in _WEEKDAYS:
        back = (reference.weekday() - _WEEKDAYS[words[-1]]) % 7
        if words[0] == "next":
            return reference + dt.timedelta(days=(7 - back) % 7 or 7)
        if words[0] == "last" and back == 0:
            back = 7
        return reference - dt.timedelta(days=back)
    shift = {"yesterday": -1, "today": 0, "tomorrow": 1}.get(words[0])
    if shift is not None:
        return reference + dt.timedelta(days=shift)
    return None  # weeks, months and years name no single day


def find_dates(article: Article, reference: dt.date | None) -> list[DateMention]:
    """Dates with their spans; relative ones only when there is a reference date."""
    text = article.text
    out = []
    for m in _ABSOLUTE.finditer(text):
        if (
            m["month"] == "May"
            and not m["year"]
            and text[max(0, m.start() - 1) : m.start()] not in (" ", "\n", "(", "")
        ):
            continue
        found = _absolute(m, reference)
        if found is not None:
            out.append(DateMention(Span(article.id, m.start(), m.end()), found, False))
    if reference is not None:
        for m in _RELATIVE.finditer(text):
            found = _relative(m["what"], reference)
            if found is not None:
                out.append(DateMention(Span(article.id, m.start(), m.end()), found, True))
    return sorted(out, key=lambda d: d.span.start)


def date_key(words: str) -> str:
    """What a date's words say on their own, without a reference date: "weekday:0" for a Monday,
    "md:3-2" for March 2, or "" when they say neither."""
    for name, i in _WEEKDAYS.items():
        if re.search(rf"\b{name}\b", words, re.I):
            return f"weekday:{i}"
    m = _ABSOLUTE.search(words)
    if m and not m["iso"]:
        return f"md:{_MONTHS[(m['month'] or m['month2']).lower()]}-{int(m['day'] or m['day2'])}"
    return ""


def unresolved_dates(article: Article, resolved: list[DateMention]) -> list[Span]:
    """Weekdays and month-days that could not be resolved to a date (no reference date or year)."""
    taken = {(d.span.start, d.span.end) for d in resolved}
    out = []
    for pattern in (_ABSOLUTE, _RELATIVE):
        for m in pattern.finditer(article.text):
            if (m.start(), m.end()) not in taken and date_key(m.group()):
                out.append(Span(article.id, m.start(), m.end()))
    return out
