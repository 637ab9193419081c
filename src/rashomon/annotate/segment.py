"""Paragraphs and sentences with character offsets; headings, list items and embeds told apart."""

from __future__ import annotations

import re

from rashomon.model import Article, Paragraph, ParagraphKind, Sentence, Span

# A heading is a short line with no closing punctuation between two longer
# paragraphs ("Russian demands", "Editorial position"); ten words covers the
# section heads of news sites without swallowing one-line paragraphs.
HEADING_MAX_WORDS = 10
ITEM_MAX_WORDS = 30
_EMBED = re.compile(
    r"pic\.twitter\.com/|—\s*[^—]{2,60}\(@\w{1,30}\)\s+\w+ \d{1,2}, \d{4}|^\[?(?:embedded content|advertisement)\]?$",
    re.I,
)
_CLOSING = tuple(".!?;:,…\"”’'")


def _kind(line: str, prev: str | None, prev_kind: ParagraphKind | None, nxt: str | None) -> ParagraphKind:
    words = line.split()
    if _EMBED.search(line):
        return "embed"
    ends_open = not line.rstrip().endswith(_CLOSING)
    if prev is not None and (prev.endswith(":") or prev_kind == "item") and len(words) <= ITEM_MAX_WORDS and ends_open:
        return "item"
    if (
        prev is not None
        and nxt is not None
        and len(words) <= HEADING_MAX_WORDS
        and ends_open
        and line[:1].isupper()
        and len(nxt.split()) > len(words)
    ):
        return "heading"
    return "body"


def split_paragraphs(article: Article) -> list[Paragraph]:
    """One paragraph per non-empty line of the normalised text."""
    text = article.text
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if text[m.start() : m.end()].strip()]
    out: list[Paragraph] = []
    for i, (start, end) in enumerate(lines):
        line = text[start:end]
        prev = text[lines[i - 1][0] : lines[i - 1][1]] if i else None
        nxt = text[lines[i + 1][0] : lines[i + 1][1]] if i + 1 < len(lines) else None
        kind = _kind(line, prev, out[-1].kind if out else None, nxt)
        if i == 0 and article.title and line.strip() == article.title.strip():
            kind = "heading"  # the headline: shown and searched, but not a claim
        out.append(Paragraph(Span(article.id, start, end), kind))
    return out


def split_sentences(article: Article, paragraphs: list[Paragraph]) -> list[Sentence]:
    """sentencex within each paragraph (it does not split on newlines), offsets kept."""
    from sentencex import segment

    text = article.text
    out: list[Sentence] = []
    for index, para in enumerate(paragraphs):
        chunk = text[para.span.start : para.span.end]
        if para.kind != "body":
            out.append(Sentence(para.span, index, para.kind))
            continue
        cursor = 0
        for piece in segment("en", chunk):
            piece = piece.strip()
            if not piece:
                continue
            at = chunk.find(piece, cursor)
            if at < 0:  # sentencex changed the text; fall back to the rest of the paragraph
                at = cursor
                piece = chunk[cursor:].strip()
            start = para.span.start + at
            out.append(Sentence(Span(article.id, start, start + len(piece)), index, "body"))
            cursor = at + len(piece)
            if cursor >= len(chunk):
                break
    return _merge_fragments(text, out)


# Abbreviations that stand before a name and never end a sentence: titles and honorifics ("Ms. Lauten",
# "Sen. Graham", "Lt. Gen. Hertling", "Ft. Worth"). sentencex splits after some of them ("Ms." opening a
# sentence: 34 of 2,428 boundaries in BASIL and NeuS val were such splits).
_BEFORE_NAME = re.compile(
    r"(?:^|\s)(?:Mr|Mrs|Ms|Messrs|Dr|Gov|Sen|Sens|Rep|Reps|Lt|Gen|Col|Capt|Sgt|Cpl|Adm|Cmdr|Maj|Rev|Msgr|Prof|"
    r"Atty|Supt|Det|Insp|Hon|Pres|Ft|Mt)\.$"
)
# A time of day goes on with its day or zone ("at 5 p.m. Friday", "at 9 a.m. EST"), not a new sentence.
_TIME_OF_DAY = re.compile(r"\b[ap]\.m\.$")
_DAY_OR_ZONE = re.compile(
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|EST|EDT|CST|CDT|PST|PDT|ET|PT|CT|GMT|UTC|local)\b"
)


# A quote that ends in a question or exclamation mark goes on with its cue ("…for baseball?" Obama said.).
_ASKED = re.compile(r"[?!][\"”’]$")
_CUE_WORDS = 4


def _continues(before: str, piece: str) -> bool:
    """Whether `piece` goes on the sentence `before` (sentencex split it where no sentence ends)."""
    if piece[:1].islower() or piece in ("”", '"', "’"):
        return True
    before = before.rstrip()
    if _ASKED.search(before) and _is_cue(piece):
        return True
    return bool(_BEFORE_NAME.search(before) or (_TIME_OF_DAY.search(before) and _DAY_OR_ZONE.match(piece)))


def _is_cue(piece: str) -> bool:
    """Whether a piece opens with a speech cue: a speech verb after at most a few capitalised words or a
    pronoun ("Obama said.", "Akin continued.", "She asked, …")."""
    from rashomon.annotate.quotes import cue_forms

    words = re.findall(r"\w[\w'’.-]*\w|\w", piece)[: _CUE_WORDS + 1]
    for i, word in enumerate(words):
        if word.lower() in cue_forms():
            return i > 0 and all(w[:1].isupper() for w in words[:i])
    return False


def _merge_fragments(text: str, sentences: list[Sentence]) -> list[Sentence]:
    """Glue a piece onto the sentence before when it goes on with it: it touches it with no space between
    (sentencex splits "Caliber.Az" after its dot), starts in lower case, is a lone closing quote, or
    follows a title abbreviation or a time of day (`_continues`)."""
    out: list[Sentence] = []
    for s in sentences:
        piece = text[s.span.start : s.span.end]
        if (
            out
            and s.kind == "body"
            and out[-1].paragraph == s.paragraph
            and (s.span.start == out[-1].span.end or _continues(text[out[-1].span.start : out[-1].span.end], piece))
        ):
            last = out[-1]
            out[-1] = Sentence(Span(last.span.article, last.span.start, s.span.end), last.paragraph, last.kind)
        else:
            out.append(s)
    return out
