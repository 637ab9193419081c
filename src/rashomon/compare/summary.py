"""The neutral summary: shared facts first, then where accounts differ, then what one outlet alone reports.

Extractive by design (no offline generator is good enough, offline-stack.md
§4): every sentence is an outlet's own sentence, or a fixed frame around
quoted excerpts, and cites the spans it rests on. Sentences with loaded
wording are never used in the summary's own voice; inside a quoted excerpt a
loaded word is elided as "[…]".
"""

from __future__ import annotations

import re
import statistics

from rashomon.compare.claims import Claim, content_words
from rashomon.model import Annotated, Article, Comparison, Conflict, Fact, Span, SummarySentence, letters, who
from rashomon.settings import CompareOptions

# Sentences that open with a pronoun or a connective lean on the one before; out of context they mislead.
_DANGLING = re.compile(r"^(?:he|she|they|it|this|that|these|those|but|and|however|meanwhile|instead|also)\b", re.I)
# Two summary sentences sharing this share of content words say the same thing.
REDUNDANT = 0.6
EXCERPT_WORDS = 40


def _usable(claim: Claim) -> bool:
    return (
        not claim.loaded
        and not claim.opinion
        and not _DANGLING.match(claim.text)
        and claim.kind == "body"
        and _whole_quotes(claim.text)
    )


def _whole_quotes(text: str) -> bool:
    """Whether every quotation the sentence opens it also closes: a sentence of a quote that runs over
    several sentences, shown alone, would be cut inside the quote."""
    return text.count('"') % 2 == 0 and text.count("“") == text.count("”")


def _redundant(words: frozenset[str], chosen: list[frozenset[str]]) -> bool:
    return any(len(words & c) >= REDUNDANT * min(len(words), len(c)) for c in chosen if c)


def _shared(
    facts: list[Fact],
    by_span: dict[Span, Claim],
    centrality: dict[Span, float],
    limit: int,
    chosen: list[frozenset[str]],
) -> list[SummarySentence]:
    """Each shared fact, most widely shared first, in the words of its most central usable sentence
    (one not in a quote first): the outlet's sentence that says most of what the others say."""
    out: list[SummarySentence] = []
    cited: set[Span] = set()
    for fact in facts:
        if len(out) >= limit or fact.support.independent < 2:
            break
        if len(cited & set(fact.mentions)) * 2 > len(fact.mentions):  # mostly passages cited already
            continue
        candidates = [by_span[s] for s in fact.mentions if s in by_span and _usable(by_span[s])]
        if not candidates:
            continue
        best = min(candidates, key=lambda c: _representative(c, centrality))
        if _redundant(best.words, chosen):
            continue
        chosen.append(best.words)
        cited.update(fact.mentions)
        out.append(SummarySentence(best.text, "shared", fact.mentions))
    return out


# Each 25 words a sentence is longer or shorter than 25 cost it this much centrality: out of 0, 0.05, 0.1
# and 0.2, the best ROUGE on 300 NeuS train events (0.382/0.166/0.267, against 0.376/0.160/0.261 at 0).
LENGTH_COST = 0.05
READABLE_WORDS = 25
# A pronoun ("…, he said") stands for someone named in a sentence the summary does not show.
_PRONOUN = re.compile(r"\b(?:he|she|they)\b", re.I)


def _representative(claim: Claim, centrality: dict[Span, float]) -> tuple[bool, bool, float]:
    """Sort key of a fact's sentences for the summary: not in a quote, no pronoun, then most central for
    its length."""
    off = abs(len(claim.text.split()) - READABLE_WORDS) / READABLE_WORDS
    return claim.quoted, bool(_PRONOUN.search(claim.text)), LENGTH_COST * off - centrality.get(claim.span, 0.0)


def _shared_excerpt(
    facts: list[Fact], by_span: dict[Span, Claim], annotated: dict[str, Annotated], chosen: list[frozenset[str]]
) -> list[SummarySentence]:
    """When no shared fact has a sentence the summary can say in its own voice (every one holds a loaded
    word, an opinion or leans on the sentence before), the most widely shared fact as a quoted excerpt,
    its loaded words elided: the summary is never empty while outlets share a fact."""
    for fact in facts:
        if fact.support.independent < 2:
            continue
        candidates = [by_span[s] for s in fact.mentions if s in by_span and by_span[s].kind == "body"]
        if candidates:
            best = min(candidates, key=lambda c: (c.quoted, c.opinion, abs(len(c.text.split()) - READABLE_WORDS)))
            chosen.append(best.words)
            text = f"{fact.support.independent} accounts report: “{_excerpt(best.span, annotated)}”"
            return [SummarySentence(text, "shared", fact.mentions)]
    return []


def _excerpt(span: Span, annotated: dict[str, Annotated]) -> str:
    """The side's text, cut to a readable length, loaded words elided."""
    ann = annotated[span.article]
    text = ann.article.text
    pieces, cursor = [], span.start
    for hit in ann.loaded:
        if span.start <= hit.span.start and hit.span.end <= span.end:
            pieces += [text[cursor : hit.span.start], "[…]"]
            cursor = hit.span.end
    pieces.append(text[cursor : span.end])
    words = "".join(pieces).split()
    excerpt = " ".join(words[:EXCERPT_WORDS]) + (" …" if len(words) > EXCERPT_WORDS else "")
    return excerpt.replace("“", "‘").replace("”", "’").replace('"', "'")


