"""The shipping option a shopper chose for a cart (the shipping agent quotes and offers the
options; the cart keeps the one chosen and prices shipping by it).

A choice holds for the items it was quoted for: once the shopper adds, removes or changes a
line, it no longer prices the cart (the store's standard shipping does again, and the
shopper asks for rates anew), so a cheap quote for one light item never ships a heavy cart.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, Protocol


class Counted(Protocol):
    @property
    def variant_id(self) -> str: ...
    @property
    def quantity(self) -> int: ...


def items_key(items: Iterable[tuple[str, int]]) -> str:
    """What a choice was quoted for: the units of each variant, whatever their order."""
    units: dict[str, int] = {}
    for variant_id, quantity in items:
        units[variant_id] = units.get(variant_id, 0) + quantity
    return hashlib.sha256(json.dumps(sorted(units.items())).encode()).hexdigest()[:32]


def current(
    choice: Mapping[str, Any] | None, lines: Iterable[Counted], currency: str
) -> Mapping[str, Any] | None:
    """The choice, if it still prices the cart (same items, same currency)."""
    if not choice:
        return None
    if choice.get("currency") != currency:
        return None
    if choice.get("items_key") != items_key((line.variant_id, line.quantity) for line in lines):
        return None
    return choice


def amount_of(choice: Mapping[str, Any] | None) -> Decimal | None:
    return None if choice is None else Decimal(str(choice["amount"]))
