"""The router against questions a merchant would write, written freehand (not from the
router's phrasings or the property tests' grammar): varied wording, typos, slang, and
questions it should not understand. Each names the intents and the scope a careful reader
would take from it. An item is right only when every field is.

Accuracy, recorded honestly:
- QUESTIONS (50), first run: 29/50 (58%). Then two bugs were fixed (the typo mender took
  regex escapes for words, "brunning"; "hoodies" was made "hoody") : 32/50 (64%). Then
  general rules were added, chosen from the kinds of misreadings seen (a named competitor
  with a change word is a competitor's move; a price with a comparison is a price position;
  topic words when no phrasing matches; forecasts look ahead; a year as a period; the product
  or category covering more words wins): 46/50 (92%). That last figure is optimistic, since
  the list guided the rules.
- HOLDOUT (25), written after the last change to the router and run once: 18/25 (72%): the
  unbiased estimate. It is never used to change the router.
"""

# ruff: noqa: E501  (the questions are a table: one question a line)
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from mercato.agents.intelligence.ask.router import route
from mercato.agents.intelligence.ask.scope import Intent, Mode, Route
from mercato.agents.intelligence.ask.vocabulary import (
    CategoryTerm,
    ProductTerm,
    Vocabulary,
    words_of,
)

TODAY = date(2026, 12, 6)
FIRST_RUN_ACCURACY = 29 / 50
FINAL_ACCURACY = 46 / 50
HOLDOUT_ACCURACY = 18 / 25
FLOOR = 0.7


def _product(
    id_: str, name: str, category: str, options: dict[str, set[str]] | None = None
) -> ProductTerm:
    return ProductTerm(id_, name, category, options or {}, words_of(name))


def _category(id_: str, *path: str) -> CategoryTerm:
    return CategoryTerm(id_, path[-1], tuple(path), words_of(path[-1]))


SIZES = {"40", "41", "42", "43", "44", "45"}
STORE = Vocabulary(
    products=[
        _product(
            "p1", "Trail Runner Pro", "running", {"colour": {"blue", "black", "red"}, "size": SIZES}
        ),
        _product(
            "p2",
            "Alpine Merino Hoodie",
            "hoodies",
            {"colour": {"grey", "navy"}, "size": {"s", "m", "l", "xl"}},
        ),
        _product("p3", "City Sneaker", "sneakers", {"colour": {"white", "black"}, "size": SIZES}),
        _product(
            "p4",
            "Summit Down Jacket",
            "jackets",
            {"colour": {"red", "black"}, "size": {"s", "m", "l"}},
        ),
        _product(
            "p5",
            "Everyday Cotton Tee",
            "tees",
            {"colour": {"white", "blue", "green"}, "size": {"s", "m", "l"}},
        ),
        _product("p6", "Hydro Bottle 750ml", "accessories"),
        _product("p7", "Yoga Mat Deluxe", "yoga", {"colour": {"purple", "black"}}),
        _product(
            "p8", "Kids Rain Boots", "kids", {"colour": {"yellow"}, "size": {"28", "30", "32"}}
        ),
    ],
    categories=[
        _category("shoes", "Shoes"),
        _category("running", "Shoes", "Running shoes"),
        _category("sneakers", "Shoes", "Sneakers"),
        _category("kids", "Shoes", "Kids shoes"),
        _category("clothing", "Clothing"),
        _category("hoodies", "Clothing", "Hoodies"),
        _category("jackets", "Clothing", "Jackets"),
        _category("tees", "Clothing", "T-shirts"),
        _category("accessories", "Accessories"),
        _category("yoga", "Yoga"),
    ],
    competitors=["SportShop", "Decathlon", "OutdoorPlanet"],
    marketplaces=["Amazon DE", "eBay"],
)

P, C, S, F, R, T, A = (
    Intent.PRICE_POSITION,
    Intent.COMPETITOR_MOVES,
    Intent.SENTIMENT,
    Intent.FORECAST,
    Intent.STOCK_RISK,
    Intent.SALES_TREND,
    Intent.ADVICE,
)


@dataclass(frozen=True)
class Expected:
    question: str
    intents: frozenset[Intent]
    products: frozenset[str] = frozenset()
    category: str | None = None
    competitor: str | None = None
    marketplace: str | None = None
    filters: dict[str, str] = field(default_factory=dict)
    period: str | None = None
    """The period's label; None: not checked (the default)."""
    mode: Mode = Mode.QUICK


def q(question: str, *intents: Intent, products: tuple[str, ...] = (), **scope: object) -> Expected:
    return Expected(question, frozenset(intents), frozenset(products), **scope)  # type: ignore[arg-type]


