"""Text for terminals: control characters escaped, never sent (no rich here, so the CLI imports it cheaply)."""

from __future__ import annotations

import re

# Characters a terminal acts on or that reorder what it shows: C0 but tab and newline, DEL, C1,
# and the bidirectional overrides and isolates ("Trojan source").
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Text safe to print to a terminal: control characters shown as escapes (`\\x1b`), never sent."""
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", text)


# How an article whose outlet is not known shows where an outlet would.
OUTLET_UNKNOWN = "outlet unknown"
# Where a cut text ends: not on a dangling comma, dash, opening bracket or opening curly quote.
_TRAILING = " ,;:–—-([{“‘"  # a straight quote may close a word ("'possible'"): kept


def shorten(text: str, width: int = 110) -> str:
    """The text on one line, at most `width` characters: cut at a word boundary, with an ellipsis (inside
    the first word only when not even that fits)."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    if width < 2:
        return "…"[:width]
    cut = text[: width - 1]
    space = cut.rfind(" ") if not text[width - 1].isspace() else len(cut)
    if space > 0:
        cut = cut[:space]
    return cut.rstrip(_TRAILING) + "…"
