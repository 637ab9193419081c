"""Naming choices: one referent named differently by different outlets.

Three sources: the spelling of a person's surname or first name across
articles (Zelensky / Zelenskiy / Zelenskyy, Vladimir / Volodymyr), place
names from data/variants.toml (Kiev / Kyiv), and dismissive labels
("so-called Ukrainian government"). A form counts only where it is an
article's own choice: the form an article uses at least as often as any
other, so a one-off typo beside the usual spelling is not a naming choice.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter, defaultdict
from functools import cache
from importlib import resources

from rashomon.compare.entities import SUFFIXES, LinkedEntity, person_tokens, surname
from rashomon.model import Annotated, Article, Mention, Span, TermChoice, TermForm

# "so-called" and the one or two words it qualifies ("so-called Ukrainian government").
_LABEL = re.compile(r"\bso-called\s+[“\"‘']?(?:[A-Z][\w-]+\s+)?[\w-]+")


@cache
def variant_groups() -> tuple[tuple[str, ...], ...]:
    data = tomllib.loads(resources.files("rashomon.data").joinpath("variants.toml").read_text("utf-8"))
    return tuple(tuple(g) for g in data["groups"])


@cache
def _form_pattern(form: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])" + re.escape(form) + r"(?![\w])")


def _occurrences(form: str, article: Article) -> list[Span]:
    if form not in article.text:
        return []
    return [Span(article.id, m.start(), m.end()) for m in _form_pattern(form).finditer(article.text)]


def _choice(referent: str, kind: str, forms: list[str], articles: list[Article]) -> TermChoice | None:
    """A TermChoice when at least two forms are each some article's main form."""
    spans: dict[str, dict[str, list[Span]]] = defaultdict(dict)
    for article in articles:
        for form in forms:
            found = _occurrences(form, article)
            if found:
                spans[form][article.id] = found
    chosen = main_forms(spans, articles)
    if len(chosen) < 2:
        return None
    return TermChoice(referent=referent, kind=kind, forms=term_forms(spans, chosen))


def term_forms(spans: dict[str, dict[str, list[Span]]], forms: set[str] | list[str]) -> tuple[TermForm, ...]:
    """TermForms with their articles, counts and spans, the most used first."""

    def total(f: str) -> int:
        return sum(len(v) for v in spans[f].values())

    return tuple(
        TermForm(
            form=f,
            articles=tuple(sorted(spans[f])),
            count=total(f),
            spans=tuple(s for v in spans[f].values() for s in v),
        )
        for f in sorted(forms, key=lambda f: (-total(f), f))
    )


def _sentence_initial(span: Span, articles: dict[str, Article]) -> bool:
    before = articles[span.article].text[: span.start].rstrip(" “\"‘'(")
    return not before or before[-1] in ".!?:\n"


def _person_slots(entity: LinkedEntity, articles: dict[str, Article]) -> list[tuple[str, list[str]]]:
    """Surname spellings and first-name forms of one person, as (slot, forms).

    A first name counts only where it is not merely capitalised by the start of a sentence
    ("Plus Obama said"), and is made of letters.
    """
    surnames: set[str] = set()
    firsts: dict[str, bool] = {}
    for m in entity.mentions:
        tokens = person_tokens(m.name)
        if not tokens:
            continue
        surnames.add(surname(tokens))
        if len(tokens) == 2 and tokens[0][:1].isupper() and tokens[0].replace("-", "").isalpha():
            initial = _sentence_initial(m.span, articles)
            firsts[tokens[0]] = firsts.get(tokens[0], True) and initial
    return [
        ("surname", sorted(surnames)),
        ("first name", sorted(f for f, only_initial in firsts.items() if not only_initial)),
    ]


def _first_name_choice(
    entity: LinkedEntity, forms: list[str], surnames: list[str], articles: list[Article]
) -> TermChoice | None:
    """First names as written before one of the person's surname spellings.

    Two first names in one article mean two people of one surname (Bill and Hillary
    Clinton), not a naming choice: an outlet writes one person's name one way.
    """
    spans: dict[str, dict[str, list[Span]]] = defaultdict(dict)
    for article in articles:
        for form in forms:
            found = [s for surname in surnames for s in _occurrences(f"{form} {surname}", article)]
            if found:
                spans[form][article.id] = found
    for article in articles:
        if sum(1 for f in forms if article.id in spans[f]) > 1:
            return None
    used = [f for f in forms if spans[f]]
    if len(used) < 2:
        return None
    return TermChoice(referent=entity.name, kind="first name", forms=term_forms(spans, used))


# A middle word of a full name: an initial ("D.") or a name ("Rodham").
_MIDDLE = re.compile(r"^(?:[A-Z]\.|[A-Z][a-z'’-]+)$")