QUESTIONS = [
    q("Are my running shoes priced ok compared to Decathlon?", P, category="running", competitor="Decathlon"),
    q("why have hoodie sales tanked since september??", T, category="hoodies", period="since 1 September 2026"),
    q("what are people saying about the Summit Down Jacket", S, products=("p4",)),
    q("will we run out of trail runner pro in size 42 before christmas", R, products=("p1",), filters={"size": "42"}),
    q("Give me a forecast for t-shirts for next month", F, category="tees", period="next month (January 2027)"),
    q("tell me a joke"),
    q("Did SportShop drop their prices on sneakers last week?", C, category="sneakers", competitor="SportShop", period="week 48 of 2026"),
    q("what should I do about the yoga mats", A, products=("p7",)),
    q("how many merino hoodies am I going to sell in january", F, products=("p2",), period="January 2027"),
    q("Best sellers this month?", T, period="this month"),
    q("Which products have bad reviews", S),
    q("Am I overpriced on amazon?", P, marketplace="Amazon DE"),
    q("deep dive into jacket sales over the last quarter please", T, category="jackets", period="Q3 2026", mode=Mode.DEEP),
    q("what's the weather like in Berlin"),
    q("Is there too much stock of the kids rain boots?", R, products=("p8",)),
    q("competitors running any promos on hoodies right now?", C, category="hoodies"),
    q("How did revenue develop in Q3", T, period="Q3 2026"),
    q("recomend actions to improve my sneaker margins", A, category="sneakers"),
    q("customer complaints about the white city sneaker", S, products=("p3",), filters={"colour": "white"}),
    q("what do my customers think about the blue tees", S, products=("p5",), filters={"colour": "blue"}),
    q("Hydro bottle sales are down 20%, why?", T, products=("p6",)),
    q("reorder suggestions for the black trail runners", R, A, products=("p1",), filters={"colour": "black"}),
    q("How am I positioned price-wise against OutdoorPlanet for jackets", P, category="jackets", competitor="OutdoorPlanet"),
    q("sales last 7 days", T, period="the last 7 days"),
    q("What happened to my sales yesterday", T, period="yesterday"),
    q("expected demand for the Alpine Merino Hoodie over the next 4 weeks, detailed please", F, products=("p2",), period="the next 4 weeks", mode=Mode.DEEP),
    q("hi there"),
    q("is decathlon undercutting me on the summit jacket", C, products=("p4",), competitor="Decathlon"),
    q("What's my star rating trend for yoga stuff in 2026", S, category="yoga", period="2026 to date"),
    q("Should I lower the price of the trail runner pro?", P, A, products=("p1",)),
    q("stockout risk across the store", R),
    q("what are competitors doing this week?", C, period="this week"),
    q("Compare my sneaker prices with zalando and sportshop", P, category="sneakers", competitor="SportShop"),
    q("how are t shirts selling on ebay", T, category="tees", marketplace="eBay"),
    q("I need a full analysis of why jacket revenue fell in November and what to do about it", T, A, category="jackets", period="November 2026", mode=Mode.DEEP),
    q("sentiment on hoodies, last 3 months", S, category="hoodies", period="the last 3 months"),
    q("Which items will sell out soon?", R),
    q("How much stock of red jackets do I have?", R, category="jackets", filters={"colour": "red"}),
    q("what's the price gap between me and SportShop on running shoes", P, category="running", competitor="SportShop"),
    q("Write me a poem about shoes"),
    q("are customers happy with the down jacket since october", S, products=("p4",), period="since 1 October 2026"),
    q("Forecast kids rain boots demand for Q1", F, products=("p8",), period="Q1 2027"),
    q("how are we doing", T),
    q("any price changes from competitors on the merino hoodie?", C, products=("p2",)),
    q("Help me figure out what to restock for black friday", R, A),
    q("cancel my subscription"),
    q("Top 10 products by revenue last year", T, period="2025"),
    q("Is the Everyday Cotton Tee in green overpriced vs Decathlon?", P, products=("p5",), filters={"colour": "green"}, competitor="Decathlon"),
    q("what r ppl saying abt my sneakers on amazon", S, category="sneakers", marketplace="Amazon DE"),
    q("How will the cold weather affect demand for jackets next month", F, category="jackets", period="next month (January 2027)"),
]  # fmt: skip


