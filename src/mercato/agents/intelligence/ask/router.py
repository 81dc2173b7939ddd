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

_I = Intent
PHRASES: dict[Intent, tuple[str, ...]] = {
    _I.PRICE_POSITION: (
        r"how (?:are|is|do) (?:my|our|the) (?:\w+ )?pric",
        r"\bam i (?:\w+ )?(?:cheaper|more expensive|too expensive|expensive|priced|competitive)",
        r"\bare (?:we|my|our|the) (?:\w+ ){0,3}(?:cheaper|dearer|more expensive|too expensive|"
        r"overpriced|underpriced|priced|competitive)",
        r"\bpric(?:e|es|ed|ing) (?:\w+ )?(?:compared?|comparison|vs|versus|against|position|"
        r"gap|difference|competitive)",
        r"\b(?:over|under) ?pric",
        r"\bprice gap",
        r"\b(?:cheaper|dearer|more expensive|pricier) than\b",
        r"\bprice position",
        r"\bcompetitive (?:on )?pric",
        r"\b(?:my|our) pric(?:e|es|ing) (?:too )?(?:high|low|right|ok)",
        r"\bwhere do (?:i|we) stand on price",
        r"\bcompare (?:my|our) pric",
    ),
    _I.COMPETITOR_MOVES: (
        r"\bcompetitors? (?:\w+ ){0,3}(?:changed?|dropped|drop|raised?|cut|lowered|increased?|"
        r"moved?|moves|doing|done|up to|reduced?)",
        r"\bwhat (?:are|is|have|has) (?:my |our |the )?competitors?",
        r"\bcompetitors? (?:\w+ )?(?:price|pricing) (?:changes?|moves?|drops?|increases?)",
        r"\bpromotions?\b",
        r"\bpromos?\b",
        r"\bundercut",
        r"\bprice war",
        r"\bcompetition (?:is )?doing",
        r"\b(?:any|did|has|have) (?:\w+ )?competitors? (?:\w+ )?(?:change|drop|raise|cut|move)",
    ),
    _I.SENTIMENT: (
        r"\bwhat do (?:my |our |the )?(?:customers|people|buyers|shoppers|clients|users) "
        r"(?:\w+ )?(?:think|say|feel|like|hate|say about)",
        r"\breviews?\b",
        r"\breviewers?\b",
        r"\bcomplain",
        r"\bsentiment",
        r"\bratings?\b",
        r"\brated\b",
        r"\bfeedback",
        r"\bstar ratings?",
        r"\b(?:customers|people|buyers|shoppers) (?:\w+ )?(?:like|love|hate|dislike|unhappy|happy)",
        r"\b(?:un)?happy with",
        r"\bsatisf",
        r"\bopinions?\b",
    ),
    _I.FORECAST: (
        r"\bforecast",
        r"\bhow (?:many|much) (?:\w+ ){0,4}(?:will|would|could|shall|can) (?:i|we) sell",
        r"\bwill (?:i|we) sell",
        r"\bdemand (?:\w+ )?(?:next|coming|upcoming|ahead|in the coming|for next|over the next)",
        r"\b(?:next|coming) (?:week|month|quarter|year) (?:demand|sales)",
        r"\b(?:sales|demand) (?:\w+ )?next (?:week|month|quarter|\d+)",
        r"\bpredict",
        r"\bprojection",
        r"\bexpected (?:sales|demand)",
        r"\bfuture (?:sales|demand)",
        r"\bexpect to sell",
    ),
    _I.STOCK_RISK: (
        r"\bruns? out\b",
        r"\brunning out",
        r"\bran out\b",
        r"\bout of stock",
        r"\bstock ?outs?\b",
        r"\bsell(?:ing)? out\b",
        r"\bsold out\b",
        r"\boverstock",
        r"\btoo (?:much|many) (?:\w+ )?(?:stock|inventory|units)",
        r"\bexcess (?:stock|inventory)",
        r"\bre ?order",
        r"\brestock",
        r"\bstock (?:levels?|risk|cover)",
        r"\binventory (?:levels?|risk)",
        r"\b(?:enough|low) (?:stock|inventory)",
        r"\bhow long will (?:\w+ ){0,3}(?:stock|inventory|last)",
    ),
    _I.SALES_TREND: (
        r"\b(?:sales|revenue|orders|turnover) (?:\w+ ){0,2}(?:drop|dropped|dropping|fall|fell|"
        r"falling|down|declin|grow|grew|growing|growth|up|increas|rise|rose|rising|trend|doing|"
        r"going|performance|perform|slump|dip|dipped)",
        r"\bwhy (?:did|are|is|have|has|do) (?:\w+ ){0,3}(?:sales|revenue|orders|selling|sell)",
        r"\bbest ?sell",
        r"\btop (?:\d+ )?(?:sell|products|items)",
        r"\bworst (?:sell|products|performing)",
        r"\brevenue",
        r"\bturnover",
        r"\bhow (?:are|is|were|was|did) (?:\w+ ){0,4}(?:selling|sell|sales|doing)\b",
        r"\bhow (?:many|much) (?:\w+ ){0,3}(?:did|have) (?:i|we) sell",
        r"\b(?:units )?sold\b",
        r"\bselling (?:well|badly|poorly|slow)",
        r"\bsales (?:figures|numbers|trend|report)",
        r"\bmy sales\b",
        r"\bour sales\b",
    ),
    _I.ADVICE: (
        r"\bwhat (?:should|can|could|do) (?:i|we) (?:\w+ )?do\b",
        r"\brecommend",
        r"\bhow (?:can|could|do|should|might) (?:i|we) (?:\w+ ){0,2}(?:improve|increase|boost|fix|"
        r"grow|get|raise|sell more|win|beat|reduce|stop|avoid)",
        r"\bactions?\b",
        r"\badvi[cs]e",
        r"\bsuggest",
        r"\bnext steps?",
        r"\bwhat to do\b",
        r"\bhelp me (?:\w+ )?(?:improve|increase|fix|sell|boost)",
        r"\bshould (?:i|we) (?:lower|raise|cut|change|reduce|increase|drop|discount|reprice|"
        r"restock|reorder|stop)",
        r"\bwhat (?:can|could) be (?:done|improved)",
        r"\bideas? (?:to|for)",
    ),
}
_COMPILED = {intent: tuple(re.compile(p) for p in ps) for intent, ps in PHRASES.items()}

