"""Opinion: sections under an opinion heading, whole opinion articles, editorial-voice paragraphs."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources
from typing import Any

from rashomon.model import Article, Opinion, Paragraph, Span

# Two editorial-voice phrases in one paragraph: one alone ("the truth is")
# turns up in plain reporting too.
VOICE_MIN = 2


@cache
def _cues() -> dict[str, Any]:
    return tomllib.loads(resources.files("rashomon.data").joinpath("opinion.toml").read_text("utf-8"))


def find_opinion(article: Article, paragraphs: list[Paragraph], quotes: list[tuple[int, int]]) -> list[Opinion]:
    """Opinion spans with the reason each was judged opinion."""
    cues = _cues()
    text = article.text
    title = (article.title or "").lower()
    if paragraphs and any(title.startswith(p) for p in cues["title_prefixes"]):
        whole = Span(article.id, paragraphs[0].span.start, paragraphs[-1].span.end)
        return [Opinion(whole, f"the title marks it as opinion: {article.title}")]
    lowered = text.lower()
    marker = next((m for m in cues["whole_article"] if m in lowered), None)
    if paragraphs and marker is not None:
        whole = Span(article.id, paragraphs[0].span.start, paragraphs[-1].span.end)
        return [Opinion(whole, f"the article says it is opinion: “{marker}…”")]
    out: list[Opinion] = []
    taken_until = -1
    for i, para in enumerate(paragraphs):
        if para.span.start < taken_until:
            continue
        words = text[para.span.start : para.span.end].lower().strip(" :.")
        if para.kind == "heading" and any(words == h or words.startswith(h + " ") for h in cues["headings"]):
            end = next((p.span.start for p in paragraphs[i + 1 :] if p.kind == "heading"), None)
            stop = paragraphs[-1].span.end if end is None else text.rfind("\n", 0, end)
            out.append(
                Opinion(
                    Span(article.id, para.span.start, stop),
                    f"under the heading “{text[para.span.start : para.span.end]}”",
                )
            )
            taken_until = stop
            continue
        if para.kind == "body":
            found = _voice_phrases(text, para, quotes, cues["voice"])
            if len(found) >= VOICE_MIN:
                out.append(Opinion(para.span, "editorial voice: " + ", ".join(f"“{f}”" for f in found)))
    return out


def _voice_phrases(text: str, para: Paragraph, quotes: list[tuple[int, int]], phrases: list[str]) -> list[str]:
    chunk = text[para.span.start : para.span.end].lower()
    found = []
    for phrase in phrases:
        for m in re.finditer(r"\b" + re.escape(phrase) + r"\b", chunk):
            at = para.span.start + m.start()
            if not any(a <= at < b for a, b in quotes):
                found.append(phrase)
                break
    return found
