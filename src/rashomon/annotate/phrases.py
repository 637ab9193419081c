"""Common-noun phrases and where each sits in its clause, read from the dependency parse.

Outlets that report one event choose their own words for the same thing: "a
lewd photo" / "a suggestive photograph", "campaign funds" / "campaign cash",
"an Internet security firm" / "a private security company". To find such
choices the comparison needs each phrase's words and its place in the
proposition, so every common noun that heads a phrase becomes a `Phrase`:

* its span runs from its first modifier (adjective, noun or hyphenated
  compound) to the head; determiners, possessors and numbers are left out,
  since "his use of $750,000" and "the use" name the same thing;
* `words`: the stems of the modifiers and the head, in order;
* `anchor`: what governs it, as "verb stem:role" ("send:obj" for both "sent a
  photo" and "a photo was sent"), or "word:preposition" ("plead:to");
* `actor`: the subject of the clause that governs it ("Lavrov" held a phone call),
  since one wording in one place for two actors is two things;
* `owner`: its possessor, lower-cased ("his" wife, "jackson"'s wife), which
  makes it a role that one person fills;
* `fixed`: the modifiers that tell referents apart rather than describe one
  (names, nationalities, numbers, ordinals): "the Russian delegation" and "the
  Ukrainian delegation" are two things, not two wordings.

Without the parser (the blank fallback) there are no phrases.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rashomon.annotate.structure import STOP, clause_subject, stem
from rashomon.model import Article, Phrase, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# Roles a noun phrase fills (the parse runs without the tagger, so nouns are found by role).
NOMINAL_DEPS = frozenset("nsubj nsubjpass dobj pobj attr appos conj oprd dative".split())
# Dependents only a verb has: a token with one is a clause, not a noun phrase.
VERB_DEPENDENTS = frozenset("nsubj nsubjpass aux auxpass dobj neg".split())
# Modifiers that are part of a phrase's wording.
MODIFIER_DEPS = frozenset("amod compound nmod npadvmod".split())
# Entity types whose words tell referents apart (a name, a figure, a date) rather than word them.
FIXED_TYPES = frozenset("PERSON NORP GPE ORG LOC FAC DATE TIME CARDINAL ORDINAL MONEY PERCENT QUANTITY".split())
# Roles read as one: the thing acted on is the object whether the clause is active or passive.
ROLES = {"dobj": "obj", "nsubjpass": "obj", "nsubj": "subj", "attr": "attr", "appos": "appos", "oprd": "attr"}


def _anchor(token: Token) -> tuple[str, frozenset[str]]:
    """What governs the phrase, as "governor stem:role", and who acts in the governor's clause
    (its subject's stems: "Lavrov held a phone call"), empty for the phrase that is itself the subject."""
    while token.dep_ == "conj" and token.head is not token:
        token = token.head
    if token.dep_ == "pobj" and token.head.dep_ == "prep":
        prep = token.head
        return f"{stem(prep.head.lower_)}:{prep.lower_}", clause_subject(prep.head)
    role = ROLES.get(token.dep_, token.dep_)
    return f"{stem(token.head.lower_)}:{role}", frozenset() if role == "subj" else clause_subject(token.head)


def _modifiers(head: Token) -> list[Token]:
    """The run of wording modifiers right before the head ("Internet security", "anti-marijuana")."""
    doc = head.doc
    i = head.i - 1
    while i >= head.sent.start:
        token = doc[i]
        inside = token.head.i > i and token.head.i <= head.i
        if not inside or not (token.dep_ in MODIFIER_DEPS or token.text == "-" or _hyphen_part(token)):
            break
        i -= 1
    run = list(doc[i + 1 : head.i])
    while run and run[0].text == "-":
        run = run[1:]
    return run


def _hyphen_part(token: Token) -> bool:
    """The first half of a hyphenated word ("anti" of "anti-marijuana")."""
    nxt = token.nbor(1) if token.i + 1 < len(token.doc) else None
    return nxt is not None and nxt.text == "-" and not token.whitespace_


def _reflexive(token: Token) -> bool:
    """ "himself", "themselves": pronouns, which the stop list leaves out."""
    return token.lower_.endswith(("self", "selves"))


def _nominal(token: Token) -> bool:
    """A noun heading a phrase: in a nominal role, with no verb's dependents, not a pronoun."""
    if token.dep_ not in NOMINAL_DEPS or not token.is_alpha or token.lower_ in STOP or _reflexive(token):
        return False
    if token.dep_ == "conj" and token.head.dep_ not in NOMINAL_DEPS - {"conj"}:
        return False
    if any(c.dep_ in VERB_DEPENDENTS for c in token.children):
        return False
    return token.ent_type_ not in FIXED_TYPES and not (token.is_title and token.i > token.sent.start)


def _phrase(article_id: str, head: Token) -> Phrase | None:
    mods = _modifiers(head)
    first = mods[0] if mods else head
    if first.text == "-":
        return None
    words = tuple(stem(t.lower_) for t in [*mods, head] if t.is_alpha)
    fixed = frozenset(stem(t.lower_) for t in mods if t.ent_type_ in FIXED_TYPES or t.like_num)
    anchor, actor = _anchor(head)
    return Phrase(
        span=Span(article_id, first.idx, head.idx + len(head.text)),
        head=stem(head.lower_),
        words=words,
        anchor=anchor,
        fixed=fixed,
        actor=actor - set(words),
        owner=next((c.lower_ for c in head.children if c.dep_ == "poss"), ""),
    )


def find_phrases(article: Article, doc: Doc) -> list[Phrase]:
    """Every common-noun phrase of the article, in text order."""
    if not doc.has_annotation("DEP"):
        return []
    out = []
    for token in doc:
        if _nominal(token) and (phrase := _phrase(article.id, token)) is not None:
            out.append(phrase)
    return out
