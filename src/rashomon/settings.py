"""Every tunable of a comparison, its default and its help, in one table.

Thresholds say how they were chosen. Those tuned on text were tuned on the
bundled example and checked on the development corpora (BASIL, ECB+) so that
they do not merely fit five articles.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from rashomon.errors import UsageError

# spaCy parses at most 1,000,000 characters in one text (its max_length).
MAX_CHARS_LIMIT = 1_000_000


def _opt(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True, kw_only=True)
class CompareOptions:
    """Options of `compare`; keyword-only and validated on creation."""

    max_chars: int = _opt(
        200_000,
        "Longest article text kept, in characters; longer input is cut there with a warning "
        "(a long feature is about 60,000 characters).",
    )
    outlets: dict[str, str] = _opt(None, "Outlet names by source path or file name, as given with --outlet FILE=NAME.")
    min_words_claim: int = _opt(4, "Sentences shorter than this many words are not claims.")
    fact_threshold: float = _opt(
        0.34,
        "Mean similarity (0.3 MiniLM cosine + 0.4 word-by-word alignment + 0.3 shared rare words) a group "
        "of claims from different articles keeps to count as one fact. Chosen on the five gold stories: "
        "the bundled story keeps its fact recall 0.80 from 0.33 to 0.35, and the mean over all five is "
        "highest at 0.34 (0.65); checked on ECB+ dev event coreference (benchmarks/facts_ecbplus.py).",
    )
    copy_threshold: float = _opt(
        0.5,
        "Jaccard similarity of 5-word shingle sets above which an article is a near-copy of another "
        "(wire reprints measure 0.6-0.95; independent reports of one event stay under 0.1).",
    )
    offtopic_threshold: float = _opt(
        0.60,
        "MiniLM cosine of an article's mean sentence vector with the rest of the story's, under which "
        "(if it also shares few names) it is set aside as not about the same event. On BASIL events "
        "members scored 0.68-0.91 and mixed-in articles of other events 0.21-0.65.",
    )
    summary_shared: int = _opt(6, "How many shared facts the summary states at most.")
    summary_single: int = _opt(4, "How many single-outlet facts the summary lists at most.")
    summary_length: float = _opt(
        1.0,
        "The summary's length in words at most, as a share of the median article's (kept between 40 and "
        "250 words; the first sentence of each section comes first). Chosen on NeuS val (307 events, "
        "benchmarks/summary_neus.py): 1.0 keeps the summary at 0.87 of the editors' length (median) with "
        "ROUGE-1/2/L 0.369/0.154/0.256; without a bound it was 1.59 times as long at 0.355/0.145/0.233.",
    )
    max_contradictions: int = _opt(8, "Most contradictions reported, strongest first.")
    max_terms: int = _opt(15, "Most naming choices reported, those used by the most articles first.")
    use_spacy: bool = _opt(True, "Use the spaCy English pipeline when it is installed.")

    def __post_init__(self) -> None:
        if self.outlets is None:
            object.__setattr__(self, "outlets", {})
        if not 0.0 < self.summary_length <= 10.0:
            raise UsageError(f"summary_length must lie above 0 and at most 10, not {self.summary_length}")
        for name in ("fact_threshold", "copy_threshold", "offtopic_threshold"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise UsageError(f"{name} must lie between 0 and 1, not {value}; give a fraction such as 0.5")
        if not 1_000 <= self.max_chars <= MAX_CHARS_LIMIT:
            raise UsageError(
                f"max_chars must lie between 1,000 and {MAX_CHARS_LIMIT:,}, not {self.max_chars:,}; "
                "longer texts exceed what the parser takes (about 1 GB of memory per 100,000 characters)"
            )
        for name in (
            "max_chars",
            "min_words_claim",
            "summary_shared",
            "summary_single",
            "max_contradictions",
            "max_terms",
        ):
            if getattr(self, name) < 0:
                raise UsageError(f"{name} must not be negative; give 0 or more")


def describe_options() -> list[tuple[str, Any, str]]:
    """(name, default, help) for every option, for documentation and --help."""
    return [(f.name, f.default, f.metadata["help"]) for f in fields(CompareOptions)]
