"""Text for terminals: control characters escaped, never sent (no rich here, so the CLI imports it cheaply)."""

from __future__ import annotations

import re

# Characters a terminal acts on or that reorder what it shows: C0 but tab and newline, DEL, C1,
# and the bidirectional overrides and isolates ("Trojan source").
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Text safe to print to a terminal: control characters shown as escapes (`\\x1b`), never sent."""
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", text)
