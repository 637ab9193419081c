"""A generated corpus for speed and crash tests: many stories, several outlets each, dated, with wire copies.

Text is synthetic (random words from a fixed vocabulary around per-story names
and topic words), so it can be made at any size without copying anyone's articles.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator
from pathlib import Path

_COMMON = (
    "said officials government week people country city police report according statement minister president "
    "told after before during morning night today yesterday several dozens hundreds local national meeting "
    "talks plan decision vote court law case support against between region area forces workers company market"
).split()
_SYLLABLES = "ka lo mi ra ten vor sel dan bri tho gu nel par sun wex ild oru fen zam cor".split()
OUTLETS = [f"Outlet {c}" for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"]


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3)))


def articles(n: int, *, seed: int = 7, per_story: int = 5, start: dt.date = dt.date(2024, 1, 1)) -> Iterator[dict]:
    """`n` article records (text, title, outlet, date, url), `per_story` to a story on average."""
    rng = random.Random(seed)
    made = 0
    story = 0
    while made < n:
        story += 1
        names = [_word(rng).capitalize() for _ in range(4)]
        topic = [_word(rng) for _ in range(12)]
        day = start + dt.timedelta(days=story * 365 // max(1, n // per_story))
        first_text = None
        for k in range(min(rng.randint(1, 2 * per_story - 1), n - made)):
            if first_text is not None and rng.random() < 0.1:
                text = first_text.replace(" said ", " stated ", 1)  # a wire reprint with a small edit
            else:
                paragraphs = []
                for _ in range(rng.randint(4, 9)):
                    words = [rng.choice(topic if rng.random() < 0.3 else _COMMON) for _ in range(rng.randint(25, 45))]
                    words[rng.randrange(len(words))] = rng.choice(names)
                    paragraphs.append(" ".join(words).capitalize() + ".")
                text = "\n\n".join(paragraphs)
                first_text = first_text or text
            made += 1
            outlet = OUTLETS[(story + k) % len(OUTLETS)]
            yield {
                "title": f"{names[0]} and {names[1]} {rng.choice(topic)} {rng.choice(topic)}",
                "text": text,
                "outlet": outlet,
                "date": (day + dt.timedelta(days=rng.randint(0, 1))).isoformat(),
                "url": f"https://{outlet.lower().replace(' ', '')}.example/{story}/{k}",
            }


def write_jsonl(path: Path, n: int, **kw: object) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for record in articles(n, **kw):  # type: ignore[arg-type]
            fh.write(json.dumps(record) + "\n")
    return path