def _differ(
    conflicts: list[Conflict], annotated: dict[str, Annotated], articles: dict[str, Article], names: dict[str, str]
) -> list[SummarySentence]:
    out = []
    for conflict in conflicts[:3]:
        parts = [f"{names[s.article]} reports “{_excerpt(s, annotated)}”" for s in conflict.sides]
        out.append(SummarySentence("Accounts differ: " + "; ".join(parts) + ".", "differ", conflict.sides))
    return out


def _single(
    facts: list[Fact],
    by_span: dict[Span, Claim],
    centrality: dict[Span, float],
    articles: dict[str, Article],
    names: dict[str, str],
    limit: int,
    chosen: list[frozenset[str]],
) -> list[SummarySentence]:
    singles = [f for f in facts if f.support.independent == 1]
    in_shared = {s for f in facts if f.support.independent >= 2 for s in f.mentions}
    ranked = sorted(
        (
            c
            for f in singles
            for c in (by_span.get(s) for s in f.mentions)
            if c is not None and _usable(c) and not c.quoted and c.span not in in_shared
        ),
        key=lambda c: -centrality.get(c.span, 0.0),
    )
    # Each outlet's most central claim in turn, so the longest article does not speak for all.
    queues: dict[str, list[Claim]] = {}
    for claim in ranked:
        queues.setdefault(articles[claim.span.article].outlet_key, []).append(claim)
    out: list[SummarySentence] = []
    while len(out) < limit and any(queues.values()):
        for outlet in sorted(queues, key=lambda o: -centrality.get(queues[o][0].span, 0.0) if queues[o] else 0.0):
            if len(out) >= limit:
                break
            while queues[outlet]:
                claim = queues[outlet].pop(0)
                if not _redundant(claim.words, chosen):
                    chosen.append(claim.words)
                    text = f"Only {names[claim.span.article]} reports: “{claim.text}”"
                    out.append(SummarySentence(text, "single", (claim.span,)))
                    break
    return out


def write_summary(
    facts: list[Fact],
    conflicts: list[Conflict],
    claims: list[Claim],
    annotated: dict[str, Annotated],
    articles: list[Article],
    options: CompareOptions,
    centrality: dict[Span, float] | None = None,
) -> list[SummarySentence]:
    """Summary sentences in reading order, each with its citations."""
    by_span = {c.span: c for c in claims}
    by_id = {a.id: a for a in articles}
    label = letters(articles)
    names = {a.id: who(a, label[a.id]) for a in articles}
    chosen: list[frozenset[str]] = []
    out = _shared(facts, by_span, centrality or {}, options.summary_shared, chosen)
    if not out and options.summary_shared:
        out = _shared_excerpt(facts, by_span, annotated, chosen)
    out += _differ(conflicts, annotated, by_id, names)
    out += _single(facts, by_span, centrality or {}, by_id, names, options.summary_single, chosen)
    median = statistics.median(len(a.text.split()) for a in articles) if articles else 0
    budget = min(max(options.summary_length * median, SUMMARY_MIN_WORDS), SUMMARY_MAX_WORDS)
    return _within(out, budget)


# The summary's word budget (CompareOptions.summary_length times the median article's words) stays within
# these: a story of short leads still gets a sentence or two, a story of long features a paragraph or two.
SUMMARY_MIN_WORDS = 40
SUMMARY_MAX_WORDS = 250


def _within(sentences: list[SummarySentence], budget: float) -> list[SummarySentence]:
    """The sentences that fit in `budget` words, in their order: the first of each section (shared, differ,
    single) tried first, then the rest in order; one that does not fit is skipped, a shorter later one may
    fit. The first sentence is kept whatever its length."""
    firsts = [
        next(i for i, s in enumerate(sentences) if s.section == section)
        for section in dict.fromkeys(s.section for s in sentences)
    ]
    kept: set[int] = set()
    words = 0
    for i in firsts + [i for i in range(len(sentences)) if i not in firsts]:
        size = len(sentences[i].text.split())
        if kept and words + size > budget:
            continue
        kept.add(i)
        words += size
    return [sentences[i] for i in sorted(kept)]


def check_summary(comparison: Comparison) -> list[str]:
    """Problems a reader would object to: an uncited or unsupported sentence."""
    texts = {a.id: a.text for a in comparison.articles}
    problems = []
    for sentence in comparison.summary:
        if not sentence.citations:
            problems.append(f"uncited: {sentence.text}")
            continue
        words = content_words(sentence.text)
        cited = frozenset().union(*(content_words(texts[c.article][c.start : c.end]) for c in sentence.citations))
        if words and len(words & cited) < 0.5 * len(words):
            problems.append(f"unsupported: {sentence.text}")
    return problems
