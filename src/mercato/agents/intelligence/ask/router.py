"""The router: a merchant's question read without a model, in microseconds. Its intents come
from phrasings ("am I cheaper", "what do customers say", "will I run out"), several at once;
its scope from the store's vocabulary (products, a category, a competitor, a marketplace,
option values such as a colour) and a period; its mode from "in depth" and the like. A short
follow-up ("and for the blue ones?", "what about last month?") keeps the previous question's
scope and intents and changes only what it names (seed 001 property 32). A question no
phrasing matches is not understood: the planner then runs every analysis store-wide."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from mercato.agents.intelligence.ask.periods import default_period, parse_period
from mercato.agents.intelligence.ask.phrasings import (
    CHANGE,
    COMPARING,
    COMPETITOR,
    COMPILED,
    DEEP,
    FOLLOW_UP,
    KEYWORDS,
    PRICE,
    TOPICS,
    WHY,
)
from mercato.agents.intelligence.ask.scope import Intent, Mode, Period, Route, Scope
from mercato.agents.intelligence.ask.vocabulary import (
    Found,
    Vocabulary,
    close,
    match_category,
    match_name,
    match_options,
    match_products,
    words_of,
)

WHY_NOTE = "asks why"
"""In `Route.notes` when the question asks for a cause ("why did sales drop"): the planner
then adds the analyses that can explain a sales trend."""
FOLLOW_UP_NOTE = "follow-up: kept the scope of the previous question"


@dataclass(frozen=True)
class _Read:
    """What one question names by itself."""

    intents: tuple[Intent, ...]
    products: list[Found]
    category: Found | None
    competitor: str | None
    marketplace: str | None
    filters: dict[str, str]
    period: Period | None
    deep: bool
    why: bool


def route(
    question: str,
    vocab: Vocabulary,
    *,
    today: date,
    previous: tuple[Scope, tuple[Intent, ...]] | None = None,
    mode: Mode | None = None,
) -> Route:
    """The router's reading of `question`; `previous` is the scope and intents of the
    conversation's last question, for a follow-up."""
    read = read_question(question, vocab, today=today)
    chosen = mode or (Mode.DEEP if read.deep else Mode.QUICK)
    if previous is not None and is_follow_up(question, read):
        return _follow_up(read, previous, chosen)
    notes = _notes(read)
    scope = Scope(
        product_ids=tuple(f.id for f in read.products),
        product_names=tuple(f.name for f in read.products),
        category_id=read.category.id if read.category else None,
        category_name=read.category.name if read.category else None,
        competitor=read.competitor,
        marketplace=read.marketplace,
        period=read.period or default_period(today),
        filters=read.filters,
    )
    if read.period is None:
        notes.append(f"period: {scope.period.label if scope.period else ''} (default)")
    if not read.intents:
        notes.append("not understood: no analysis matched the question's words")
    return Route(
        intents=read.intents,
        scope=scope,
        mode=chosen,
        understood=bool(read.intents),
        notes=tuple(notes),
    )


def read_question(question: str, vocab: Vocabulary, *, today: date) -> _Read:
    """What `question` names: intents, entities, period, mode and whether it asks why."""
    words = words_of(question)
    text = _corrected(question)
    products = match_products(words, vocab.products_sharing(words))
    category = match_category(words, vocab.categories)
    if category is not None and products and _category_wins(category, products):
        products = []
    taken = frozenset().union(*(f.positions for f in products)) if products else frozenset()
    if category is not None:
        taken |= category.positions
    competitor = match_name(words, vocab.competitors)
    marketplace = match_name(
        words, [m for m in vocab.marketplaces if competitor is None or m != competitor.id]
    )
    intents = intents_in(text, competitor_named=competitor is not None)
    return _Read(
        intents=intents,
        products=products,
        category=category if not products else None,
        competitor=competitor.id if competitor else None,
        marketplace=marketplace.id if marketplace else None,
        filters=match_options(words, vocab.option_values(), taken=taken),
        period=parse_period(question, today, ahead=Intent.FORECAST in intents),
        deep=DEEP.search(text) is not None,
        why=WHY.search(text) is not None,
    )


def intents_in(text: str, *, competitor_named: bool = False) -> tuple[Intent, ...]:
    """The intents whose phrasings `text` (normalised, typos mended) uses, in `Intent`'s
    order: a competitor (by that word or by name) with a change is a competitor's move, a
    price with a comparison a price position; failing any, its topic words."""
    found = {i for i in Intent if any(p.search(text) for p in COMPILED[i])}
    if (competitor_named or COMPETITOR.search(text)) and CHANGE.search(text):
        found.add(Intent.COMPETITOR_MOVES)
    if PRICE.search(text) and COMPARING.search(text):
        found.add(Intent.PRICE_POSITION)
    if not found:
        found = {intent for intent, pattern in TOPICS if pattern.search(text)}
    return tuple(i for i in Intent if i in found)