def _written(tokens: list[str], m: Mention, by_id: dict[str, Article]) -> str:
    """A name as written, with the full stop of a suffix ("Jr.") that the tagger left outside."""
    name = " ".join(tokens)
    if tokens[-1].lower() in SUFFIXES and by_id[m.span.article].text[m.span.end : m.span.end + 1] == ".":
        name += "."
    return name


def _full_name_choices(entity: LinkedEntity, by_id: dict[str, Article], articles: list[Article]) -> list[TermChoice]:
    """One person's full name written with and without a middle name or initial.

    "Anthony Weiner" / "Anthony D. Weiner", "Hillary Clinton" / "Hillary Rodham Clinton":
    the forms share the first name and the surname (with its suffix), so two people of
    one family (Jesse Jackson and his son Jesse Jackson Jr.) stay apart.
    """
    by_key: dict[tuple[str, str], list[tuple[str, Mention]]] = defaultdict(list)
    for m in entity.mentions:
        tokens = person_tokens(m.name)
        if not tokens:  # a title alone ("President")
            continue
        family = surname(tokens)
        given = tokens[: len(tokens) - len(family.split())]
        if 1 <= len(given) <= 3 and given[0].isalpha() and all(_MIDDLE.match(t) for t in given[1:]):
            by_key[given[0], family].append((_written(tokens, m, by_id), m))
    out = []
    for (first, family), written in by_key.items():
        spans: dict[str, dict[str, list[Span]]] = defaultdict(dict)
        for form, m in written:
            spans[form].setdefault(m.span.article, []).append(m.span)
        chosen = main_forms(spans, articles)
        if len(chosen) >= 2:
            out.append(TermChoice(referent=f"{first} {family}", kind="full name", forms=term_forms(spans, chosen)))
    return out


def main_forms(spans: dict[str, dict[str, list[Span]]], articles: list[Article]) -> set[str]:
    """The forms some article uses at least as often as any other."""
    chosen: set[str] = set()
    for article in articles:
        counts = {f: len(by_article.get(article.id, [])) for f, by_article in spans.items()}
        top = max(counts.values(), default=0)
        if top:
            chosen.update(f for f, n in counts.items() if n == top)
    return chosen


_INITIALISM = re.compile(r"^(?:[A-Z]\.){2,}$|^[A-Z]{2,4}$")


def _abbreviates(short: str, long: str) -> bool:
    """Whether `short` is `long` with words abbreviated: "Ft. Myers" / "Fort Myers", "U.S." / "United States"."""
    s, w = short.split(), long.split()
    i = j = 0
    abbreviated = False
    while i < len(s) and j < len(w):
        if s[i] == w[j]:
            i, j = i + 1, j + 1
            continue
        letters = s[i].replace(".", "")
        if _INITIALISM.match(s[i]) and [x[0] for x in w[j : j + len(letters)]] == list(letters):
            if not all(x[0].isupper() for x in w[j : j + len(letters)]):
                return False
            i, j, abbreviated = i + 1, j + len(letters), True
        elif s[i].endswith(".") and len(letters) >= 2 and len(letters) < len(w[j]) and _subsequence(letters, w[j]):
            i, j, abbreviated = i + 1, j + 1, True
        else:
            return False
    return abbreviated and i == len(s) and j == len(w)


def _subsequence(letters: str, word: str) -> bool:
    if letters[0] != word[0]:
        return False
    rest = iter(word[1:].lower())
    return all(c in rest for c in letters[1:].lower())


# A run of capitalised words holding an abbreviation ("Ft. Myers", "U.S. Supreme Court"): the
# tagger often misses such names, so they are read from the text and matched to tagged ones.
_ABBREVIATED = re.compile(r"\b(?:[A-Z][a-z]{0,3}\.|(?:[A-Z]\.){2,}|[A-Z]{2,4}\b)(?:\s+[A-Z][\w'’-]+)*")


def _abbreviations(entities: list[LinkedEntity], articles: list[Article]) -> list[TermChoice]:
    """Names of one place or body written out in one outlet and abbreviated in another."""
    names = sorted({f for e in entities if e.label != "PERSON" for f in e.forms})
    written = {m.group(0) for a in articles for m in _ABBREVIATED.finditer(a.text)}
    out = []
    for long in names:
        shorts = sorted(s for s in set(names) | written if s != long and _abbreviates(s, long))
        if shorts:
            found = _choice(long, "abbreviation", [long, *shorts], articles)
            if found is not None and _exclusive(found):
                out.append(found)
    return out


def _exclusive(choice: TermChoice) -> bool:
    """Whether two articles each keep to a different form.

    An article that spells a name out and then abbreviates it ("Marijuana Policy
    Project (MPP)") follows its style guide; outlets that each keep to one form chose.
    """
    return len({next(iter(fs)) for fs in forms_by_article(choice).values() if len(fs) == 1}) >= 2


