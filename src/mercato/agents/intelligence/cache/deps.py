"""Dependency names: what an entry lists, and what a change of the data invalidates.

An entry lists every dependency it was computed from:
- a product-scoped analysis of kind K: `product:<id>` for each product it read, `category:<id>`
  for each category it was asked about, and `kind:K`;
- a category-scoped analysis: `category:<id>`, `store:K` and `kind:K` (events do not say
  which category a product was in, so any product change of kind K reaches it through
  `store:K`);
- a store-wide analysis: `store:K` and `kind:K`.

A change to product P that affects kinds Ks invalidates `product:P` and `store:K` for each K
in Ks: every entry that read P, directly or store-wide, and no other. A new model or a
change to how a kind is computed invalidates `kind:K` (every entry of K).
"""

from __future__ import annotations

from collections.abc import Iterable

from mercato.agents.intelligence.cache.config import KINDS, UnknownKindError


def _known(kind: str) -> str:
    if kind not in KINDS:
        raise UnknownKindError(f"unknown kind {kind!r}; kinds: {', '.join(KINDS)}")
    return kind


def product(product_id: str) -> str:
    return f"product:{product_id}"


def category(category_id: str) -> str:
    return f"category:{category_id}"


def store(kind: str) -> str:
    return f"store:{_known(kind)}"


def of_kind(kind: str) -> str:
    return f"kind:{_known(kind)}"


def for_products(
    kind: str, product_ids: Iterable[str], categories: Iterable[str] = ()
) -> list[str]:
    """What a product-scoped analysis of `kind` depends on."""
    return [
        *dict.fromkeys(product(p) for p in product_ids),
        *dict.fromkeys(category(c) for c in categories),
        of_kind(kind),
    ]


def for_category(kind: str, category_id: str) -> list[str]:
    """What a category-scoped analysis of `kind` depends on."""
    return [category(category_id), store(kind), of_kind(kind)]


def for_store(kind: str) -> list[str]:
    """What a store-wide analysis of `kind` depends on."""
    return [store(kind), of_kind(kind)]


def product_changed(product_id: str, kinds: Iterable[str]) -> list[str]:
    """What a change to a product, affecting these kinds, invalidates."""
    return [product(product_id), *dict.fromkeys(store(kind) for kind in kinds)]