HOLDOUT = [
    q("How do my hoodie prices stack up against SportShop?", P, category="hoodies", competitor="SportShop"),
    q("Has OutdoorPlanet cut prices on jackets this month", C, category="jackets", competitor="OutdoorPlanet", period="this month"),
    q("Are shoppers unhappy with the Yoga Mat Deluxe?", S, products=("p7",)),
    q("projected sales of city sneakers for february", F, products=("p3",), period="February 2027"),
    q("do we have enough kids rain boots in size 30 for the winter", R, products=("p8",), filters={"size": "30"}),
    q("what were my top sellers in October", T, period="October 2026"),
    q("how's the everyday tee doing on ebay", T, products=("p5",), marketplace="eBay"),
    q("any tips to boost revenue from accessories?", T, A, category="accessories"),
    q("What's Decathlon charging for trail runners compared to me", P, products=("p1",), competitor="Decathlon"),
    q("reviews of navy merino hoodie", S, products=("p2",), filters={"colour": "navy"}),
    q("Which running shoes am I likely to sell out of next week?", R, category="running", period="next week"),
    q("give me a detailed breakdown of sneaker sales since the start of November", T, category="sneakers", period="since 1 November 2026", mode=Mode.DEEP),
    q("What's the capital of France?"),
    q("do customers complain about sizing on the Summit Down Jacket", S, products=("p4",)),
    q("is my stock of grey hoodies too high", R, category="hoodies", filters={"colour": "grey"}),
    q("how much money did the store make last week", T, period="week 48 of 2026"),
    q("thanks!"),
    q("predict demand for yoga mats in Q2", F, products=("p7",), period="Q2 2027"),
    q("Compare prices of the Alpine Merino Hoodie on Amazon vs SportShop", P, products=("p2",), marketplace="Amazon DE", competitor="SportShop"),
    q("Are competitors discounting t-shirts right now", C, category="tees"),
    q("What should I change to sell more hydro bottles?", A, products=("p6",)),
    q("sentiment trend for jackets over the past 6 months, thorough please", S, category="jackets", period="the last 6 months", mode=Mode.DEEP),
    q("Why are the red trail runner pro not selling?", T, products=("p1",), filters={"colour": "red"}),
    q("book a meeting with my accountant"),
    q("overstock risk for black city sneakers", R, products=("p3",), filters={"colour": "black"}),
]  # fmt: skip
"""Written after the router's last change, run once: never used to change it."""


def misreadings(expected: Expected, got: Route) -> list[str]:
    """What the router read differently from the expectation (empty: right)."""
    wrong: list[str] = []
    if frozenset(got.intents) != expected.intents:
        wrong.append(f"intents {sorted(got.intents)}")
    if got.understood != bool(expected.intents):
        wrong.append(f"understood {got.understood}")
    if not expected.intents:
        return wrong
    scope = got.scope
    if frozenset(scope.product_ids) != expected.products:
        wrong.append(f"products {scope.product_ids}")
    if scope.category_id != expected.category:
        wrong.append(f"category {scope.category_id}")
    if scope.competitor != expected.competitor:
        wrong.append(f"competitor {scope.competitor}")
    if scope.marketplace != expected.marketplace:
        wrong.append(f"marketplace {scope.marketplace}")
    if scope.filters != expected.filters:
        wrong.append(f"filters {scope.filters}")
    if expected.period is not None and (
        scope.period is None or scope.period.label != expected.period
    ):
        wrong.append(f"period {scope.period.label if scope.period else None}")
    if got.mode != expected.mode:
        wrong.append(f"mode {got.mode}")
    return wrong


def evaluate(questions: list[Expected] = QUESTIONS) -> tuple[float, dict[str, list[str]]]:
    failures: dict[str, list[str]] = {}
    for expected in questions:
        wrong = misreadings(expected, route(expected.question, STORE, today=TODAY))
        if wrong:
            failures[expected.question] = wrong
    return 1 - len(failures) / len(questions), failures


def test_the_list_has_at_least_forty_questions_some_not_understandable() -> None:
    # given the freehand list
    # then it is long enough to measure, and holds questions the router must not understand
    assert len(QUESTIONS) >= 40
    assert sum(1 for e in QUESTIONS if not e.intents) >= 5


def test_the_router_reads_most_freehand_questions_right() -> None:
    # given the merchant's questions written freehand
    # when the router reads each
    accuracy, failures = evaluate()
    # then its accuracy is the one recorded, above the floor
    print(f"router accuracy on the freehand list: {accuracy:.0%}; misread: {failures}")
    assert accuracy >= FLOOR, failures
    assert round(accuracy, 2) >= round(FINAL_ACCURACY, 2), failures


def test_the_router_reads_most_held_out_questions_right() -> None:
    # given questions written after the router's last change
    # when the router reads each
    accuracy, failures = evaluate(HOLDOUT)
    # then its accuracy is the one recorded when they were first run
    print(f"router accuracy on the held-out list: {accuracy:.0%}; misread: {failures}")
    assert accuracy >= FLOOR, failures
    assert round(accuracy, 2) >= round(HOLDOUT_ACCURACY, 2), failures


def test_questions_about_something_else_are_not_understood() -> None:
    # given questions that are not about the store's commerce
    unrelated = [e.question for e in (*QUESTIONS, *HOLDOUT) if not e.intents]
    # when the router reads them
    routes = [route(question, STORE, today=TODAY) for question in unrelated]
    # then none is understood, and none carries an intent
    assert [(r.understood, r.intents) for r in routes] == [(False, ())] * len(unrelated)
