"""Edge-case records: the catalog's edge cases (EC…) that data can show, as records.

A record either breaks exactly one registered rule (the one it names: `breaks_rule`), being
what a client would send and the store must refuse, or breaks none, being a boundary the
store must accept (`breaks_rule` None: EC008's huge total, EC009's names). Every record's
rules are measured like any other's, and must come out that way (`generate` raises
`GeneratorDefectError` otherwise), so a builder draws its lines from a pool that cannot break
a second rule (EC007's lines ship, so 0 units still leave shipping to pay: BR001, not BR002).

Edge cases about timing, concurrency, networks or integrations, where no single record shows
the case, are not generated: EC001, EC003-EC005, EC014 (discount codes are not generated),
EC016 (a script in a review: proven by the reviews agent's tests, not a generated record),
EC018, EC019-EC028."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from mercato.agents.knowledge.edge_cases import EDGE_CASES
from mercato.agents.knowledge.testdata.formats import datetime_of, micros_of
from mercato.agents.knowledge.testdata.makers import Item, Makers
from mercato.agents.knowledge.testdata.words import UNICODE_NAMES

Build = Callable[[Makers, str], list[Item]]


@dataclass(frozen=True)
class Recipe:
    id: str
    entities: tuple[str, ...]
    how: str
    build: Build


def _ec002(m: Makers, entity: str) -> list[Item]:
    last = m.t.catalog.special("last_unit")
    item = m.order("single_item", lines=[(last, 2)], restock=False, consume=False)
    return [item.as_edge("EC002", "BR014")]


def _ec006(m: Makers, entity: str) -> list[Item]:
    pool = m.t.catalog.pool("USD")
    items = []
    for count, breaks in ((100, None), (101, "BR003")):
        lines = [(v, 1) for v in m.t.rng.sample(pool, count)]
        items.append(_lines(m, entity, lines, consume=breaks is None).as_edge("EC006", breaks))
    return items


def _ec007(m: Makers, entity: str) -> list[Item]:
    # A variant that ships: an order of 0 units of it still has its shipping to pay, so it
    # breaks BR001 alone (a digital one would leave a total of 0.00, breaking BR002 too).
    pool = m.t.catalog.pool("USD:ships")
    items = []
    for quantity in (0, 1, 99, 100):
        breaks = "BR001" if quantity in (0, 100) else None
        lines = [(pool[int(m.t.rng.random() * len(pool))], quantity)]
        items.append(_lines(m, entity, lines, consume=breaks is None).as_edge("EC007", breaks))
    return items


def _ec008(m: Makers, entity: str) -> list[Item]:
    lines = [(m.t.catalog.special("large"), 3)]  # 3 x 333,333.33 = 999,999.99
    return [_lines(m, entity, lines).as_edge("EC008", None)]


def _ec009(m: Makers, entity: str) -> list[Item]:
    items = []
    for name in UNICODE_NAMES:
        if entity == "customer":
            item = m.customer("happy_path", name=name)
        elif entity == "cart":
            item = m.cart("happy_path", name=name)
        else:
            item = m.order("happy_path", name=name)
        items.append(item.as_edge("EC009", None))
    return items


def _ec010(m: Makers, entity: str) -> list[Item]:
    if entity == "product":
        return [m.product("free_product").as_edge("EC010", None)]
    free = next(v for v in m.t.catalog.pool("free") if not v.product.requires_shipping)
    return [_lines(m, entity, [(free, 1)]).as_edge("EC010", None)]


def _ec011(m: Makers, entity: str) -> list[Item]:
    item = m.customer("happy_path")
    item.graph["full_name"] = ""
    item.graph["password"] = ""
    return [item.as_edge("EC011", "BR017")]


def _ec012(m: Makers, entity: str) -> list[Item]:
    year = datetime_of(m.t.now).year - 1
    midnight = micros_of(datetime(year, 12, 31, 23, 59, 59, 999_000, tzinfo=UTC))
    make = m.payment if entity == "payment" else m.order
    return [make("happy_path", placed=midnight).as_edge("EC012", None)]


def _ec013(m: Makers, entity: str) -> list[Item]:
    pool = m.t.catalog.pool("USD")
    variant = pool[int(m.t.rng.random() * len(pool))]
    seen = [variant.price + variant.price // 10]  # it cost 10 % more when it was added
    return [m.cart("happy_path", lines=[(variant, 1)], seen_prices=seen).as_edge("EC013", None)]


def _ec015(m: Makers, entity: str) -> list[Item]:
    variant = m.t.catalog.special("injection")
    if entity == "product":
        return [Item("product", variant.product).as_edge("EC015", None)]
    return [_lines(m, entity, [(variant, 1)]).as_edge("EC015", None)]


def _ec017(m: Makers, entity: str) -> list[Item]:
    make = m.payment if entity == "payment" else m.order
    return [make("card_declined", failure="gateway_unavailable").as_edge("EC017", None)]


def _lines(m: Makers, entity: str, lines: list, *, consume: bool = True) -> Item:  # type: ignore[type-arg]
    """A record of `entity` (order, payment or cart) with exactly these lines."""
    if entity == "cart":  # a cart holds no stock: restocking for its lines changes nothing
        return m.cart("happy_path", lines=lines)
    make = m.payment if entity == "payment" else m.order
    return make("happy_path", lines=lines, consume=consume, restock=True)


_RECIPES = (
    Recipe("EC002", ("order",), "two units ordered of a product with one left: BR014", _ec002),
    Recipe("EC006", ("order", "cart"), "100 unique lines (accepted), 101 (BR003)", _ec006),
    Recipe(
        "EC007",
        ("order", "cart"),
        "a line of 0, 1, 99 and 100 units: 0 and 100 break BR001",
        _ec007,
    ),
    Recipe(
        "EC008",
        ("order", "payment", "cart"),
        "a total of exactly 999,999.99 (accepted; the payment held for review)",
        _ec008,
    ),
    Recipe(
        "EC009",
        ("customer", "order", "cart"),
        "accounts named O'Brien, José García, 日本語 and 🎉 Party (accepted)",
        _ec009,
    ),
    Recipe(
        "EC010",
        ("product", "order", "cart"),
        "a free product (0.00, BR012's exception); an order of it has nothing to pay",
        _ec010,
    ),
    Recipe("EC011", ("customer",), "a sign-up with an empty name and password: BR017", _ec011),
    Recipe(
        "EC012",
        ("order", "payment"),
        "placed at 23:59:59.999 on 31 December: numbered in that year",
        _ec012,
    ),
    Recipe("EC013", ("cart",), "a line whose price dropped 10 % after it was added", _ec013),
    Recipe(
        "EC015",
        ("product", "order", "cart"),
        "a product named '; DROP TABLE products; -- (stored as text)",
        _ec015,
    ),
    Recipe(
        "EC017",
        ("order", "payment"),
        "a checkout while the gateway was down: payment failed (gateway_unavailable), "
        "order cancelled, cart given back (then abandoned)",
        _ec017,
    ),
)
RECIPES: dict[str, Recipe] = {recipe.id: recipe for recipe in _RECIPES}
_WORKFLOW = {case.id: case.workflow for case in EDGE_CASES}


def applicable_edge_cases(
    entity: str, workflow: str | None, recipes: Mapping[str, Recipe] = RECIPES
) -> list[str]:
    """The generated edge cases an entity can show (in a workflow: those of it or of none)."""
    return [
        recipe.id
        for recipe in recipes.values()
        if entity in recipe.entities
        and (workflow is None or _WORKFLOW.get(recipe.id) in (None, workflow))
    ]


def build(
    case_id: str, entity: str, makers: Makers, recipes: Mapping[str, Recipe] = RECIPES
) -> list[Item]:
    return recipes[case_id].build(makers, entity)
