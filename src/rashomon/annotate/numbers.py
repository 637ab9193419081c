"""Numbers and quantities with their units: "1,000 prisoners", "30-day", "500%", "two hours".

Years, clock times and the day of a date are not quantities and are left out.
"""

from __future__ import annotations

import re

from rashomon.model import Article, Number, Span

# "one" is left out: far more often a pronoun or determiner ("one of the hurdles") than a count.
_WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "dozen": 12,
}
_SCALE = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9, "m": 1e6}
_MONTHS = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
_NUM = re.compile(
    r"(?P<cur>[$€£])?(?<![\w.,:/])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|"
    + "|".join(sorted(_WORDS, key=len, reverse=True))
    + r")(?![\w:/])(?:\s*(?P<scale>hundred|thousand|million|billion|trillion|bn)\b)?"
    r"(?P<pct>\s*(?:%|per ?cent\b))?"
    r"(?:(?:\s?-\s?|\s)(?P<unit>[a-z][a-z-]{1,20}))?",
    re.I,
)
_NOT_UNITS = {
    "of",
    "and",
    "or",
    "the",
    "a",
    "to",
    "in",
    "on",
    "for",
    "by",
    "with",
    "at",
    "from",
    "as",
    "is",
    "was",
    "were",
    "are",
    "that",
    "it",
    "he",
    "she",
    "they",
    "new",
    "more",
    "other",
    "than",
    "times",
}


def _value(raw: str) -> float:
    key = raw.lower()
    if key in _WORDS:
        return float(_WORDS[key])
    return float(raw.replace(",", ""))


def _is_date_or_time(text: str, start: int, end: int, raw: str) -> bool:
    before = text[max(0, start - 12) : start]
    after = text[end : end + 12]
    if re.search(_MONTHS + r"\.?\s+$", before) or re.match(r"\s*" + _MONTHS + r"\b", after):
        return True
    if re.match(r"\d{4}$", raw) and 1900 <= int(raw) <= 2100:
        return True
    return bool(re.match(r"\s*(?:a\.m\.|p\.m\.|am\b|pm\b)", after, re.I))


# A line holding a web address: its digits are identifiers, not quantities.
_ADDRESS_LINE = re.compile(r"^[^\n]*(?:https?\s?:|www\s?\.)[^\n]*$", re.M | re.I)


# An ordinal in digits ("the 81st Academy Awards", "the 21st head coach"): a rank, counted with the noun it
# modifies (annotate.structure), not the day of a date ("May 21st", "the 21st of May").
_ORDINAL = re.compile(r"(?<![\w.,:/])(?P<num>\d{1,4})(?:st|nd|rd|th)\b(?!\s+of\s+" + _MONTHS + r"\b)", re.I)
ORDINAL_UNIT = "ordinal"


def _ordinals(text: str, article_id: str, addresses: list[tuple[int, int]]) -> list[Number]:
    return [
        Number(Span(article_id, m.start(), m.end()), float(m["num"]), ORDINAL_UNIT)
        for m in _ORDINAL.finditer(text)
        if not any(s <= m.start() < e for s, e in addresses)
        and not _is_date_or_time(text, m.start(), m.end(), m["num"])
    ]


def find_numbers(article: Article) -> list[Number]:
    """Each quantity in the text with its value and the word it counts, and each ordinal in digits."""
    text = article.text
    out: list[Number] = []
    addresses = [(m.start(), m.end()) for m in _ADDRESS_LINE.finditer(text)]
    for m in _NUM.finditer(text):
        raw = m["num"]
        if any(s <= m.start() < e for s, e in addresses):
            continue
        if raw[0].isalpha() and raw[0].isupper() and m.start() > 0 and text[m.start() - 1] not in ' \n“"(':
            continue
        if _is_date_or_time(text, m.start("num"), m.end("num"), raw):
            continue
        value = _value(raw)
        if m["scale"]:
            value *= _SCALE[m["scale"].lower()]
        unit = m["unit"].lower().rstrip("-") if m["unit"] else None
        if m["pct"]:
            unit = "percent"
        elif m["cur"]:
            unit = {"$": "dollars", "€": "euros", "£": "pounds"}[m["cur"]]
        elif unit in _NOT_UNITS:
            unit = None
        end = (
            m.end()
            if unit and not m["pct"] and not m["cur"]
            else m.end("pct")
            if m["pct"]
            else m.end("num")
            if not m["scale"]
            else m.end("scale")
        )
        out.append(Number(Span(article.id, m.start(), end), value, unit))
    out += _ordinals(text, article.id, addresses)
    return sorted(out, key=lambda n: n.span.start)
