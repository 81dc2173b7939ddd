"""The products a question is about, read through the catalog agent's service: the ones it
names, its category's (subcategories included), or the store's; narrowed by the option
filters it names ("the blue ones") and, for a merchant, to the merchant's own products."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from mercato.agents.catalog import service as catalog
from mercato.agents.intelligence.access import MANAGE
from mercato.agents.intelligence.ask.kept import Kept
from mercato.agents.intelligence.ask.scope import Scope
from mercato.kernel.auth import Principal
from mercato.kernel.db import UnitOfWork

if TYPE_CHECKING:
    from mercato.kernel.bootstrap import Kernel

PAGE = 500
CATALOGUE_SECONDS = 30.0
"""How long a store's catalogue, as questions read it, is kept in this process: a product
added in the meantime is in scope of questions asked after that."""
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


async def catalogue(kernel: Kernel) -> list[ScopedProduct]:
    """The store's sellable products, read again at most every `CATALOGUE_SECONDS` (a
    store-wide or category question would otherwise read the whole catalogue each time)."""

    async def read() -> list[ScopedProduct]:
        async with kernel.uow(writes=False) as uow:
            facts = await catalog.product_facts(uow, await _all_ids(uow))
        return [p for p in (_scoped(f) for f in facts.values()) if p.sellable]

    return await kernel.deps(Kept).get("catalogue", CATALOGUE_SECONDS, read)


async def in_scope(kernel: Kernel, scope: Scope, principal: Principal) -> list[ScopedProduct]:
    """The scope's products the principal may analyse, sellable ones first, in name order:
    the ones it names as they are now, or the (recent) catalogue's."""
    if scope.product_ids:
        async with kernel.uow(writes=False) as uow:
            facts = await catalog.product_facts(uow, list(scope.product_ids))
        found = [_scoped(f) for f in facts.values()]
    else:
        found = list(await catalogue(kernel))
    if scope.category_id is not None and not scope.product_ids:
        marker = f"/{scope.category_id}/"
        found = [p for p in found if marker in (p.category_path or "")]
    if scope.filters:
        found = [p for p in found if matches_filters(p, scope.filters)]
    found = [p for p in found if visible_to(p, principal)]
    return sorted(found, key=lambda p: (not p.sellable, p.name.lower(), p.id))