def is_follow_up(question: str, read: _Read) -> bool:
    """A question leaning on the previous one: it starts as follow-ups do ("and ...", "what
    about ...", "same for ...", "why?"), or is short and names no analysis."""
    text = _corrected(question)
    size = len(text.split())
    names = bool(
        read.products or read.category or read.competitor or read.marketplace or read.filters
        or read.period or read.why
    )  # fmt: skip
    return (FOLLOW_UP.match(text) is not None and size <= 10) or (
        size <= 6 and not read.intents and names
    )


def _category_wins(category: Found, products: list[Found]) -> bool:
    """The category when it covers at least as many of the question's words as the best
    product: "running shoes" is the category "Running shoes", not a product with those words
    in its name; "the summit jacket" is the product "Summit Down Jacket", not "Jackets"."""
    return category.size >= max(f.size for f in products)


CONTRACTIONS = {
    "what's": "what is", "how's": "how is", "where's": "where is", "who's": "who is",
    "i'm": "i am", "we're": "we are", "they're": "they are", "aren't": "are not",
    "isn't": "is not", "didn't": "did not", "don't": "do not", "won't": "will not",
    "can't": "cannot", "i'll": "i will", "we'll": "we will", "it's": "it is",
}  # fmt: skip
_SORTED_KEYWORDS = tuple(sorted(KEYWORDS))


def normalised(question: str) -> str:
    """`question` lower-cased, contractions spelt out, possessives and punctuation dropped,
    single spaces."""
    text = re.sub(r"[\u2018\u2019`]", "'", question.lower())
    text = re.sub(r"[a-z]+'[a-z]+", lambda m: CONTRACTIONS.get(m[0], m[0]), text)
    text = re.sub(r"'s\b", "", text)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def _corrected(question: str) -> str:
    """`question` normalised, each word one typo away from a phrasing's word replaced by it
    (not a word that only adds or drops an ending: "prices" stays "prices")."""
    out: list[str] = []
    for word in normalised(question).split():
        token = word
        if len(token) >= 5 and token.isalpha() and token not in KEYWORDS:
            token = next(
                (
                    k
                    for k in _SORTED_KEYWORDS
                    if close(token, k) and not (token.startswith(k) or k.startswith(token))
                ),
                token,
            )
        out.append(token)
    return " ".join(out)


def _notes(read: _Read) -> list[str]:
    notes = [f"intent: {i.value}" for i in read.intents]
    notes += [f"product: {f.name}" for f in read.products]
    if read.category:
        notes.append(f"category: {read.category.name}")
    if read.competitor:
        notes.append(f"competitor: {read.competitor}")
    if read.marketplace:
        notes.append(f"marketplace: {read.marketplace}")
    notes += [f"filter: {k} = {v}" for k, v in sorted(read.filters.items())]
    if read.period:
        notes.append(f"period: {read.period.label}")
    if read.deep:
        notes.append("mode: deep (asked for)")
    if read.why:
        notes.append(WHY_NOTE)
    return notes


def _follow_up(read: _Read, previous: tuple[Scope, tuple[Intent, ...]], mode: Mode) -> Route:
    """The previous scope and intents, with what the follow-up names changed: the subject
    (products or a category), a filter, the period, the competitor, the marketplace, the
    intents."""
    scope, intents = previous
    changes: dict[str, object] = {}
    if read.products:
        changes |= {
            "product_ids": tuple(f.id for f in read.products),
            "product_names": tuple(f.name for f in read.products),
            "category_id": None,
            "category_name": None,
        }
    elif read.category:
        changes |= {
            "product_ids": (),
            "product_names": (),
            "category_id": read.category.id,
            "category_name": read.category.name,
        }
    if read.filters:
        changes["filters"] = {**scope.filters, **read.filters}
    if read.period:
        changes["period"] = read.period
    if read.competitor:
        changes["competitor"] = read.competitor
    if read.marketplace:
        changes["marketplace"] = read.marketplace
    chosen = read.intents or intents
    notes = [FOLLOW_UP_NOTE, *_notes(read)]
    return Route(
        intents=chosen,
        scope=scope.narrowed(**changes),
        mode=mode,
        understood=bool(chosen),
        follow_up=True,
        notes=tuple(notes),
    )
