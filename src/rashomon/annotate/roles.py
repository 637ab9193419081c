"""Who a description names: role nouns learned from titles and appositions ("Kremlin spokesman Dmitry
Peskov", "Gov. Rick Perry", "Secure America Now, a nonprofit organization"), "the governor" as the last
speaker, and the own words of a noun phrase (annotate.quotes reads speakers with these)."""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING, Any

from rashomon.annotate.genders import lexicon, looks_plural
from rashomon.model import Mention

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


# Common nouns that name a speaker without a name ("the foreign ministry statement said").
ROLE_NOUNS = {
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "official",
    "officials",
    "ministry",
    "statement",
    "minister",
    "president",
    "delegation",
    "government",
    "authorities",
    "office",
    "embassy",
    "negotiator",
    "envoy",
    "ambassador",
    "commission",
    "council",
    "army",
    "military",
    "police",
    "prosecutors",
    "court",
}


# Titles written short before a name, and the role noun a later description uses ("Gov. Rick Perry" ...
# "the Texas governor").
TITLES = {
    "gov.": "governor",
    "sen.": "senator",
    "rep.": "congressman",
    "pres.": "president",
    "sec.": "secretary",
    "atty.": "attorney",
    "gen.": "general",
    "lt.": "lieutenant",
    "col.": "colonel",
    "capt.": "captain",
    "sgt.": "sergeant",
    "adm.": "admiral",
    "prof.": "professor",
    "det.": "detective",
    "supt.": "superintendent",
}
# Dependencies that keep a token inside a noun phrase's own words (not a clause or phrase attached to it).
_OWN_DEPS = frozenset("appos compound amod det nmod nummod punct flat".split())


def own_tokens(token: Token) -> list[Token]:
    """The noun phrase's own words: the token and its appositions, compounds and modifiers, without the
    relative clauses and prepositional phrases hung on it."""
    out, stack = [token], [token]
    while stack:
        for child in stack.pop().children:
            if child.dep_ in _OWN_DEPS and same_paragraph(child, token):
                out.append(child)
                stack.append(child)
    return out


def same_paragraph(a: Token, b: Token) -> bool:
    """Whether no line break lies between two tokens (the parse can run over a paragraph that ends
    without a full stop, "… and Jim Talent¶Romney released …")."""
    lo, hi = sorted((a.idx, b.idx))
    return "\n" not in a.doc.text[lo:hi]


# Agent nouns ("governor", "senator", "activist", "politician"): after "the", a person.
_AGENT = re.compile(r"\w{3,}(?:or|ist|ian)$")


def described(token: Token, ctx: Any) -> str | None:
    """A person named by a description ("…," the Texas governor continues): the last speaker, named
    within ANTECEDENT_PARAGRAPHS paragraphs, when the subject is "the" and a title or agent noun
    (singular, not a role such as "the spokesman" that usually brings in someone new) and agrees with
    the speaker's gender where the noun has one ("the congresswoman")."""
    word = token.lower_
    if not token.text.islower() or word in ROLE_NOUNS or looks_plural(token):
        return None
    if not any(c.dep_ == "det" and c.lower_ == "the" for c in token.children):
        return None
    gender = lexicon().nouns.get(word)
    if gender is None and word not in TITLES.values() and not _AGENT.fullmatch(word):
        return None
    speaker = ctx.last_speaker
    if speaker is None or not ctx.antecedents.near(speaker, ctx.paragraph):
        return None
    if gender is not None and not ctx.antecedents.agrees(speaker, "she" if gender == "f" else "he"):
        return None
    return speaker


def role_of(token: Token, ctx: Any) -> str | None:
    """The person a role noun stands for: the one last given that role before it (else the first after)."""
    named = ctx.roles.get(token.lower_)
    if not named:
        return None
    before = [name for at, name in named if at < token.idx]
    return before[-1] if before else named[0][1]


def learn_roles(doc: Doc, ctx: Any) -> None:
    """Role nouns that name a person: a title right before the name ("Kremlin spokesman Dmitry Peskov",
    "Gov. Rick Perry", "host Meredith Vieira") or a description in apposition ("Elizabeth Lauten, the
    communications director"; for an organisation only this: "Secure America Now, a nonprofit
    organization"). A later "the spokesman", "the governor" or "the organization" is that one."""
    starts = [t.idx for t in doc]
    for m in ctx.mentions:
        if m.label not in ("PERSON", "ORG"):
            continue
        i = bisect.bisect_left(starts, m.span.start)
        if i == len(starts) or starts[i] != m.span.start:
            continue
        found = [] if m.label == "ORG" else _titles_before(doc, i)  # an organisation: only its apposition
        head = _head_token(doc, i, m)
        found += [c.lower_ for c in head.children if c.dep_ == "appos" and c.text.islower()]
        for role in found:
            ctx.roles.setdefault(role, []).append((m.span.start, m.name))


def _titles_before(doc: Doc, i: int) -> list[str]:
    """The role words right before the name at token i, up to four words back through titles and
    capitalised words ("Kremlin spokesman", "Texas Gov."); "met Sen. Graham and Gov. Perry" gives Perry
    only "governor"."""
    found = []
    for t in reversed(doc[max(0, i - 4) : i]):
        if _is_title(t):
            found.append(TITLES.get(t.lower_, t.lower_))
        elif not (t.is_alpha and t.text[:1].isupper()):
            break
    return found


def _is_title(token: Token) -> bool:
    """A role word before a name: a known role noun, a title abbreviation, or a lower-case noun compounded
    with the name ("host Meredith Vieira")."""
    if token.lower_ in ROLE_NOUNS or token.lower_ in TITLES:
        return True
    return token.dep_ == "compound" and token.text.isalpha() and token.text.islower()


def _head_token(doc: Doc, i: int, mention: Mention) -> Token:
    """The last token of a name that starts at token i."""
    j = i
    while j + 1 < len(doc) and doc[j + 1].idx < mention.span.end:
        j += 1
    return doc[j]