def forms_by_article(choice: TermChoice) -> dict[str, set[str]]:
    """Each article of a naming choice with the forms it uses."""
    out: dict[str, set[str]] = defaultdict(set)
    for f in choice.forms:
        for a in f.articles:
            out[a].add(f.form)
    return out


def find_terms(
    entities: list[LinkedEntity], annotated: dict[str, Annotated], articles: list[Article]
) -> list[TermChoice]:
    """Naming choices of names and labels in the story, unranked (`rank_terms` orders them with the
    wordings and descriptions the comparison adds)."""
    out: list[TermChoice] = []
    by_id = {a.id: a for a in articles}
    for entity in entities:
        if entity.label != "PERSON":
            continue
        (_, surnames), (_, firsts) = _person_slots(entity, by_id)
        if len(surnames) >= 2:
            found = _choice(entity.name, "surname", surnames, articles)
            if found is not None:
                out.append(found)
        if len(firsts) >= 2:
            found = _first_name_choice(entity, firsts, surnames, articles)
            if found is not None:
                out.append(found)
        out.extend(_full_name_choices(entity, by_id, articles))
    out.extend(_abbreviations(entities, articles))
    for group in variant_groups():
        found = _choice(group[0], "place", list(group), articles)
        if found is not None:
            out.append(found)
    out.extend(_descriptors(entities, articles))
    out.extend(_labels(articles))
    return out


def rank_terms(terms: list[TermChoice]) -> list[TermChoice]:
    """Naming choices, those that set the most pairs of articles apart first.

    Two articles are set apart when they share no form: each wrote the referent its own
    way. Ties go to the choice more articles make.
    """

    def apart(t: TermChoice) -> tuple[int, int]:
        forms_of = forms_by_article(t)
        ids = sorted(forms_of)
        pairs = sum(1 for i, a in enumerate(ids) for b in ids[i + 1 :] if not forms_of[a] & forms_of[b])
        return pairs, len(ids)

    keyed = [(apart(t), t) for t in terms]
    keyed.sort(key=lambda x: (-x[0][0], -x[0][1], x[1].referent, x[1].kind))
    return [t for _, t in keyed]


@cache
def descriptor_sets() -> tuple[tuple[str, frozenset[str], frozenset[str]], ...]:
    """(name, plain words, marked words) of data/descriptors.toml."""
    data = tomllib.loads(resources.files("rashomon.data").joinpath("descriptors.toml").read_text("utf-8"))
    return tuple((s["name"], frozenset(s["plain"]), frozenset(s["marked"])) for s in data["set"])


def _descriptors(entities: list[LinkedEntity], articles: list[Article]) -> list[TermChoice]:
    """Words chosen to describe one named group ("Hamas militants" / "Hamas terrorists")."""
    by_id = {a.id: a for a in articles}
    out = []
    for name, plain, marked in descriptor_sets():
        words = sorted(plain | marked, key=len, reverse=True)
        pattern = re.compile(r"\s+(?:-\s*)?(" + "|".join(re.escape(w) for w in words) + r")\b", re.I)
        for entity in entities:
            if entity.label == "PERSON":
                continue
            spans: dict[str, dict[str, list[Span]]] = defaultdict(dict)
            for m in entity.mentions:
                hit = pattern.match(by_id[m.span.article].text, m.span.end) if m.span.article in by_id else None
                if hit:
                    form = f"{m.name} {hit.group(1).lower()}"
                    spans[form].setdefault(m.span.article, []).append(Span(m.span.article, m.span.start, hit.end()))
            used_words = {f.split()[-1] if f.split()[-1] in plain | marked else f for f in spans}
            if len(spans) < 2 or not any(f.lower().endswith(tuple(marked)) for f in spans) or len(used_words) < 2:
                continue
            forms = term_forms(spans, list(spans))
            out.append(TermChoice(referent=f"{entity.name} ({name})", kind="descriptor", forms=forms))
    return out


def _labels(articles: list[Article]) -> list[TermChoice]:
    """ "so-called X": a dismissive label, listed with who uses it."""
    found: dict[str, dict[str, list[Span]]] = defaultdict(dict)
    for article in articles:
        for m in _LABEL.finditer(article.text):
            found[m.group(0)].setdefault(article.id, []).append(Span(article.id, m.start(), m.end()))
    out = []
    for phrase, by_article in sorted(found.items()):
        referent = phrase.split(None, 1)[1]
        counts = Counter({a: len(s) for a, s in by_article.items()})
        form = TermForm(
            phrase, tuple(sorted(by_article)), sum(counts.values()), tuple(s for v in by_article.values() for s in v)
        )
        out.append(TermChoice(referent=referent, kind="label", forms=(form,)))
    return out
