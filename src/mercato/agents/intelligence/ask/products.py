"""The products a question is about, read through the catalog agent's service: the ones it
names, its category's (subcategories included), or the store's; narrowed by the option
filters it names ("the blue ones") and, for a merchant, to the merchant's own products."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from mercato.agents.catalog import service as catalog
from mercato.agents.intelligence.access import MANAGE
from mercato.agents.intelligence.ask.scope import Scope
from mercato.kernel.auth import Principal
from mercato.kernel.db import UnitOfWork

PAGE = 500
MAX_PRODUCTS = 2_000
"""A store-wide question reads at most this many products (the analysts bound theirs further)."""
COLOUR_NAMES = frozenset({"colour", "color"})


@dataclass(frozen=True)
class ScopedProduct:
    id: str
    name: str
    price: Decimal
    currency: str
    merchant_id: str | None
    category_id: str | None
    category_path: str | None
    categories: tuple[str, ...]
    pairs: frozenset[tuple[str, str]]
    """Every (option or attribute name, value) of it and its active variants, lower-cased."""
    sellable: bool


def _scoped(facts: catalog.ProductFacts) -> ScopedProduct:
    return ScopedProduct(
        id=facts.product_id,
        name=facts.name,
        price=facts.price,
        currency=facts.currency,
        merchant_id=facts.merchant_id,
        category_id=facts.category_id,
        category_path=facts.category_path,
        categories=tuple(facts.categories),
        pairs=frozenset(facts.attribute_pairs),
        sellable=facts.sellable,
    )


async def _all_ids(uow: UnitOfWork) -> list[str]:
    ids: list[str] = []
    after: str | None = None
    while len(ids) < MAX_PRODUCTS:
        page = await catalog.product_ids_after(uow, after, PAGE)
        ids.extend(page)
        if len(page) < PAGE:
            break
        after = page[-1]
    return ids[:MAX_PRODUCTS]


def matches_filters(product: ScopedProduct, filters: dict[str, str]) -> bool:
    """Each filter's value among the product's values of that option (colour and color are
    one option)."""
    for name, value in filters.items():
        names = COLOUR_NAMES if name.lower() in COLOUR_NAMES else {name.lower()}
        wanted = value.lower()
        if not any(n in names and (v == wanted or wanted in v.split()) for n, v in product.pairs):
            return False
    return True


def visible_to(product: ScopedProduct, principal: Principal) -> bool:
    return principal.can(MANAGE) or (
        principal.merchant_id is not None and product.merchant_id == principal.merchant_id
    )


async def in_scope(uow: UnitOfWork, scope: Scope, principal: Principal) -> list[ScopedProduct]:
    """The scope's products the principal may analyse, sellable ones first, in name order."""
    ids = list(scope.product_ids) if scope.product_ids else await _all_ids(uow)
    facts = await catalog.product_facts(uow, ids)
    found = [_scoped(f) for f in facts.values()]
    if not scope.product_ids:
        found = [p for p in found if p.sellable]
    if scope.category_id is not None and not scope.product_ids:
        marker = f"/{scope.category_id}/"
        found = [p for p in found if marker in (p.category_path or "")]
    if scope.filters:
        found = [p for p in found if matches_filters(p, scope.filters)]
    found = [p for p in found if visible_to(p, principal)]
    return sorted(found, key=lambda p: (not p.sellable, p.name.lower(), p.id))
