"""A grammar of merchants' questions for the router's property tests (seed 001 properties 26
and 32): a generated store vocabulary, and questions composed of an intent's phrasing, an
entity (a product, a category or the whole store), a competitor or marketplace, an option
value, a period and a mode, with the case, spacing and a few typos of real typing. Each
question comes with what the router should read from it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from hypothesis import strategies as st

from mercato.agents.intelligence.ask.scope import Intent, Mode
from mercato.agents.intelligence.ask.vocabulary import (
    CategoryTerm,
    ProductTerm,
    Vocabulary,
    words_of,
)

TODAY = date(2026, 12, 6)
BRANDS = ("Aster", "Borealis", "Cobalt", "Dune", "Ember", "Fjord", "Glacier", "Harbor")
MODELS = ("Parka", "Tote", "Beanie", "Sandal", "Vest", "Anorak")
CATEGORIES = ("Backpacks", "Gloves", "Scarves", "Tents", "Lanterns", "Socks")
COLOURS = ("teal", "maroon", "olive", "amber", "ivory")
COMPETITORS = ("Rivalmart", "Shopzilla", "Outfitterz")
MARKETPLACES = ("Amazon", "Etsy", "Kaufland")

PAST_PERIODS = {
    "last month": "November 2026",
    "in March": "March 2026",
    "over the last 14 days": "the last 14 days",
    "since 1 October": "since 1 October 2026",
    "year to date": "2026 to date",
    "yesterday": "yesterday",
    "in Q3": "Q3 2026",
    "last week": "week 48 of 2026",
    "this month": "this month",
}
FUTURE_PERIODS = {
    "next month": "next month (January 2027)",
    "over the next 4 weeks": "the next 4 weeks",
    "in March": "March 2027",
}
DEFAULT_PERIOD = "the last 30 days"
DEEP_WORDS = ("in depth", "deep dive:", "a thorough look -", "full analysis:", "detailed")

X = "{x}"
PHRASINGS: dict[Intent, tuple[str, ...]] = {
    Intent.PRICE_POSITION: (
        "how are my prices for {x}",
        "am I cheaper than the market on {x}",
        "is {x} overpriced",
        "what is the price gap on {x}",
        "{x}: price compared to others",
    ),
    Intent.COMPETITOR_MOVES: (
        "have competitors changed prices on {x}",
        "what are competitors doing with {x}",
        "any promotions on {x}",
        "is anyone undercutting me on {x}",
    ),
    Intent.SENTIMENT: (
        "what do customers think of {x}",
        "show me the reveiws of {x}",
        "complaints about {x}",
        "sentiment for {x}",
        "ratings of {x}",
    ),
    Intent.FORECAST: (
        "forecast for {x}",
        "how many {x} will I sell",
        "what is the forcast of {x}",
    ),
    Intent.STOCK_RISK: (
        "will I run out of {x}",
        "stockout risk for {x}",
        "do I have too much stock of {x}",
        "reorder point for {x}",
    ),
    Intent.SALES_TREND: (
        "why did sales of {x} drop",
        "how did sales of {x} grow",
        "revenue from {x}",
        "best sellers among {x}",
    ),
    Intent.ADVICE: (
        "what should I do about {x}",
        "recommend actions for {x}",
        "how can I improve {x}",
    ),
}
PAIRS = (
    ("why did sales of {x} drop and what should I do", (Intent.SALES_TREND, Intent.ADVICE)),
    ("what do customers say about {x} and will I run out", (Intent.SENTIMENT, Intent.STOCK_RISK)),
    (
        "how are my prices for {x} and what are competitors doing",
        (Intent.PRICE_POSITION, Intent.COMPETITOR_MOVES),
    ),
)
MOVES = {Intent.COMPETITOR_MOVES, Intent.PRICE_POSITION}
"""The intents a competitor is named with (with others, "Rivalmart" and a "drop" read as
a competitor's move)."""


def store() -> Vocabulary:
    products = []
    for n, (brand, model) in enumerate((b, m) for b in BRANDS for m in MODELS):
        name = f"{brand} {model}"
        category = f"c{n % len(CATEGORIES)}"
        products.append(
            ProductTerm(
                f"p{n}",
                name,
                category,
                {"colour": set(COLOURS[n % 3 : n % 3 + 3]), "size": {"s", "m", "l"}},
                words_of(name),
            )
        )
    categories = [
        CategoryTerm(f"c{n}", name, ("Outdoor", name), words_of(name))
        for n, name in enumerate(CATEGORIES)
    ]
    return Vocabulary(products, categories, list(COMPETITORS), list(MARKETPLACES))


STORE = store()


@dataclass
class Question:
    text: str
    intents: tuple[Intent, ...]
    product_ids: tuple[str, ...] = ()
    category_id: str | None = None
    competitor: str | None = None
    marketplace: str | None = None
    filters: dict[str, str] = field(default_factory=dict)
    period: str = DEFAULT_PERIOD
    mode: Mode = Mode.QUICK
    given_mode: Mode | None = None


def _typed(text: str, draw: st.DrawFn) -> str:
    """As people type: any case, doubled spaces, a question mark or not."""
    style = draw(st.sampled_from(["lower", "upper", "title", "as is", "first"]))
    if style == "lower":
        text = text.lower()
    elif style == "upper":
        text = text.upper()
    elif style == "title":
        text = text.title()
    elif style == "first":
        text = text[:1].upper() + text[1:]
    if draw(st.booleans()):
        text = text.replace(" ", "  ", 1)
    return text + draw(st.sampled_from(["", "?", " ?", "!", " please"]))


@st.composite
def questions(draw: st.DrawFn) -> Question:
    if draw(st.integers(0, 4)) == 0:
        phrasing, intents = draw(st.sampled_from(PAIRS))
    else:
        intent = draw(st.sampled_from(list(Intent)))
        phrasing, intents = draw(st.sampled_from(PHRASINGS[intent])), (intent,)
    question = Question("", tuple(i for i in Intent if i in intents))
    subject = draw(st.sampled_from(["product", "category", "store"]))
    if subject == "product":
        product = draw(st.sampled_from(STORE.products))
        entity = product.name
        question.product_ids = (product.id,)
        options = product.options["colour"]
    elif subject == "category":
        category = draw(st.sampled_from(STORE.categories))
        entity = category.name.lower()
        question.category_id = category.id
        options = set(COLOURS)
    else:
        entity, options = "my products", set(COLOURS)
    if draw(st.booleans()):
        colour = draw(st.sampled_from(sorted(options)))
        entity = f"the {colour} {entity}" if subject != "store" else f"{colour} products"
        question.filters = {"colour": colour}
    text = phrasing.replace(X, entity)
    if set(intents) <= MOVES and draw(st.booleans()):
        question.competitor = draw(st.sampled_from(COMPETITORS))
        text += f" at {question.competitor}"
    if draw(st.booleans()):
        question.marketplace = draw(st.sampled_from(MARKETPLACES))
        text += f" on {question.marketplace}"
    periods = FUTURE_PERIODS if Intent.FORECAST in intents else PAST_PERIODS
    if draw(st.booleans()):
        phrase = draw(st.sampled_from(sorted(periods)))
        question.period = periods[phrase]
        text += f" {phrase}"
    given = draw(st.sampled_from([None, None, Mode.QUICK, Mode.DEEP]))
    deep = draw(st.booleans())
    if deep:
        word = draw(st.sampled_from(DEEP_WORDS))
        text = f"{word} {text}" if word.endswith((":", "-")) else f"{text} {word}"
    question.given_mode = given
    question.mode = given or (Mode.DEEP if deep else Mode.QUICK)
    question.text = _typed(text, draw)
    return question


FOLLOW_UPS = ("filter", "period", "competitor", "marketplace", "category", "why", "intent")


@dataclass
class FollowUp:
    text: str
    kind: str
    value: str = ""
    intent: Intent | None = None


@st.composite
def follow_ups(draw: st.DrawFn) -> FollowUp:
    kind = draw(st.sampled_from(FOLLOW_UPS))
    if kind == "filter":
        colour = draw(st.sampled_from(COLOURS))
        form = draw(st.sampled_from(["and for the {} ones?", "what about {} ones?", "only {}"]))
        return FollowUp(_typed(form.format(colour), draw), kind, colour)
    if kind == "period":
        phrase = draw(st.sampled_from(["last month", "last week", "yesterday", "in Q3"]))
        form = draw(st.sampled_from(["what about {}?", "and {}?", "same but {}"]))
        return FollowUp(_typed(form.format(phrase), draw), kind, PAST_PERIODS[phrase])
    if kind in ("competitor", "marketplace"):
        name = draw(st.sampled_from(COMPETITORS if kind == "competitor" else MARKETPLACES))
        form = draw(st.sampled_from(["and {}?", "what about {}?", "how about {}"]))
        return FollowUp(_typed(form.format(name), draw), kind, name)
    if kind == "category":
        category = draw(st.sampled_from(STORE.categories))
        form = draw(st.sampled_from(["same for {}", "and for {}?", "what about {}?"]))
        return FollowUp(_typed(form.format(category.name.lower()), draw), kind, category.id)
    if kind == "why":
        return FollowUp(
            _typed(draw(st.sampled_from(["why", "and why", "why is that"])), draw), kind
        )
    intent, phrase = draw(
        st.sampled_from(
            [
                (Intent.FORECAST, "and the forecast?"),
                (Intent.SENTIMENT, "what about the reviews?"),
                (Intent.STOCK_RISK, "and the stockout risk?"),
                (Intent.ADVICE, "and what should I do?"),
            ]
        )
    )
    return FollowUp(_typed(phrase, draw), kind, intent=intent)