CHANGE = re.compile(
    r"\b(?:chang\w*|drop\w*|rais\w*|cut\w*|lower\w*|increas\w*|reduc\w*|undercut\w*|"
    r"promo\w*|discount\w*|sale price|moves?|moved)\b"
)
COMPETITOR = re.compile(r"\bcompetit\w*")
PRICE = re.compile(r"\bpric\w*")
COMPARING = re.compile(
    r"\b(?:compar\w*|vs|versus|against|than|gap|positioned|position|stand|match)\b"
)
PEOPLE_SAY = r"\b(?:people|customers|ppl|shoppers|buyers)\b.*\b(?:saying|say|think)\b"
TOPICS: tuple[tuple[Intent, re.Pattern[str]], ...] = (
    (_I.PRICE_POSITION, PRICE),
    (_I.SENTIMENT, re.compile(PEOPLE_SAY)),
    (_I.FORECAST, re.compile(r"\bdemand\b")),
    (_I.STOCK_RISK, re.compile(r"\b(?:stock|inventory)\b")),
    (_I.SALES_TREND, re.compile(r"\b(?:sales|revenue|sold|turnover)\b")),
)
"""A question no phrasing matched is read by its topic words: "jacket sales in March" is
about the sales trend, "demand for hoodies" about a forecast."""

DEEP = re.compile(
    r"\b(?:in depth|deep ?dive|deep analysis|thorough(?:ly)?|fresh|full analysis|"
    r"detailed|in detail|dig deep|dig into|comprehensive|up to date analysis)\b"
)
WHY = re.compile(r"\bwhy\b|\bwhat (?:caused|happened|is causing|explains)\b|\breasons?\b")
FOLLOW_UP = re.compile(
    r"^(?:(?:and|also|ok|okay|now|then|so|but|hmm)\b|what about\b|how about\b|same\b|"
    r"what of\b|and what\b|why\b|only\b|just\b|for the\b|what if\b)"
)
_KEYWORDS = frozenset(
    w
    for ps in PHRASES.values()
    for p in ps
    for w in re.findall(r"[a-z]{5,}", re.sub(r"\\[a-zA-Z]", " ", p))
) | frozenset(
    [
        "forecast",
        "competitor",
        "competitors",
        "reviews",
        "complaints",
        "sentiment",
        "revenue",
        "overstock",
        "stockout",
        "promotions",
        "recommend",
        "overpriced",
        "cheaper",
        "expensive",
        "customers",
        "demand",
        "selling",
        "sellers",
        "ratings",
        "inventory",
        "restock",
        "reorder",
    ]
)
"""The phrasings' words: a question's word one typo away from one is read as it."""


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
    found = {i for i in Intent if any(p.search(text) for p in _COMPILED[i])}
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
_SORTED_KEYWORDS = tuple(sorted(_KEYWORDS))


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
        if len(token) >= 5 and token.isalpha() and token not in _KEYWORDS:
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
